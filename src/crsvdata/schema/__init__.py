"""The published JSON Schemas: generation from the models, and an offline registry to validate with."""
