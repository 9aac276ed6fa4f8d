"""The two versions crsvdata carries, kept apart on purpose.

``__version__`` is the Python library's own SemVer (its API). ``STANDARD_VERSION`` is the version of the
data standard: the published JSON Schemas, code lists and conformance suite. A library release can fix a
bug without touching the standard, and a record declares the standard version it follows.
"""

from typing import Final, Literal

__version__ = "0.1.0"
STANDARD_VERSION: Final = "1.1.0"
RecordStandardVersion = Literal["1.0", "1.1"]
"""Every major.minor a record may declare: 1.1 is a backward-compatible extension of 1.0."""
RECORD_STANDARD_VERSION: Final[RecordStandardVersion] = "1.1"
"""What a record's ``standard_version`` says: the standard's MAJOR.MINOR (a patch never changes records)."""
SCHEMA_BASE_URL: Final = "https://crsvdata.github.io/crsvdata/schemas/"
"""Base of every published schema's ``$id``; the docs site serves ``schemas/`` at this path."""
