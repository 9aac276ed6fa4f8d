"""A small case-record service with FastAPI and crsvdata: POST a record, GET it back. In memory only.

Run it with ``uvicorn examples.fastapi_app.app:app`` (``pip install 'crsvdata[fastapi]' uvicorn``). The
crsvdata model is the request body and the response model as it is: it takes the JSON a client sends and
writes JSON that validates against the published schema (absent fields left out, never ``null``).
``crsv_fastapi.install`` makes every 422 a crsvdata report of codes and JSON pointers that never repeats
a submitted value, in the response or in a log line.
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException

from crsvdata.integrations import fastapi as crsv_fastapi
from crsvdata.models import CaseRecord


def create_app() -> FastAPI:
    """A new app with its own empty store (each test gets a fresh one)."""
    app = FastAPI(title="Synthetic case-record store (crsvdata example)")
    crsv_fastapi.install(app)
    store: dict[str, CaseRecord] = {}

    @app.post("/cases", status_code=201, responses=crsv_fastapi.PROBLEM_RESPONSES)
    def create_case(record: CaseRecord) -> dict[str, str]:
        if record.record_id in store:
            # The identifier is not repeated: the client knows what it sent.
            raise HTTPException(status_code=409, detail="a case record with this record_id is already stored")
        store[record.record_id] = record
        return {"status": "stored"}

    @app.get("/cases/{record_id}", response_model=CaseRecord, responses={404: {"description": "not stored"}})
    def read_case(record_id: str) -> CaseRecord:
        record = store.get(record_id)
        if record is None:
            raise HTTPException(status_code=404, detail="no case record with this record_id is stored")
        return record

    return app


app = create_app()
