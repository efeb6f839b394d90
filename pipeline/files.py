"""I/O at the edges: safe reads of source pages and atomic writes.

A source page can be anything a user has on disk: UTF-8 with or without a BOM, Windows-1252
saved by an old editor, CRLF line ends, a PDF renamed ``.txt``.  :func:`read_source` decodes
what can be decoded (saying how), refuses what cannot (with a one-line reason), and hands on
text with ``\\n`` line ends.  Python's ``str.splitlines`` is never used on page text: it also
splits on U+0085, U+2028 and form feeds, which are characters of the page, not line ends.
"""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import itertools
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .diagnostics import Diagnostic, error, warning

MAX_SOURCE_BYTES = 64 * 1024 * 1024

_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"\x7fELF": "a program",
}

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


class SourceError(Exception):
    """The source cannot be read as a page; ``diagnostic`` says why in one line."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class SourceText:
    """A decoded page: text with ``\\n`` line ends and how it was stored."""

    text: str
    raw: str  # decoded text before line ends were normalized (for offsets into the file)
    encoding: str
    line_ends: str
    sha256: str
    warnings: tuple[Diagnostic, ...] = ()


def read_source(path: Path, st: os.stat_result | None = None) -> SourceText:
    """Read and decode a page, or raise :class:`SourceError` (``st``: its ``os.stat``,
    when the caller took it already)."""
    try:
        size = (st or path.stat()).st_size
    except OSError as exc:
        raise SourceError(error("E001", f"cannot read file: {exc.strerror}")) from None
    if size > MAX_SOURCE_BYTES:
        raise SourceError(error("E002", f"file is {size // 2**20} MB; the limit for one page "
                                f"is {MAX_SOURCE_BYTES // 2**20} MB",
                                hint="split the file into one page per document"))
    try:
        data = read_file(path, size)
    except OSError as exc:
        raise SourceError(error("E001", f"cannot read file: {exc.strerror}")) from None
    return decode_source(data)


def read_file(path: str | Path, size: int) -> bytes:
    """The bytes of a file whose size is likely ``size`` (as ``os.stat`` gave it), all of
    them whatever it is now: what ``Path.read_bytes`` gives, in four system calls (open,
    two reads, close) where its file object makes nine (and two Python objects): a batch
    reads thousands of pages."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        pieces = [os.read(fd, size + 1)]
        while pieces[-1]:  # to the end, as the file is now (it may have grown)
            pieces.append(os.read(fd, 1 << 16))
    finally:
        os.close(fd)
    return pieces[0] if len(pieces) == 2 else b"".join(pieces)


def decode_source(data: bytes) -> SourceText:
    """Decode page bytes (see :func:`read_source`); pure, for tests and tools."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise SourceError(error("E003", "empty file" if not data else "file holds only "
                                "white space", hint="remove the file or put the page text in it"))
    raw, encoding, notes = _decode(data)
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    text, line_ends = normalize_line_ends(raw)
    return SourceText(text, raw, encoding, line_ends, digest, tuple(notes))


def _decode(data: bytes) -> tuple[str, str, list[Diagnostic]]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name, []
            except UnicodeDecodeError as exc:
                raise SourceError(error("E005", f"file starts with a {name} byte-order mark "
                                        f"but is not {name} ({exc.reason} at byte "
                                        f"{exc.start + len(bom)})")) from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise SourceError(error("E004", f"binary file: this is {what}, not text",
                                    hint="save the page as plain text (.txt)"))
    head = data[:65536]
    if b"\x00" in head or _control_ratio(head) > 0.05:
        raise SourceError(error("E004", "binary file: it holds control bytes that text "
                                "does not have", hint="save the page as plain text (.txt)"))
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    line = data.count(b"\n", 0, bad_at) + 1
    for name, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if any("\x80" <= ch <= "\x9f" for ch in text):
            continue  # C1 controls: this encoding does not explain the bytes either
        return text, name, [warning(
            "W001", f"not UTF-8 (byte 0x{data[bad_at]:02X} at line {line}); read as {label}",
            line=line, hint="save the file as UTF-8 so that every tool reads it the same way")]
    raise SourceError(error("E005", f"text that no encoding explains: byte 0x{data[bad_at]:02X} "
                            f"at line {line} is neither UTF-8, Windows-1252 nor Latin-1",
                            line=line, hint="find out the file's encoding and save it as UTF-8"))


#: Control bytes that text does not have (tab, line feed, form feed, carriage return aside).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))  # counted in C
    return controls / len(data)


def normalize_line_ends(raw: str) -> tuple[str, str]:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; also say which style the file used."""
    crlf = raw.count("\r\n")
    cr = raw.count("\r") - crlf
    lf = raw.count("\n") - crlf
    kinds = [name for name, count in (("crlf", crlf), ("cr", cr), ("lf", lf)) if count]
    style = kinds[0] if len(kinds) == 1 else ("lf" if not kinds else "mixed")
    if crlf or cr:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw, style


