"""The ``crsvdata`` command line: thin, over the Python API (argument parsing, rendering, exit codes)."""

from crsvdata.cli.main import main

__all__ = ["main"]
