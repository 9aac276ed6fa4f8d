"""Validating JSON Lines on worker processes that read their own part of the input.

A regular file is cut into byte ranges that start at line starts; each worker opens the file, reads its
range and validates it, so the parent neither reads the records nor pickles them. The parent only finds
the cuts and counts the newlines before each (``bytes.count`` over a memory map), so every line keeps its
exact number. Any other stream (standard input, a pipe, bytes in memory) is read by the parent in blocks
cut after their last newline, and the blocks are sent instead.

Either way a worker splits its bytes with :func:`crsvdata.io.iter_lines` and validates each line with
:func:`crsvdata.validation.engine.validate_line`, exactly as one process does: the report is the same,
in the same order. A worker sends back only what the report needs (a count of lines, and the lines with
issues as plain tuples). The parent is one of the ``jobs`` processes: it validates a part whenever the
oldest result is not ready. A bounded number of parts is in flight, so memory stays flat.
"""

from __future__ import annotations

import io
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from typing import IO, TYPE_CHECKING, Final, Generic, NamedTuple, TypeVar

from crsvdata.findings import Severity
from crsvdata.io import MAX_LINE_BYTES, InputError, Line, iter_lines
from crsvdata.io.reader import too_long_line
from crsvdata.validation.engine import validate_line
from crsvdata.validation.report import Issue

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["BLOCK_BYTES", "map_in_order", "map_line_parts", "validate_lines_in_parallel"]

BLOCK_BYTES: Final = 1024 * 1024
"""The most bytes of input in one part sent to a worker (a part grows to finish its last line)."""
_MIN_RANGE_BYTES: Final = 64 * 1024
_QUEUED_PER_WORKER: Final = 4
_COUNT_CHUNK: Final = 4 * 1024 * 1024

R = TypeVar("R")
T = TypeVar("T")

Result = tuple[bool, list[Issue], int]
"""(valid, issues, bytes) for one line, as :func:`crsvdata.validation.engine.validate_line` gives it."""


class _FileRange(NamedTuple):
    path: str
    identity: tuple[int, int]  # (st_dev, st_ino): the worker refuses a file replaced under the same name
    start: int
    stop: int
    first_number: int
    max_line_bytes: int


class _Block(NamedTuple):
    data: bytes
    first_number: int
    first_offset: int
    max_line_bytes: int


class _Lines(NamedTuple):
    lines: tuple[Line, ...]  # lines without an error: an InputError does not survive pickling


class _TooLong(NamedTuple):
    number: int
    offset: int
    max_line_bytes: int
    size: int


_Part = _FileRange | _Block | _Lines | _TooLong
_IssueTuple = tuple[str, str, str, str, int | None, str | None]
_PartResult = tuple[int, int, list[tuple[int, bool, tuple[_IssueTuple, ...]]]]
"""(lines validated, bytes, [(index of a line with issues or invalid, valid, its issues)])."""