def raw_offset(raw: str, offset: int) -> int:
    """Map an offset in the normalized text to the same character in the decoded file text.

    Gold annotations count a CRLF line end as two characters; the model counts it as one.
    """
    if "\r" not in raw:
        return offset
    i = n = 0
    while n < offset and i < len(raw):
        if raw[i] == "\r" and raw[i + 1:i + 2] == "\n":
            i += 2
        else:
            i += 1
        n += 1
    return i


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Serial numbers for temporary names: with the process id, a name no other writer uses.
_SERIAL = itertools.count()

#: How a temporary file is opened: created here and now (never an existing file, never
#: through a symbolic link), not inherited by programs this process starts.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def write_atomic(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of them: a file too large to hold at once is made
    and written a piece at a time) to ``path`` so that a reader never sees half a file.

    The bytes go to a temporary file beside ``path`` that is then renamed over it, so a
    crash leaves the old file or the new one, never a part.  The temporary name carries the
    process id and a serial number, and is created exclusively, so two writers never share
    one (a name left by a crashed process is passed over).  It is created with mode 0o666
    less the umask, as ``open`` would make ``path``.  Every stage writes each of its files
    through here, so it makes the fewest system calls it can: the folder is only made when
    it is missing, the mode is right from the start (no ``chmod``), one ``write``.  Like
    ``open``, it does not ``fsync``.  The path may be a string, and is handled as one: an
    export places tens of thousands of files (:func:`pipeline.export.output.place`), and
    pathlib's objects were a third of the user time of placing one (16-22 µs against
    10-16 µs, 3,000 new files of 42 kB).
    """
    folder, name = os.path.split(os.fspath(path))
    made_folder = False
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_SERIAL)}.tmp")
        try:
            fd = os.open(tmp, _CREATE, 0o666)
        except FileExistsError:
            continue  # left by a crashed process that had the same id
        except FileNotFoundError:
            # The folder is missing, or was missing a moment ago: another worker may have
            # made it since, so asking whether it exists now proves nothing.  Make it (if
            # need be) and try once more.
            if made_folder or not folder:
                raise
            os.makedirs(folder, exist_ok=True)
            made_folder = True
            continue
        break
    try:
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, for messages.

    Every source and output of a batch is named so, and resolving each whole path (a
    ``stat`` per folder of it, every time) cost more than writing the file; a file's folder
    is resolved once (see :func:`_resolved`), the file itself only when it is a symbolic link.
    """
    cwd = os.getcwd()
    if path.name in ("", ".", "..") or path.is_symlink():
        try:
            return str(path.resolve().relative_to(_resolved(cwd, ".")))
        except ValueError:
            return str(path)
    folder = _shown_folder(cwd, str(path.parent))
    if folder is None:
        return str(path)
    return f"{folder}/{path.name}" if folder else path.name


@lru_cache(maxsize=256)
def _resolved(cwd: str, folder: str) -> Path:
    """``folder`` (relative to ``cwd``) with its symbolic links resolved; remembered: the
    folders of a run do not move while it runs."""
    return Path(cwd, folder).resolve()


@lru_cache(maxsize=256)
def _shown_folder(cwd: str, folder: str) -> str | None:
    """How :func:`display_path` names the files of ``folder``: its resolved path relative to
    ``cwd`` ("" for ``cwd`` itself), None when it lies elsewhere; remembered, as above."""
    try:
        shown = _resolved(cwd, folder).relative_to(_resolved(cwd, "."))
    except ValueError:
        return None
    return "" if shown == Path(".") else str(shown)


def find_sources(paths: Iterable[Path], pattern: str = "*.txt"
                 ) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into sources (files in folders: those matching ``pattern``),
    in a stable order.

    The files of a folder are those ``sorted(p for p in folder.rglob(pattern) if
    p.is_file())`` gives (:func:`_matching` walks the folder as :meth:`~pathlib.Path.rglob`
    does), found on strings: convert and the exports start with this, before their workers
    can, and pathlib's objects made it two and a half times as long (27 against 11 ms for
    3,000 files)."""
    found: list[Path] = []
    notes: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            match = re.compile(fnmatch.translate(pattern)).fullmatch
            found.extend(sorted(map(Path, _matching(str(path), match)),
                                key=lambda p: p.parts))  # (the order of Path's own <)
        elif path.is_file():
            found.append(path)
        else:
            notes.append(error("E001", "no such file or folder", file=str(path)))
    return found, notes


def _matching(folder: str, match: Callable[[str], object]) -> Iterator[str]:
    """The files (links to files too) below ``folder`` whose name ``match``es, as
    :meth:`pathlib.Path.rglob` finds them in Python 3.11: into folders but not into links
    to folders, past folders that cannot be listed."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        if match(entry.name) and entry.is_file():
            yield entry.path
        try:
            below = entry.is_dir() and not entry.is_symlink()
        except OSError:
            below = False
        if below:
            yield from _matching(entry.path, match)
