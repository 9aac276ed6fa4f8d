"""Bindings of crsvdata to other frameworks, each behind its own extra (``crsvdata[fastapi]``).

A layer above models, validation and parse: nothing below imports it, and nothing below imports a
framework.
"""
