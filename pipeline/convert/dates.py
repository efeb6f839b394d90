"""Reading dates as the archive pages write them, into ISO 8601.

Pages write ``January 23, 1967`` (the site), documents write ``23 January 1967``,
``16.V.1961`` (telegraphese with a Roman month), ``22 August 1968``.  Only dates that
exist are accepted: ``February 30, 1967`` is not a date and is reported as such.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Final

MONTHS: Final = {name: i for i, name in enumerate(
           ["january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december"], start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9
ROMAN_MONTHS: Final = {r: i for i, r in enumerate(
           ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], start=1)}

_MONTH: Final = r"(?P<month>January|February|March|April|May|June|July|August|September|October|" \
                r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_SP: Final = r"[^\S\n]+"
_PATTERNS: Final = [
           re.compile(rf"{_MONTH}{_SP}(?P<day>\d{{1,2}}),{_SP}(?P<year>\d{{4}})", re.I),
           re.compile(rf"(?P<day>\d{{1,2}}){_SP}{_MONTH},?{_SP}(?P<year>\d{{4}})", re.I),
           re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
           re.compile(r"(?P<day>\d{1,2})\.(?P<month>[IVX]{1,4})\.(?P<year>\d{4})"),
           re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"),
           re.compile(rf"{_MONTH}{_SP}(?P<year>\d{{4}})", re.I),
           re.compile(r"(?P<year>1[89]\d\d|20\d\d)"),
]
_APPROX: Final = re.compile(r"^(?:c\.|ca\.|circa|about)\s*", re.I)
_DIGIT: Final = re.compile(r"\d")  # each of the patterns needs one


def is_approximate(text: str) -> bool:
    """``c. 1957``, ``circa 1960``: the date is the page's estimate."""
    return _APPROX.match(text.strip()) is not None


class DateError(ValueError):
    """The text looks like a date but names a day that does not exist."""


def parse_date(text: str, whole: bool = True) -> str | None:
    """The ISO form of a date written as ``text``; ``None`` when it is not a date.

    With ``whole``, the text must be nothing but the date (a page's date line); otherwise the
    first date found in it is read.  Raises :class:`DateError` for a date that does not exist.
    """
    found = find_date(text.strip(), whole=whole)
    return found[2] if found else None


def find_date(text: str, whole: bool = False, start: int = 0) -> tuple[int, int, str] | None:
    """``(start, end, iso)`` of the first date in ``text``, or ``None``."""
    if not whole and _DIGIT.search(text, start) is None:
        return None  # every date has a year in digits (most lines asked about have none)
    body = text
    prefix = 0
    if whole:
        m = _APPROX.match(text)
        if m:
            prefix = m.end()
            body = text[prefix:]
    best: tuple[int, int, str] | None = None
    for pattern in _PATTERNS:
        m = pattern.fullmatch(body) if whole else pattern.search(body, start)
        if not m:
            continue
        if not whole and best is not None and m.start() >= best[0]:
            continue
        iso = _iso(m)
        if iso is None:
            continue
        best = (m.start() + prefix, m.end() + prefix, iso)
        if whole:
            break
    return best


def _iso(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    year = int(parts["year"])
    month_text = parts.get("month")
    if month_text is None:
        return f"{year:04d}"
    if month_text.isdigit():
        month: int | None = int(month_text)
    elif month_text.upper() in ROMAN_MONTHS and month_text.isupper():
        month = ROMAN_MONTHS[month_text.upper()]
    else:
        month = MONTHS.get(month_text.lower().rstrip("."))
    if not month or not 1 <= month <= 12:
        return None
    day_text = parts.get("day")
    if day_text is None:
        return f"{year:04d}-{month:02d}"
    day = int(day_text)
    try:
        _dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{m.group(0)!r} is not a real date") from None
    return f"{year:04d}-{month:02d}-{day:02d}"
