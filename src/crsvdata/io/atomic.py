"""Writing files so that a reader sees the whole file or none of it, and never over an input.

A CRSV export that stops half way (a crash, ``kill -9``, a full disk) must not leave a readable half
file behind: 225 records of a 1,000-record export are still 225 survivors' records. On Linux the data are
written to an unnamed ``O_TMPFILE`` inode that has no name in any directory until it is complete; only
then is it linked and renamed into place. Where ``O_TMPFILE`` is not supported, a mode-0600 temporary file
is used and removed on any exception (a SIGKILL can then leave it behind: that is the fallback's limit).
"""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from crsvdata.errors import CrsvError

__all__ = ["OutputError", "atomic_writer", "refuse_unsafe_outputs"]

# Errors that mean "this file system or kernel has no O_TMPFILE": fall back to a named temporary file.
_NO_TMPFILE = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT, errno.EXDEV})


class OutputError(CrsvError):
    """An output that must not be written (it would replace an input or another output).

    ``code`` is an ``output.*`` issue code; the message names roles ("the input", "the key file"), never
    a path's contents.
    """

    code = "output.not_writable"


def _open_unnamed(directory: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    # The unnamed file is given its name through /proc/self/fd: without /proc it could never be linked.
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in _NO_TMPFILE:
            return None
        raise


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory is flushed; a file system that cannot fsync a
    # directory (some network file systems) still has the file, so failure here is not an error.
    with suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write ``path`` all at once: it appears, complete, only when the block ends without an exception.

    On any failure no file (not even a partial one) is left at ``path`` or beside it. The file is created
    with mode 0600: it may hold case data.
    """
    directory = path.parent if str(path.parent) else Path(".")
    encoding = None if "b" in mode else "utf-8"
    descriptor = _open_unnamed(directory)
    if descriptor is None:
        yield from _write_named(path, directory, mode, encoding)
        return
    with os.fdopen(descriptor, mode, encoding=encoding) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        _link_into_place(handle.fileno(), directory, path)
    _fsync_directory(directory)


def _link_into_place(descriptor: int, directory: Path, path: Path) -> None:
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N gives the complete inode a name. os.link uses plain
    # link(2), which links the /proc symlink itself (EXDEV), unless a dir_fd forces linkat. linkat cannot
    # name an existing file, so a fresh temporary name is linked, then renamed over the target atomically.
    temporary = f".{path.name}.{secrets.token_hex(8)}.tmp"
    directory_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"/proc/self/fd/{descriptor}", temporary, dst_dir_fd=directory_fd, follow_symlinks=True)
        try:
            os.replace(temporary, path.name, src_dir_fd=directory_fd, dst_dir_fd=directory_fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=directory_fd)
            raise
    finally:
        os.close(directory_fd)


def _write_named(path: Path, directory: Path, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial.tmp", dir=directory)
    try:
        with os.fdopen(descriptor, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    # The real path catches symbolic links and "..", the (device, inode) pair hard links and bind mounts.
    real = os.path.realpath(path)
    try:
        status = os.stat(real)
    except OSError:
        return real, None
    return real, (status.st_dev, status.st_ino)


def _same_file(a: tuple[str, tuple[int, int] | None], b: tuple[str, tuple[int, int] | None]) -> bool:
    return a[0] == b[0] or (a[1] is not None and a[1] == b[1])


def refuse_unsafe_outputs(outputs: Mapping[str, Path | None], inputs: Mapping[str, Path | None]) -> None:
    """Raise ``OutputError`` when an output is (or resolves to) an input or another output.

    ``outputs`` and ``inputs`` map a role ("OUT", "--manifest", "the input", "the key file") to a path
    (None: not used). Writing an export over its input, its identity file or its key file would destroy
    them for good, with the command reporting success.
    """
    seen_inputs = [(role, _identity(path)) for role, path in inputs.items() if path is not None]
    seen_outputs: list[tuple[str, tuple[str, tuple[int, int] | None]]] = []
    for role, path in outputs.items():
        if path is None:
            continue
        identity = _identity(path)
        for other, known in seen_inputs:
            if _same_file(identity, known):
                raise OutputError(
                    f"{role} is the same file as {other}: writing it would destroy {other}; "
                    "choose another output path",
                    code="output.overwrites_input",
                )
        for other, known in seen_outputs:
            if _same_file(identity, known):
                raise OutputError(
                    f"{role} and {other} are the same file: one would overwrite the other",
                    code="output.same_as_output",
                )
        if Path(identity[0]).is_dir():
            raise OutputError(f"{role} is a directory, not a file", code="output.is_directory")
        seen_outputs.append((role, identity))
