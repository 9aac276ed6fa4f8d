"""An example FastAPI service that stores synthetic case records in memory (see app.py)."""
