"""Interchange with other case-management systems: read their exports into crsvdata records and back."""
