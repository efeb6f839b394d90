"""Which deflate a ``--compress-level`` means, and the name of what made an archive's bytes.

Deflating is the largest part of writing a package's archives, and zlib's fast levels are
slow next to ISA-L's (Intel's Intelligent Storage Acceleration Library: deflate written in
assembly, through the pinned ``isal`` package, whose wheels carry the library).  On the
contents of the 1,000-page edition's bag (142.7 MB, each content once), CPU seconds and MB:

======  ===========================  ==========================================
level   ISA-L 2.32 (isal 1.9.1)      zlib 1.2.13
======  ===========================  ==========================================
0       --                           0.04 s 142.8 MB (stored blocks)
1       0.26 s 32.06 MB
2       0.27 s 31.82 MB
3       0.52 s 30.73 MB              1.03 s 30.90 MB (teipipe's default before)
4-6                                  1.30 s 29.38 MB, 1.54 s 28.54, 2.01 s 28.16
======  ===========================  ==========================================

So ``--compress-level`` 0 is zlib's 0 (deflate's stored blocks: no compression), 1-3 are
ISA-L's levels 1-3, and 4-9 zlib's own, for the smallest archives at zlib's cost: the
larger the level, the smaller the archive, and the slower.  The default, 2, takes a quarter of
the time of zlib's 3 for archives 3 % larger; level 3 gives archives smaller than zlib's 3
in half its time.

Deflate's output is not fixed by the format: another library, or another version of one,
gives other bytes that unpack to the same files.  ISA-L's output also depends on how its input
is cut into calls, so a file is fed to it in pieces of exactly :data:`PIECE` bytes
(:func:`pieces`), and :func:`name` (the library, its version and the level) is part of what
an index of compressed members (:class:`.zipped.ZipIndex`) is kept for: a member another
deflate made is not taken over.
"""

from __future__ import annotations

import functools
import gzip
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import BinaryIO, Callable, Iterator, Protocol

from .rawfile import RawFile

#: The level of the archives unless ``--compress-level`` says otherwise: ISA-L's 2, which
#: deflates the 1,000-page bag's 142.7 MB to 31.8 MB in 0.27 CPU seconds, where zlib's 3 (the
#: default before) took 1.03 s for 30.9 MB; the deposit of both zips from nothing takes a
#: fifth less CPU time (see the README).  ISA-L's 1 is as fast for 0.8 % more; its 3 takes
#: twice the time for 3.4 % less.
LEVEL = 2
#: The levels deflated by ISA-L; the others are zlib's.
ISAL_LEVELS = range(1, 4)
#: The size of the pieces a file is deflated in (the last one of a file is shorter).
PIECE = 1 << 20


class Compressor(Protocol):
    def compress(self, data: bytes | memoryview, /) -> bytes: ...
    def flush(self) -> bytes: ...


class Unavailable(RuntimeError):
    """The library a level needs is not installed (``make setup`` installs it)."""


@dataclass(frozen=True)
class Deflate:
    """The deflate of one level: raw deflate streams for zip members, gzip for tar.gz."""

    name: str
    compressor: Callable[[], Compressor]
    crc32: Callable[[bytes | memoryview, int], int]
    #: A gzip file writing to ``fileobj`` with the header time ``mtime`` and no name.
    gzip_file: Callable[[BinaryIO, int], BinaryIO]


def name(level: int) -> str:
    """What deflates at ``level``: library, version and level (without importing it)."""
    if level in ISAL_LEVELS:
        try:
            return f"isal {version('isal')} level {level}"
        except PackageNotFoundError:
            return f"isal absent level {level}"
    return f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {level}"


@functools.cache
def deflate(level: int) -> Deflate:
    """The deflate of ``level`` (0-9); :class:`Unavailable` when its library is missing."""
    if level not in ISAL_LEVELS:
        return Deflate(name(level), lambda: zlib.compressobj(level, zlib.DEFLATED, -15),
                       zlib.crc32, lambda out, mtime: gzip.GzipFile(
                           filename="", mode="wb", fileobj=out, mtime=mtime,
                           compresslevel=level))
    try:
        from isal import igzip, isal_zlib
    except ImportError as exc:
        raise Unavailable(f"compress level {level} needs the isal package, which is not "
                          f"installed ({exc})") from None
    return Deflate(name(level), lambda: isal_zlib.compressobj(level, isal_zlib.DEFLATED, -15),
                   isal_zlib.crc32, lambda out, mtime: igzip.GzipFile(
                       filename="", mode="wb", fileobj=out, mtime=mtime,
                       compresslevel=level))


def pieces(handle: BinaryIO | RawFile, buffer: bytearray) -> Iterator[memoryview]:
    """The content of an unbuffered file in pieces of exactly ``len(buffer)`` bytes (the last
    one shorter), read into ``buffer``: a read may give fewer bytes than asked for, and
    ISA-L's output would then change with it.  Each piece is valid until the next is asked
    for."""
    view = memoryview(buffer)
    size = len(buffer)
    while True:
        filled = 0
        while filled < size and (n := handle.readinto(view[filled:])):
            filled += n
        if filled:
            yield view[:filled]
        if filled < size:
            return
