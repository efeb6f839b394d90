"""Which deflate a ``--compress-level`` means, and the name of what made an archive's bytes.

The same input must give the same bytes.  ISA-L (Intel's deflate, the one used before)
did not: writing the same 480-file folder's zip again and again gave other bytes for some
members in a few rounds of a thousand (valid streams, unpacking to the same files).  So the
deflate is libdeflate (the pinned ``deflate`` package, whose wheel carries the library),
which compresses a whole buffer at once, and zlib for files larger than :data:`WHOLE`
(the search index of a large edition, ``corpus.txt``), deflated as a stream so memory does not
grow with the edition.  Which of the two makes a member depends on the file's size only.  On
the contents of the 1,000-page edition's bag (142.7 MB, each content once), CPU seconds and
MB (three runs where a range is given):

=====  ==========================  ===================  ===================
level  libdeflate (deflate 0.9.0)  zlib 1.2.13          ISA-L 2.32 (before)
=====  ==========================  ===================  ===================
1      0.46-0.49 s 30.5 MB         0.79 s 32.6 MB       0.27-0.28 s 32.1 MB
2      0.69-0.77 s 29.9 MB                              0.29 s 31.8 MB
3                                  0.99-1.07 s 30.9 MB  0.53-0.60 s 30.7 MB
4      0.78-0.81 s 28.7 MB
6      1.00-1.05 s 28.0 MB         2.00 s 28.2 MB
9      1.68 s 27.7 MB
=====  ==========================  ===================  ===================

So ``--compress-level`` 0 is zlib's 0 (deflate's stored blocks: no compression) and 1-9 are
libdeflate's levels (zlib's, above :data:`WHOLE`): the larger the level, the smaller the
archive, and the slower.  The default, 1, is the fastest: 0.2 s more than ISA-L's 2 for
archives 4 % smaller, and smaller than zlib's 3 in half its time; libdeflate's 2 takes half
as long again for 2 % less.  Its CRC-32 is libdeflate's too: 0.01 s for the 142.7 MB where
zlib's takes 0.04-0.05 s.

Deflate's output is not fixed by the format: another library, or another version of one,
gives other bytes that unpack to the same files.  So :func:`name` (the libraries, their
versions, the size limit and the level) is part of what an index of compressed members
(:class:`.zipped.ZipIndex`) is kept for: a member another deflate made is not taken over.
"""

from __future__ import annotations

import functools
import gzip
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import BinaryIO, Callable, Iterator, Protocol

from .rawfile import RawFile

#: The level of the archives unless ``--compress-level`` says otherwise: libdeflate's 1
#: (see the module doc).
LEVEL = 1
#: Files up to this size are deflated whole by libdeflate (held in memory, at most this
#: much); larger ones by zlib, as a stream.
WHOLE = 8 << 20
#: The size of the pieces a file is read in (the last one of a file is shorter).
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
    #: A compressor of one file's raw deflate stream (fed the whole file, then flushed).
    compressor: Callable[[], Compressor]
    crc32: Callable[[bytes | memoryview, int], int]
    #: A gzip file writing to ``fileobj`` with the header time ``mtime`` and no name.
    gzip_file: Callable[[BinaryIO, int], BinaryIO]
    #: The raw deflate stream of a file of at most :data:`PIECE` bytes held whole: the
    #: bytes :attr:`compressor` gives for it, in one call (most files of a package are a
    #: few kilobytes, and a compressor object per file, fed and flushed, cost more than
    #: deflating them); None: use the compressor.
    small: Callable[[bytes | memoryview], bytes] | None = None


def name(level: int) -> str:
    """What deflates at ``level``: libraries, versions, limit and level (without importing
    libdeflate)."""
    zlib_name = f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {level}"
    if level == 0:
        return zlib_name
    try:
        libdeflate = f"libdeflate (deflate {version('deflate')})"
    except PackageNotFoundError:
        libdeflate = "libdeflate absent"
    return f"{libdeflate} level {level} up to {WHOLE} bytes, {zlib_name} above"


class Whole:
    """A compressor that deflates a file of at most :data:`WHOLE` bytes whole with
    ``whole`` (libdeflate's), and a larger one as zlib's stream at the same level: the
    first :data:`WHOLE` bytes are held until the file is known to be larger."""

    def __init__(self, whole: Callable[[bytearray, int], bytearray], level: int):
        self.whole, self.level = whole, level
        self.held: bytearray | None = bytearray()
        self.stream: Compressor | None = None

    def compress(self, data: bytes | memoryview, /) -> bytes:
        if self.held is None:
            assert self.stream is not None
            return self.stream.compress(data)
        self.held += data
        if len(self.held) <= WHOLE:
            return b""
        self.stream = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        held, self.held = self.held, None
        return self.stream.compress(held)

    def flush(self) -> bytes:
        if self.held is None:
            assert self.stream is not None
            return self.stream.flush()
        held, self.held = self.held, bytearray()
        return bytes(self.whole(held, self.level))


@functools.cache
def deflate(level: int) -> Deflate:
    """The deflate of ``level`` (0-9); :class:`Unavailable` when its library is missing."""
    def gzip_file(out: BinaryIO, mtime: int) -> BinaryIO:
        return gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=mtime,
                             compresslevel=level)

    if level == 0:
        return Deflate(name(level), lambda: zlib.compressobj(level, zlib.DEFLATED, -15),
                       zlib.crc32, gzip_file)
    try:
        from deflate import crc32, deflate_compress
    except ImportError as exc:
        raise Unavailable(f"compress level {level} needs the deflate package (libdeflate), "
                          f"which is not installed ({exc})") from None
    def small(data: bytes | memoryview) -> bytes:
        return bytes(deflate_compress(data, level))  # as Whole.flush: PIECE <= WHOLE

    return Deflate(name(level), lambda: Whole(deflate_compress, level), crc32, gzip_file,
                   small)


def pieces(handle: BinaryIO | RawFile, buffer: bytearray) -> Iterator[memoryview]:
    """The content of an unbuffered file in pieces of exactly ``len(buffer)`` bytes (the last
    one shorter), read into ``buffer``: a read may give fewer bytes than asked for, and the
    pieces are the same whatever the reads give.  Each piece is valid until the next is asked
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
