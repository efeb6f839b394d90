"""Choosing among register entries that share a name, and accepting short forms.

Two entries may bear one name ("Johnson": Lyndon B. Johnson and U. Alexis Johnson; "Bundy":
McGeorge and William); a short form (``subtype="short"``: "the Front", "the Politburo",
"Castro" for Raúl) may only be read with support from the document.  The evidence, tried in
this order (schema/register.md, "Ambiguity"):

1. the document names one of the candidates in full elsewhere (``Lyndon Johnson`` ... ``Johnson``);
2. a title just before the name matches an office the register records (``Ambassador Johnson``);
3. the document's date: people alive then, and among them people in office then;
4. the document's setting: candidates of the country the document is most about (the countries
   of its unambiguous names and of its archive).

What stays open is reported, and tagged with every candidate and ``cert="low"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .register import Entry, Register


@dataclass(init=False)
class Setting:
    """What a document tells about itself: its year, its full names, its countries.

    (Plain dicts and sets, and an ``__init__`` written out: compiled, a ``Counter`` and the
    ``__init__`` :mod:`dataclasses` makes are Python code, run for every document.)"""

    year: int | None = None
    named: set[str] = field(default_factory=set)  # ids named unambiguously in full
    countries: dict[str, int] = field(default_factory=dict)  # country id -> weight

    def __init__(self, year: int | None = None, named: set[str] | None = None,
                 countries: dict[str, int] | None = None) -> None:
        self.year = year
        self.named = set() if named is None else named
        self.countries = {} if countries is None else countries


def add_to_setting(setting: Setting, register: Register, eid: str, weight: int = 1,
                   times: int = 1) -> None:
    """Count an entry (and the countries above it) as part of the document's setting
    (``times``: as many mentions of it at once)."""
    countries = setting.countries
    for k, cid in enumerate(register.setting_chain(eid)):
        countries[cid] = countries.get(cid, 0) + times * (weight if k == 0 else
                                                          max(1, weight // 2))


@dataclass(frozen=True)
class Decision:
    refs: tuple[str, ...]  # one id when decided; all candidates when not; () to drop
    reason: str  # unique | default | named | title | date | office | setting | open | unsupported


def decide(register: Register, full: tuple[str, ...], short: tuple[str, ...],
           setting: Setting, title: str | None) -> Decision:
    """The entry (or entries) a name stands for; see the module docstring."""
    if len(full) == 1 and not short:
        return Decision(full, "unique")
    candidates = list(full) + [s for s in short if s not in full]
    named = [c for c in candidates if c in setting.named]
    if len(named) == 1:
        return Decision((named[0],), "named")
    if title:
        by_title = [c for c in candidates if _has_title(register.entries[c], title)]
        if len(by_title) == 1:
            return Decision((by_title[0],), "title")
    # a short form needs support; what is left of the candidates is the full names
    pool = list(full)
    supported_short = [s for s in short if s not in full and _setting_score(register, s,
                                                                          setting) > 0]
    if not pool:
        pool = supported_short
        if not pool:
            return Decision((), "unsupported")
    if len(pool) == 1:
        return Decision((pool[0],), "unique" if not short else "default")
    if setting.year is not None:
        alive = [c for c in pool if register.entries[c].life.contains(setting.year)]
        if len(alive) == 1:
            return Decision((alive[0],), "date")
        pool = alive or pool
        in_office = [c for c in pool if any(r.contains(setting.year)
                                            for r in register.entries[c].roles)]
        if len(in_office) == 1:
            return Decision((in_office[0],), "office")
    scores = {c: _setting_score(register, c, setting) for c in pool}
    best = max(scores.values())
    top = [c for c in pool if scores[c] == best]
    if best > 0 and len(top) == 1:
        return Decision((top[0],), "setting")
    return Decision(tuple(sorted(pool)), "open")


def _has_title(entry: Entry, title: str) -> bool:
    t = title.lower().rstrip(".")
    return any(t in role.label.lower().split() for role in entry.roles)


def _setting_score(register: Register, eid: str, setting: Setting) -> int:
    return sum(setting.countries.get(c, 0) for c in register.setting_chain(eid)[:2])
