"""The published JSON Schemas: the table of document types, the packaged files, an offline registry.

The schemas are generated from the models by ``tools/schemas.py`` (``make schemas``), never at run time."""
