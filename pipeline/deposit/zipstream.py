"""A zip container written as it goes, in the bytes :mod:`zipfile` writes.

:class:`zipfile.ZipFile` keeps a :class:`~zipfile.ZipInfo` per member until it is closed
(about 340 bytes each: a bag of 10,000 documents has 80,000 members) and has no call for
data that is already compressed.  This writer takes each member's deflated bytes, writes its
local header and data at once, and puts its central directory record in a spool file (kept
in memory up to :data:`SPOOL` bytes, on disk beyond), so that what it holds does not grow
with the number of members.  Headers, records and the end records (ZIP64 ones where the
count, sizes or offsets need them) are the ones :mod:`zipfile` writes to a seekable file for
the same members, so the archive is byte for byte what ``ZipFile.writestr`` would make.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import zipfile
from typing import BinaryIO

#: Bytes of central directory kept in memory before the spool moves to disk.
SPOOL = 1 << 20

_LOCAL = struct.Struct(zipfile.structFileHeader)
_ZIP64_SIZES = struct.Struct("<HHQQ")  # the ZIP64 extra field of a local header
_CENTRAL = struct.Struct(zipfile.structCentralDir)
_END = struct.Struct(zipfile.structEndArchive)
_END64 = struct.Struct(zipfile.structEndArchive64)
_LOCATOR64 = struct.Struct(zipfile.structEndArchive64Locator)
_FILE = 0o100644 << 16  # a regular file, rw-r--r--
_FOLDER = (0o40755 << 16) | 0x10  # a folder, rwxr-xr-x, and MS-DOS's folder flag
_UTF8_NAME = 1 << 11


class ZipStream:
    """Members appended to ``out`` (a seekable file, written from where it stands)."""

    def __init__(self, out: BinaryIO, date_time: tuple[int, int, int, int, int, int]):
        if date_time[0] < 1980:
            raise ValueError("ZIP does not support timestamps before 1980")  # as ZipInfo
        self.out = out
        self.offset = out.tell()  # where the next member goes, without asking the file
        self.start = self.offset
        self.dosdate = (date_time[0] - 1980) << 9 | date_time[1] << 5 | date_time[2]
        self.dostime = date_time[3] << 11 | date_time[4] << 5 | (date_time[5] // 2)
        self.count = 0
        self.directory = tempfile.SpooledTemporaryFile(max_size=SPOOL)

    def folder(self, name: str) -> None:
        """A folder member (``name`` ends in ``/``), stored empty."""
        self._add(name, _FOLDER, zipfile.ZIP_STORED, 0, 0, b"", 0)

    def member(self, name: str, crc: int, size: int, packed: bytes | BinaryIO,
               csize: int) -> int:
        """A file member whose raw deflate data, ``csize`` bytes, is ``packed`` (or what a
        file holds from where it stands: the deflated data of a large file is not held in
        memory); its header's offset."""
        return self._add(name, _FILE, zipfile.ZIP_DEFLATED, crc, size, packed, csize)

    def _add(self, name: str, attr: int, method: int, crc: int, size: int,
             packed: bytes | BinaryIO, csize: int) -> int:
        """The member's local header and data, and its central directory record, packed as
        ``ZipInfo.FileHeader`` and ``ZipFile._write_end_record`` pack them (a ZipInfo per
        member cost a fifth of the time of writing a zip whose members are taken over)."""
        try:
            raw, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:  # zipfile marks a UTF-8 name so
            raw, flags = name.encode("utf-8"), _UTF8_NAME
        offset = self.offset
        version, extra = zipfile.DEFAULT_VERSION, b""
        shown_size, shown_csize = size, csize
        if size * 1.05 > zipfile.ZIP64_LIMIT:  # as zipfile decides, not knowing csize yet
            version, extra = zipfile.ZIP64_VERSION, _ZIP64_SIZES.pack(1, 16, size, csize)
            shown_size = shown_csize = 0xFFFFFFFF
        header = _LOCAL.pack(zipfile.stringFileHeader, version, 0, flags, method,
                             self.dostime, self.dosdate, crc, shown_csize, shown_size,
                             len(raw), len(extra)) + raw + extra
        if isinstance(packed, bytes):
            self.out.write(header + packed)  # one write: most members are a few kB
        else:
            self.out.write(header)
            shutil.copyfileobj(packed, self.out, SPOOL)
        self.offset += len(header) + csize
        self.directory.write(self._central(raw, flags, version, method, crc, size, csize,
                                           offset, attr))
        self.count += 1
        return offset

    def _central(self, raw: bytes, flags: int, version: int, method: int, crc: int,
                 size: int, csize: int, offset: int, attr: int) -> bytes:
        """A member's central directory record, as ``ZipFile._write_end_record`` makes it."""
        wide = []
        if size > zipfile.ZIP64_LIMIT or csize > zipfile.ZIP64_LIMIT:
            wide += [size, csize]
            size = csize = 0xFFFFFFFF
        if offset > zipfile.ZIP64_LIMIT:
            wide.append(offset)
            offset = 0xFFFFFFFF
        extra = b""
        if wide:
            extra = struct.pack("<HH" + "Q" * len(wide), 1, 8 * len(wide), *wide)
            version = max(version, zipfile.ZIP64_VERSION)
        return _CENTRAL.pack(zipfile.stringCentralDir, version, 3, version, 0, flags, method,
                             self.dostime, self.dosdate, crc, csize, size, len(raw),
                             len(extra), 0, 0, 0, attr, offset) + raw + extra

    def close(self) -> None:
        """The central directory and the end records (as ``ZipFile.close`` writes them)."""
        start, size = self.offset, self.directory.tell()
        self.directory.seek(0)
        shutil.copyfileobj(self.directory, self.out)
        self.directory.close()
        end, count = start + size, self.count
        if count > zipfile.ZIP_FILECOUNT_LIMIT or start > zipfile.ZIP64_LIMIT or \
                size > zipfile.ZIP64_LIMIT:
            self.out.write(_END64.pack(zipfile.stringEndArchive64, 44, 45, 45, 0, 0, count,
                                       count, size, start))
            self.out.write(_LOCATOR64.pack(zipfile.stringEndArchive64Locator, 0, end, 1))
            count, size, start = min(count, 0xFFFF), min(size, 0xFFFFFFFF), \
                min(start, 0xFFFFFFFF)
        self.out.write(_END.pack(zipfile.stringEndArchive, 0, 0, count, count, size, start, 0))
        self.out.flush()

