"""A writer that keeps the SHA-256 and size of what it wrote, for the manifest."""

from __future__ import annotations

import hashlib
from typing import IO, Any

# --- hashing writer ---------------------------------------------------------------------------------


class HashingSink:
    """Writes bytes to a stream and keeps their SHA-256 and size for the manifest."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.hash.update(data)
        self.size += len(data)

    def describe(self, media_type: str, schema: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"media_type": media_type, "bytes": self.size, "sha256": self.hash.hexdigest()}
        if schema is not None:
            out["schema"] = schema
        return out
