"""Writing a reproducible zip fast: compressed once, on every core, and reused by content.

Deflating is most of what serializing a package costs, so:

- files are deflated in threads (the deflate libraries let go of the interpreter while they
  work; which one deflates at which level: :mod:`.deflate`), a few members ahead of the one
  being written, so that memory holds a handful of files at most;
- a member whose content (SHA-256) an earlier zip made by teipipe holds is not deflated
  again: its compressed bytes are copied from that zip.  A :class:`ZipIndex` remembers, per
  zip, where each content lies; a zip is only read from when its size, times and inode are
  the recorded ones.  The bag's zip and the DSpace batch's zip hold the same TEI, HTML and
  text files, so the second reuses the first, and a rebuild after a one-page change deflates
  that page's files only;
- a content that comes again in the same zip (the HTML edition's copies of the TEI and text
  files) is copied from the member written before, not deflated twice;
- files are read into one reused buffer per thread, not a fresh one per read;
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
import zipfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

from ..incremental import BuildRecord, settings_digest
from .deflate import LEVEL, PIECE, deflate, name, pieces
from .zipstream import ZipStream

#: Members deflated ahead of the one being written, per thread.
AHEAD = 4
#: Files this small are handed to a thread a batch at a time (:class:`_Batch`): one
#: thread's job per file would cost more than deflating it.
INLINE = 16 * 1024
#: A batch of small files is handed over when it holds this many bytes.
BATCH = 256 * 1024

#: Deflated data larger than this is kept in a temporary file until it is written.
SPILL = 1 << 20

#: Where a content lies in a zip: header offset, compressed size, CRC-32, size.
Entry = tuple[int, int, int, int]


class ZipIndex:
    """The compressed members of the zips made before, by content (see the module doc)."""

    def __init__(self, record: Path | None, level: int = LEVEL):
        self.level = level  # members deflated at another level, or by another deflate
        self.record = BuildRecord(record, settings_digest("deposit-zip", {  # are not reused
            "level": level, "deflate": name(level)}))

    def sources(self) -> dict[str, tuple[str, Entry]]:
        """SHA-256 -> (zip, entry), from every zip that is as it was made."""
        out: dict[str, tuple[str, Entry]] = {}
        for archive, made in self.record.entries.items():
            if _stat(Path(archive)) == made["stat"]:
                for sha, entry in made["members"].items():
                    out.setdefault(sha, (archive, tuple(entry)))
        return out

    def remember(self, archive: Path, members: dict[str, Entry]) -> None:
        for gone in [a for a in self.record.entries if not os.path.exists(a)]:
            self.record.drop(gone)
        self.record.put(str(archive.resolve()), {"stat": _stat(archive),
                                                 "members": {k: list(v) for k, v
                                                             in members.items()}})
        self.record.save()

    def forget(self, archive: Path) -> None:
        self.record.drop(str(archive.resolve()))
        self.record.save()


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def write_zip(members: Iterable[tuple[str, str | Path]], out: BinaryIO, epoch: int,
              digests: dict[str, str], index: ZipIndex | None,
              level: int = LEVEL) -> dict[str, Entry]:
    """Write ``members`` ((name, path), folders ending in ``/``, in order) to ``out``,
    deflated at ``level`` (an ``index`` of another level is not used).

    ``digests`` gives the SHA-256 of a member (by name) where it is known; the others are
    hashed here.  Returns where each content lies in the new zip.
    """
    sources = index.sources() if index is not None and index.level == level else {}
    made: dict[str, Entry] = {}
    handles: dict[str, BinaryIO] = {}
    pending: deque[tuple[str, Future | tuple | None]] = deque()
    queued: set[str] = set()  # contents deflated for this zip
    workers = os.cpu_count() or 1
    zs = ZipStream(out, time.gmtime(epoch)[:6])
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            batch = _Batch(pool, level)
            for name, path in members:
                if name.endswith("/"):
                    pending.append((name, None))
                    continue
                sha = digests.get(name)
                reused = _reuse(sources.get(sha), handles) if sha else None
                if reused:
                    pending.append((name, (sha, *reused)))
                elif sha is not None and sha in queued:  # a member before it has its content
                    pending.append((name, (sha, path)))
                else:
                    size = os.stat(path).st_size
                    if size > INLINE:
                        pending.append((name, pool.submit(_deflate, path, sha, level)))
                    else:
                        if batch.full():
                            batch.submit()
                            batch = _Batch(pool, level)
                        pending.append((name, batch.add(path, sha, size)))
                    if sha is not None:
                        queued.add(sha)
                _flush(zs, pending, made, workers * AHEAD, level)
            _flush(zs, pending, made, 0, level)
        zs.close()
    finally:
        for handle in handles.values():
            handle.close()
    return made


def _flush(zs: ZipStream, pending: deque, made: dict[str, Entry], keep: int,
           level: int) -> None:
    """Write the oldest pending members until at most ``keep`` are left."""
    while len(pending) > keep:
        name, job = pending.popleft()
        if job is None:
            zs.folder(name)
            continue
        if isinstance(job, Future):
            job = job.result()
        elif isinstance(job, _Part):
            job = job.result()
        elif len(job) == 2:  # the content of a member written before: copied from there
            sha, path = job
            job = (sha, *(_read_member(_reader(zs.out), made[sha])
                          or _deflate(path, sha, level)[1:]))
        sha, csize, crc, size, data = job
        made.setdefault(sha, (zs.member(name, crc, size, data, csize), csize, crc, size))
        if not isinstance(data, bytes):
            data.close()


class _Batch:
    """Small files deflated by one thread's job, handed over when it holds :data:`BATCH`
    bytes or when the writer needs one of its members, whichever comes first."""

    def __init__(self, pool: ThreadPoolExecutor, level: int):
        self.pool, self.level = pool, level
        self.files: list[tuple[str | Path, str | None]] = []
        self.size = 0
        self.future: Future | None = None

    def add(self, path: str | Path, sha: str | None, size: int) -> _Part:
        self.files.append((path, sha))
        self.size += size
        return _Part(self, len(self.files) - 1)

    def full(self) -> bool:
        """Whether it takes no more files: it holds enough, or is handed over already."""
        return self.size >= BATCH or self.future is not None

    def submit(self) -> Future:
        if self.future is None:
            self.future = self.pool.submit(
                lambda files: [_deflate(path, sha, self.level) for path, sha in files],
                tuple(self.files))
        return self.future


class _Part:
    """A member of a :class:`_Batch`."""

    def __init__(self, batch: _Batch, index: int):
        self.batch, self.index = batch, index

    def result(self) -> tuple[str, int, int, int, bytes | BinaryIO]:
        return self.batch.submit().result()[self.index]


def _deflate(path: str | Path, sha: str | None, level: int,
             ) -> tuple[str, int, int, int, bytes | BinaryIO]:
    """(SHA-256, compressed size, CRC-32, size, raw deflate data) of a file deflated at
    ``level`` (:mod:`.deflate`), read a piece of :data:`.deflate.PIECE` bytes at a time.  The
    data is a temporary file, at its start, when it is larger than :data:`SPILL`."""
    how = deflate(level)
    z, crc32 = how.compressor(), how.crc32
    digest = hashlib.sha256() if sha is None else None
    packed: list[bytes] = []
    spill: BinaryIO | None = None
    crc = size = csize = 0
    with open(path, "rb", buffering=0) as handle:
        for piece in chain(pieces(handle, _buffer()), (None,)):
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
    here but given as a :class:`_Region`, read a piece at a time as they are written."""
    offset, csize, crc, size = entry
    try:
        head = _LOCAL.unpack(read(offset, _LOCAL.size))
        if head[0] != zipfile.stringFileHeader or head[7:10] != (crc, csize, size):
            return None
        start = offset + _LOCAL.size + head[10] + head[11]
        if csize > SPILL:
            return (csize, crc, size, _Region(read, start, csize)) \
                if len(read(start + csize - 1, 1)) == 1 else None
        packed = read(start, csize)
    except (OSError, ValueError, struct.error):  # io.UnsupportedOperation: no descriptor
        return None
    return (csize, crc, size, packed) if len(packed) == csize else None


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

