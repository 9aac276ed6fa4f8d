"""Validation of crsvdata documents: ``validate(source) -> ValidationReport``."""

from crsvdata.validation.engine import validate, validate_document
from crsvdata.validation.report import Issue, ValidationReport

__all__ = ["Issue", "ValidationReport", "validate", "validate_document"]
