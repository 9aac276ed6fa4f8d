"""Writing an export: a writer that keeps the SHA-256 and size of what it wrote, and the pair of files
(output and manifest) that either both appear or neither does."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from crsvdata.anonymise.manifest import Manifest
from crsvdata.io import atomic_writer

__all__ = ["HashingSink", "write_with_manifest"]

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


def write_with_manifest(
    target: Path, manifest_target: Path, produce: Callable[[HashingSink], Manifest]
) -> Manifest:
    """Write ``produce``'s output to ``target`` and its manifest to ``manifest_target``, atomically.

    On any failure neither file exists: a manifest without its output (or the reverse) would describe
    data that is not there.
    """
    manifest_written = False
    try:
        with atomic_writer(target, "wb") as handle:
            manifest = produce(HashingSink(handle))
            with atomic_writer(manifest_target, "w") as manifest_handle:
                manifest_handle.write(manifest.to_json())
            manifest_written = True
    except BaseException:
        if manifest_written:
            with suppress(OSError):
                manifest_target.unlink()
        raise
    return manifest
