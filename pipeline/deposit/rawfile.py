"""Reading and writing a package's files with the system calls the work needs, and no more.

A deposit opens every file of both packages at least once, and ``open()`` costs more calls
than the reading or writing: a ``stat`` of the open file (twice more when it is read whole,
for its size), an ``ioctl`` to ask whether it is a terminal and a ``seek`` or two for a
buffered one.  For 1,000 documents that was 60,000 of the deposit's 88,000 ``stat`` calls,
7,400 ``ioctl`` calls and 9,800 ``seek`` calls.  Here a file is opened, read or written and
closed, and looked at (``fstat``) only where its size or times are wanted.
"""

from __future__ import annotations

import os

_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


class RawFile:
    """A file open for reading, with the one method :func:`.fixity.pieces` and
    :func:`.deflate.pieces` read with (a context manager, as ``open()``'s files are)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.fd = os.open(path, _READ)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        return os.readv(self.fd, [buffer])

    def stat(self) -> os.stat_result:
        return os.fstat(self.fd)

    def read_all(self, size: int) -> bytes:
        """The rest of the file, ``size`` bytes as its :meth:`stat` said, or more when it
        has grown since (then read on to its end)."""
        data = os.read(self.fd, size + 1)
        if len(data) <= size:
            return data
        parts = [data]
        while part := os.read(self.fd, 1 << 20):
            parts.append(part)
        return b"".join(parts)

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)

    def __enter__(self) -> RawFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_whole(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` and its ``os.stat`` taken before they were read (a file that
    grows meanwhile is read to its end all the same)."""
    with RawFile(path) as handle:
        st = handle.stat()
        return handle.read_all(st.st_size), st


def write_new(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` (created, or emptied first), as ``open(path, "wb")``
    does."""
    fd = os.open(path, _WRITE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
