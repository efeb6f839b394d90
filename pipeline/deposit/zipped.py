"""Writing a reproducible zip fast: each content compressed once, and reused by content.

Deflating was most of what serializing a package cost, so:

- files are deflated by libdeflate at the default level (:mod:`.deflate`), which takes 0.46
  CPU seconds for the 1,000-page bag's 143 MB: one at a time, as they are written, for threads
  handing files to and fro cost more than they saved (the interpreter handed from thread to
  thread between two small files: on the 1k edition, CPU seconds, the bag's zip 0.53-0.59
  in threads against 0.44-0.52 without, the DSpace batch's 0.27-0.29 against 0.20-0.25, and
  no faster in wall time, even at zlib's level 6: 2.33-2.38 s against 2.12-2.23);
- a member whose content (SHA-256) an earlier zip made by teipipe holds is not deflated
  again: its compressed bytes are copied from that zip.  A :class:`ZipIndex` remembers, per
  zip, where each content lies; a zip is only read from when its size, times and inode are
  the recorded ones.  The bag's zip and the DSpace batch's zip hold the same TEI, HTML and
  text files, so the second reuses the first, and a rebuild after a one-page change deflates
  that page's files only;
- a content that comes again in the same zip (the HTML edition's copies of the TEI and text
  files) is copied from the member written before, not deflated twice;
- files are read into one reused buffer, not a fresh one per read;
- deflated data larger than :data:`SPILL` (an index page of a large edition) goes to a
  temporary file, and a large member taken from an earlier zip is copied a piece at a
  time: memory holds no member whose size grows with the edition.

The archive's bytes are those :mod:`zipfile` itself writes for the same members deflated
by the same deflate (the container is written by :mod:`.zipstream`, which holds nothing per
member; the deflating is done here), so a reused member and a freshly deflated one are the
same bytes.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import threading
import time
import uuid
import zipfile
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Protocol

from ..incremental import settings_digest
from ..record_store import RecordStore
from .deflate import LEVEL, PIECE, Deflate, deflate, name, pieces
from .rawfile import RawFile
from .zipstream import ZipStream

#: Deflated data larger than this is kept in a temporary file until it is written.
SPILL = 1 << 20

#: Where a content lies in a zip: header offset, compressed size, CRC-32, size.
Entry = tuple[int, int, int, int]


class ZipIndex:
    """The compressed members of the zips made before, by content (see the module doc).

    Its record (:class:`~pipeline.record_store.RecordStore`) holds a row per member of each
    zip, looked up by content as a zip is written, and one row that lists the zips: no
    process holds a table of every member (the bag's zip of a 10,000-document edition has
    60,000).  It is opened when first asked for, not when the index is made: the deposit
    writes its zips in child processes (:mod:`.background`), which alone need it."""

    def __init__(self, record: Path | None, level: int = LEVEL):
        self.level = level  # members deflated at another level, or by another deflate
        self.path = record
        self._record: RecordStore | None = None
        self._writing: Members | None = None

    @property
    def record(self) -> RecordStore:
        if self._record is None:
            self._record = RecordStore(self.path, settings_digest("deposit-zip", {
                "level": self.level, "deflate": name(self.level)}))  # are not reused
        return self._record

    def _zips(self) -> dict[str, list]:
        """Each zip recorded -> [the key its members' rows begin with, its stat]."""
        return dict((self.record.get(_ZIPS) or {}).get("zips", {}))

    def sources(self) -> Callable[[str], tuple[str, Entry] | None]:
        """SHA-256 -> (zip, entry) of the first zip that is as it was made and holds the
        content (a row looked up per zip)."""
        zips = [(archive, table) for archive, (table, stat) in self._zips().items()
                if _stat(Path(archive)) == stat]

        def source(sha: str) -> tuple[str, Entry] | None:
            for archive, table in zips:
                row = self.record.get(table + sha)
                if row is not None:
                    return archive, tuple(row["at"])
            return None
        return source

    def members(self) -> Members:
        """The table of a zip about to be written, kept in rows of the record."""
        self._writing = Members(self.record, f"{uuid.uuid4().hex}/")
        return self._writing

    def remember(self, archive: Path, members: Members) -> None:
        """Record ``archive``, just written, whose contents lie where ``members`` says (the
        rows of the zip that was there before, and of zips gone since, are dropped)."""
        if members.record is not self.record:  # a table made without this index
            members = members.copied(self.members())
        members.flush()
        zips = self._zips()
        key = str(archive.resolve())
        for gone in [a for a in zips if a == key or not os.path.exists(a)]:
            self.record.drop_below(zips.pop(gone)[0])
        zips[key] = [members.table, _stat(archive)]
        self.record.put(_ZIPS, {"zips": zips})
        self.record.save()
        self._writing = None

    def forget(self, archive: Path) -> None:
        """``archive`` was not written: drop its rows, and those of the zip being written."""
        zips = self._zips()
        key = str(archive.resolve())
        if key in zips:
            self.record.drop_below(zips.pop(key)[0])
            self.record.put(_ZIPS, {"zips": zips})
        if self._writing is not None:
            self.record.drop_below(self._writing.table)
            self._writing = None
        self.record.save()


#: The key of the record's row that lists its zips (no member's key: those hold a "/").
_ZIPS = "zips"


class Members:
    """Where each content lies in a zip being written, by SHA-256, the first member that
    holds it: rows of an index's ``record`` whose keys begin with ``table``, or (None) a
    dict of this process.  The rows are put :data:`ROWS` at a time (:meth:`flush`)."""

    def __init__(self, record: RecordStore | None = None, table: str = ""):
        self.record = record
        self.table = table
        self._here: dict[str, Entry] = {}

    def get(self, sha: str) -> Entry | None:
        found = self._here.get(sha)
        if found is not None or self.record is None:
            return found
        row = self.record.get(self.table + sha)
        return None if row is None else tuple(row["at"])

    def add(self, sha: str, entry: Entry) -> None:
        """Where ``sha`` lies, which no member before holds (:meth:`get` says None)."""
        self._here[sha] = entry
        if self.record is not None and len(self._here) >= ROWS:
            self.flush()

    def flush(self) -> None:
        """Put the rows added since the last flush into the record (none with no record)."""
        if self.record is not None and self._here:
            self.record.put_many((self.table + sha, {"at": list(entry)})
                                 for sha, entry in self._here.items())
            self._here = {}

    def copied(self, into: Members) -> Members:
        """This table (one of this process) copied into ``into``."""
        for sha, entry in self._here.items():
            into.add(sha, entry)
        return into

    def items(self) -> dict[str, Entry]:
        """The rows of this process: the whole table without a record, else those not put
        yet (tests look at it)."""
        return dict(self._here)


#: Rows of a :class:`Members` put into its record at a time: a round trip to SQLite per
#: member cost a tenth of writing the zip.
ROWS = 1024


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class Digests(Protocol):
    """The SHA-256 of a member by its name, where it is known."""

    def get(self, name: str, /) -> str | None: ...


def write_zip(members: Iterable[tuple[str, str | Path]], out: BinaryIO, epoch: int,
              digests: Digests, index: ZipIndex | None,
              level: int = LEVEL) -> Members:
    """Write ``members`` ((name, path), folders ending in ``/``, in order) to ``out``,
    deflated at ``level`` (an ``index`` of another level is not used).

    ``digests`` gives the SHA-256 of a member (by name) where it is known; the others are
    hashed here.  Returns where each content lies in the new zip (in rows of the index's
    record, for :meth:`ZipIndex.remember`, when there is an index of ``level``).
    """
    used = index is not None and index.level == level
    source = index.sources() if used else _none
    made = index.members() if used else Members()
    handles: dict[str, BinaryIO] = {}
    zs = ZipStream(out, time.gmtime(epoch)[:6])
    try:
        for name, path in members:
            if name.endswith("/"):
                zs.folder(name)
                continue
            sha = digests.get(name)
            member = None if sha is None else _reuse(source(sha), handles)
            here = None if sha is None else made.get(sha)
            if member is None and here is not None:  # a member before has its content
                member = _read_member(_reader(out), here)
            if member is None:
                hashed = sha is None
                sha, *member = _deflate(path, sha, level)
                if hashed:
                    here = made.get(sha)
            csize, crc, size, data = member
            offset = zs.member(name, crc, size, data, csize)
            if here is None:
                made.add(sha, (offset, csize, crc, size))
            if not isinstance(data, bytes):
                data.close()
        zs.close()
    finally:
        for handle in handles.values():
            handle.close()
    return made


def _none(_sha: str) -> None:
    """No zip made before holds any content."""


def _deflate(path: str | Path, sha: str | None, level: int,
             ) -> tuple[str, int, int, int, bytes | BinaryIO]:
    """(SHA-256, compressed size, CRC-32, size, raw deflate data) of a file deflated at
    ``level`` (:mod:`.deflate`), read a piece of :data:`.deflate.PIECE` bytes at a time.  The
    data is a temporary file, at its start, when it is larger than :data:`SPILL`.  A file
    read in one piece is deflated in one call (:attr:`.deflate.Deflate.small`)."""
    how = deflate(level)
    with RawFile(path) as handle:
        read = pieces(handle, _buffer())
        first = next(read, None)
        if how.small is not None and (first is None or len(first) < PIECE):
            data = b"" if first is None else first
            packed = how.small(data)
            return sha or hashlib.sha256(data).hexdigest(), len(packed), \
                how.crc32(data, 0), len(data), packed
        return _stream(chain(() if first is None else (first,), read), sha, how)


def _stream(read: Iterable[memoryview], sha: str | None, how: Deflate,
            ) -> tuple[str, int, int, int, bytes | BinaryIO]:
    """:func:`_deflate` of a file whose pieces are ``read``, deflated as they come."""
    z, crc32 = how.compressor(), how.crc32
    digest = hashlib.sha256() if sha is None else None
    packed: list[bytes] = []
    spill: BinaryIO | None = None
    crc = size = csize = 0
    for piece in chain(read, (None,)):
        if piece is None:
            out = z.flush()
        else:
            out = z.compress(piece)
            crc = crc32(piece, crc)
            size += len(piece)
            if digest is not None:
                digest.update(piece)
        csize += len(out)
        packed.append(out)
        if spill is None and csize > SPILL:
            spill = tempfile.TemporaryFile()
        if spill is not None:
            spill.writelines(packed)
            packed.clear()
    if spill is not None:
        spill.seek(0)
    return sha or digest.hexdigest(), csize, crc, size, spill or b"".join(packed)


def _buffer() -> bytearray:
    """This thread's buffer to read files into (a fresh megabyte per small file would cost
    the system more than the copy)."""
    buffer = getattr(_local, "buffer", None)
    if buffer is None or len(buffer) != PIECE:
        buffer = _local.buffer = bytearray(PIECE)
    return buffer


_local = threading.local()

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's local file header


def _reuse(source: tuple[str, Entry] | None, handles: dict[str, BinaryIO],
           ) -> tuple[int, int, int, bytes | BinaryIO] | None:
    """(compressed size, CRC-32, size, compressed bytes) of a content an earlier zip holds;
    None when it holds none, or its member is not where the index says (then it is
    deflated again)."""
    if source is None:
        return None
    archive, entry = source
    try:
        if archive not in handles:
            handles[archive] = open(archive, "rb")
    except OSError:
        return None
    return _read_member(_reader(handles[archive]), entry)


def _reader(handle: BinaryIO) -> Callable[[int, int], bytes]:
    """Reads ``n`` bytes at an offset of a zip, even of one being written (read at the
    offset, so the writer's position is not moved; a zip being written must be a file
    whose descriptor was opened for reading too, else its members are deflated again)."""
    def read(offset: int, n: int) -> bytes:
        handle.flush()
        return os.pread(handle.fileno(), n, offset)
    return read


def _read_member(read: Callable[[int, int], bytes], entry: Entry,
                 ) -> tuple[int, int, int, bytes | BinaryIO] | None:
    """(compressed size, CRC-32, size, compressed bytes) of the member at ``entry``; None
    when it is not there or cannot be read.  Bytes larger than :data:`SPILL` are not read
    here but given as a :class:`_Region`, read a piece at a time as they are written.  The
    header is read with the bytes after it, as many as a member's name of up to
    :data:`NAMES` bytes leaves for its data: one read per member (the DSpace batch's zip
    takes most of its 60,000 members from the bag's at 10,000 documents), not two."""
    offset, csize, crc, size = entry
    try:
        got = read(offset, _LOCAL.size + NAMES + (csize if csize <= SPILL else 0))
        head = _LOCAL.unpack(got[:_LOCAL.size])
        if head[0] != zipfile.stringFileHeader or head[7:10] != (crc, csize, size):
            return None
        skip = _LOCAL.size + head[10] + head[11]
        if csize > SPILL:
            return (csize, crc, size, _Region(read, offset + skip, csize)) \
                if len(read(offset + skip + csize - 1, 1)) == 1 else None
        packed = got[skip:skip + csize] if skip + csize <= len(got) \
            else read(offset + skip, csize)
    except (OSError, ValueError, struct.error):  # io.UnsupportedOperation: no descriptor
        return None
    return (csize, crc, size, packed) if len(packed) == csize else None


#: The bytes of name and extra field read with a member's header (:func:`_read_member`):
#: a longer name costs a second read.
NAMES = 256


class _Region:
    """``size`` bytes of a zip from ``offset``, read as a file is (see :func:`_reader`)."""

    def __init__(self, read: Callable[[int, int], bytes], offset: int, size: int):
        self._read, self._offset, self._left = read, offset, size

    def read(self, n: int = -1) -> bytes:
        n = self._left if n < 0 else min(n, self._left)
        data = self._read(self._offset, n)
        if len(data) != n:
            raise OSError("a zip member ends before its recorded size")
        self._offset += n
        self._left -= n
        return data

    def close(self) -> None:
        """Nothing to let go of: the zip's handle belongs to :func:`write_zip`."""