def validate_lines_in_parallel(
    stream: IO[bytes],
    jobs: int,
    *,
    leading: Sequence[Line] = (),
    first_number: int | None = None,
    first_offset: int = 0,
    block_bytes: int = BLOCK_BYTES,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[Result]:
    """Validate the JSON Lines of ``stream`` on ``jobs`` processes; one result per line, in input order.

    ``leading`` are lines already read from the stream; the stream's lines are numbered from
    ``first_number`` (by default the one after the last leading line, or 1), and a stream that is not a
    regular file is taken to start at byte ``first_offset`` of the input. The bytes of each result are
    the input read for it (the whole input after the leading lines, blank lines included, once summed),
    for a progress bar. A regular file is read from its current position to the
    size it has when validation starts, and the stream is left at that end.
    """
    if first_number is None:
        first_number = leading[-1].number + 1 if leading else 1
    file = _regular_file(stream)
    parts = _parts(stream, file, jobs, leading, first_number, first_offset, block_bytes, max_line_bytes)
    yield from _expand(_in_order(parts, jobs, _validate_part))
    if file is not None:
        stream.seek(file[3])


def map_line_parts(
    stream: IO[bytes],
    jobs: int,
    work: Callable[[Iterator[Line]], R],
    *,
    block_bytes: int = BLOCK_BYTES,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[R]:
    """``work`` over the lines of consecutive parts of ``stream``, on ``jobs`` processes, in input order.

    The stream is cut as :func:`validate_lines_in_parallel` cuts it, from its current position; each
    part's lines (numbered from 1 at that position, as :func:`crsvdata.io.iter_lines` gives them) go to
    one call of ``work``, which must be picklable (a module-level function, or a ``functools.partial`` of
    one) and returns what the caller needs of that part. A regular file is left at the end it had.
    """
    file = _regular_file(stream)
    parts = _parts(stream, file, jobs, (), 1, 0, block_bytes, max_line_bytes)
    yield from _in_order(parts, jobs, partial(_work_on_part, work))
    if file is not None:
        stream.seek(file[3])


def _parts(
    stream: IO[bytes],
    file: tuple[str, tuple[int, int], int, int] | None,
    jobs: int,
    leading: Sequence[Line],
    first_number: int,
    first_offset: int,
    block_bytes: int,
    max_line_bytes: int,
) -> Iterator[_Part]:
    parts: Iterator[_Part]
    if file is None:
        parts = _stream_parts(stream, first_number, first_offset, block_bytes, max_line_bytes)
    else:
        parts = _file_parts(stream, file, jobs, first_number, block_bytes, max_line_bytes)
    if leading:
        parts = _chain([_Lines(tuple(leading))], parts)
    return parts


def _chain(first: Iterable[_Part], rest: Iterator[_Part]) -> Iterator[_Part]:
    yield from first
    yield from rest


def _regular_file(stream: IO[bytes]) -> tuple[str, tuple[int, int], int, int] | None:
    """(path, identity, position, size) when workers can open ``stream``'s own file by name; else None."""
    try:
        descriptor = stream.fileno()
        if not stream.seekable():
            return None
        status = os.fstat(descriptor)
        name = stream.name
        if not stat.S_ISREG(status.st_mode) or not isinstance(name, str):
            return None
        named = os.stat(name)
        position = stream.tell()
    except (AttributeError, OSError, ValueError):  # no descriptor (BytesIO), no name, a closed stream
        return None
    identity = (status.st_dev, status.st_ino)
    if (named.st_dev, named.st_ino) != identity:
        return None
    return os.path.abspath(name), identity, position, status.st_size


def _file_parts(
    stream: IO[bytes],
    file: tuple[str, tuple[int, int], int, int],
    jobs: int,
    first_number: int,
    block_bytes: int,
    max_line_bytes: int,
) -> Iterator[_Part]:
    path, identity, start, stop = file
    if start >= stop:
        return
    # Enough parts to keep every worker busy on a small file, none larger than a block on a big one.
    range_bytes = min(block_bytes, max(-(-(stop - start) // (4 * jobs)), _MIN_RANGE_BYTES))
    # Read through a handle of its own, not a memory map: a map of a 3 GB file leaves every page it touched
    # resident in this process (file pages counted in its RSS), a read only passes them through.
    # By name, not the stream's descriptor, whose position the stream's buffer relies on; the workers check
    # that the file is still the one they were given.
    with open(path, "rb", buffering=0) as reader:
        stop = min(stop, os.fstat(reader.fileno()).st_size)
        number = first_number
        position = start
        while position < stop:
            cut = stop
            if position + range_bytes < stop:
                newline = _find_newline(reader, position + range_bytes - 1, stop)
                cut = stop if newline < 0 else newline + 1
            yield _FileRange(path, identity, position, cut, number, max_line_bytes)
            number += _newlines(reader, position, cut)
            position = cut


def _chunks(reader: io.FileIO, start: int, stop: int) -> Iterator[tuple[int, bytes]]:
    # In chunks: one over-long line can make a range of any size. os.pread is not on every platform.
    at = start
    while at < stop:
        reader.seek(at)
        chunk = reader.read(min(_COUNT_CHUNK, stop - at))
        if not chunk:
            return
        yield at, chunk
        at += len(chunk)


def _find_newline(reader: io.FileIO, start: int, stop: int) -> int:
    for at, chunk in _chunks(reader, start, stop):
        found = chunk.find(b"\n")
        if found >= 0:
            return at + found
    return -1


def _newlines(reader: io.FileIO, start: int, stop: int) -> int:
    return sum(chunk.count(b"\n") for _, chunk in _chunks(reader, start, stop))


def _stream_parts(
    stream: IO[bytes], number: int, offset: int, block_bytes: int, max_line_bytes: int
) -> Iterator[_Part]:
    carry = b""
    while True:
        data = stream.read(block_bytes)
        buffer = carry + data if carry else data
        if not data:
            if buffer:
                yield _Block(buffer, number, offset, max_line_bytes)
            return
        cut = buffer.rfind(b"\n") + 1
        if cut:
            yield _Block(buffer[:cut], number, offset, max_line_bytes)
            number += buffer.count(b"\n", 0, cut)
            offset += cut
        carry = buffer[cut:]
        if len(carry) > max_line_bytes:
            # A line longer than the limit is reported as iter_lines reports it and read past, never kept.
            skipped, carry = _skip_line(stream, len(carry), block_bytes)
            yield _TooLong(number, offset, max_line_bytes, skipped)
            number += 1
            offset += skipped


def _skip_line(stream: IO[bytes], skipped: int, block_bytes: int) -> tuple[int, bytes]:
    """Read on to the end of the current line; (bytes of the line, what follows it in the last read)."""
    while True:
        data = stream.read(block_bytes)
        end = data.find(b"\n")
        if end >= 0:
            return skipped + end + 1, data[end + 1 :]
        if not data:
            return skipped, b""
        skipped += len(data)


def map_in_order(tasks: Iterable[T], jobs: int, work: Callable[[T], R]) -> Iterator[R]:
    """``work`` over ``tasks`` on ``jobs`` processes (this one among them), results in the tasks' order.

    ``work`` and each task must be picklable; a bounded number of tasks is in flight at a time.
    """
    return _in_order(iter(tasks), jobs, work)


def _in_order(parts: Iterator[T], jobs: int, task: Callable[[T], R]) -> Iterator[R]:
    """``task``'s results on ``parts`` in their order, from ``jobs - 1`` workers and this process.

    This process is one of the ``jobs``: whenever the oldest part's result is not ready, it validates the
    next part itself instead of waiting, so no core idles and there is one process fewer to hold in
    memory. Each worker has up to ``_QUEUED_PER_WORKER`` parts queued, so that it does not idle while
    this process validates one (or is kept off a busy machine's cores); this process keeps at most as
    many results of its own waiting for an older one.
    """
    with ProcessPoolExecutor(max_workers=max(jobs - 1, 1)) as pool:
        pending: deque[Future[R] | _Done[R]] = deque()
        submitted = 0  # the pending parts that are a worker's
        exhausted = False
        while True:
            while not exhausted and submitted < _QUEUED_PER_WORKER * (jobs - 1):
                part = next(parts, None)
                if part is None:
                    exhausted = True
                else:
                    pending.append(pool.submit(task, part))
                    submitted += 1
            if not pending:
                return
            oldest = pending[0]
            waiting = len(pending) - submitted  # this process's own results behind an older one
            ready = isinstance(oldest, _Done) or oldest.done()
            if not ready and not exhausted and waiting < _QUEUED_PER_WORKER * jobs:
                part = next(parts, None)
                if part is None:
                    exhausted = True
                else:
                    pending.append(_Done(task(part)))
                continue
            pending.popleft()
            if isinstance(oldest, _Done):
                yield oldest.result
            else:
                submitted -= 1
                yield oldest.result()


class _Done(NamedTuple, Generic[R]):
    """A result this process computed itself, told apart from a worker's future."""

    result: R


def _expand(results: Iterator[_PartResult]) -> Iterator[Result]:
    for count, size, notable in results:
        marked = iter(notable)
        upcoming = next(marked, None)
        for index in range(count):
            read = size if index == count - 1 else 0
            if upcoming is not None and upcoming[0] == index:
                yield upcoming[1], [_issue(fields) for fields in upcoming[2]], read
                upcoming = next(marked, None)
            else:
                yield True, [], read


def _issue(fields: _IssueTuple) -> Issue:
    code, severity, message, pointer, line, source = fields
    return Issue(code, Severity(severity), message, pointer, line, source)


# --- in the worker -------------------------------------------------------------------------------------


def _validate_part(part: _Part) -> _PartResult:
    return _work_on_part(partial(_validate_lines, part=part), part)


def _work_on_part(work: Callable[[Iterator[Line]], R], part: _Part) -> R:
    if isinstance(part, _FileRange):
        with _open_range(part) as stream:
            return work(iter_lines(stream, part.max_line_bytes, part.first_number, part.start))
    if isinstance(part, _Block):
        lines = iter_lines(io.BytesIO(part.data), part.max_line_bytes, part.first_number, part.first_offset)
        return work(lines)
    if isinstance(part, _TooLong):
        return work(iter([too_long_line(part.number, part.max_line_bytes, part.offset)]))
    return work(iter(part.lines))


def _validate_lines(lines: Iterator[Line], part: _Part) -> _PartResult:
    count = 0
    notable: list[tuple[int, bool, tuple[_IssueTuple, ...]]] = []
    for index, line in enumerate(lines):
        valid, issues, _ = validate_line(line)
        count += 1
        if issues or not valid:
            compact = tuple(
                (i.code, i.severity.value, i.message, i.pointer, i.line, i.source) for i in issues
            )
            notable.append((index, valid, compact))
    return count, _size(part), notable


def _size(part: _Part) -> int:
    if isinstance(part, _FileRange):
        return part.stop - part.start
    if isinstance(part, _Block):
        return len(part.data)
    if isinstance(part, _TooLong):
        return part.size
    return sum(len(line.data) for line in part.lines)


def _open_range(part: _FileRange) -> io.BufferedReader:
    raw = open(part.path, "rb", buffering=0)  # noqa: SIM115 (closed by the reader that wraps it)
    try:
        status = os.fstat(raw.fileno())
        if (status.st_dev, status.st_ino) != part.identity:
            raise InputError("input.unreadable", "the file was replaced while it was being validated")
        raw.seek(part.start)
    except BaseException:
        raw.close()
        raise
    return io.BufferedReader(_Window(raw, part.stop - part.start), buffer_size=BLOCK_BYTES)


class _Window(io.RawIOBase):
    """The next ``length`` bytes of a file, then end of file: a worker reads its own range only."""

    def __init__(self, raw: io.FileIO, length: int) -> None:
        self._raw = raw
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        read = self._raw.readinto(view[: min(len(view), self._left)]) if self._left > 0 else 0
        self._left -= read
        return read

    def close(self) -> None:
        self._raw.close()
        super().close()
