"""One walk of a file's tree that gathers what the Python checks and the corpus facts need.

Six XPath queries (``//*[@xml:id]``, ``//*[@ref or …]`` …) each walk the whole tree, and each
result then costs a Python object per element; one Python walk over the elements, its
findings sorted into lists here, costs less than two of them.  Every list keeps document
order, which is the order the diagnostics come out in.

"Inside standOff" means what ``ancestor::tei:standOff`` means: a descendant of any
``<standOff>``, wherever it is (the checks must hold on any well-formed file, not only on
valid ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..tei.ns import XML_ID, tei

POINTER_ATTRIBUTES = ("ref", "target", "resp", "ana", "scheme")
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
NAME_TAGS = frozenset(tei(n) for n in ("persName", "placeName", "orgName"))
ENTRY_TAGS = frozenset(tei(n) for n in ("person", "place", "org"))
STAND_OFF = tei("standOff")
_POINTERS = frozenset(POINTER_ATTRIBUTES)
_DATES = frozenset(DATE_ATTRIBUTES)


@dataclass
class Index:
    """What one walk found (elements in document order)."""

    #: (element, xml:id, inside standOff), every element with an xml:id
    ids: list[tuple[etree._Element, str, bool]] = field(default_factory=list)
    pointers: list[etree._Element] = field(default_factory=list)  # any POINTER_ATTRIBUTES
    dates: list[etree._Element] = field(default_factory=list)  # any DATE_ATTRIBUTES
    #: persName, placeName, orgName with @ref outside standOff
    name_refs: list[etree._Element] = field(default_factory=list)
    #: person, place, org under a standOff that is a child of the root
    entries: list[etree._Element] = field(default_factory=list)
    #: the @ref values under (and on) a standOff that is a child of the root
    entry_refs: list[str] = field(default_factory=list)
    _xml: dict[etree._Element, bytes] = field(default_factory=dict)
    _named: dict[tuple[str, ...], list[etree._Element]] = field(default_factory=dict)
    _distinct: bool | None = None

    @property
    def ids_distinct(self) -> bool:
        """Whether no xml:id occurs twice (asked by both outline checks)."""
        if self._distinct is None:
            self._distinct = len({value for _el, value, _in in self.ids}) == len(self.ids)
        return self._distinct

    def named(self, root: etree._Element, tags) -> list[etree._Element]:
        """The elements of these names under ``root``, in document order, found once for
        all who ask (both outline checks look for the same register entries)."""
        key = tuple(sorted(tags))
        found = self._named.get(key)
        if found is None:
            found = self._named[key] = list(root.iter(*key))
        return found

    def xml_of(self, el: etree._Element) -> bytes:
        """An element's XML (UTF-8, without its tail), serialized once for all who need it."""
        xml = self._xml.get(el)
        if xml is None:
            xml = self._xml[el] = etree.tostring(el, with_tail=False, encoding="UTF-8")
        return xml


def index_of(root: etree._Element) -> Index:
    """Walk the tree under ``root`` once (one loop, no call per element: it is the hot
    path of a validation run)."""
    out = Index()
    nested: set[etree._Element] = set()  # under a standOff that is not a child of the root
    for stand_off in root.iter(STAND_OFF):
        if stand_off.getparent() is not root:
            nested.update(stand_off.iterdescendants())
    ids, pointers, dates = out.ids, out.pointers, out.dates
    parts = [(root, False)] + [(child, child.tag == STAND_OFF)
                               for child in root.iterchildren(etree.Element)]
    for part, top in parts:
        if top:
            out.entries.extend(part.iter(*ENTRY_TAGS))
        elements = part.iter(etree.Element) if part is not root else (root,)
        for el in elements:
            keys = el.keys()
            if not keys:
                continue
            inside = (top and el is not part) or (bool(nested) and el in nested)
            if XML_ID in keys:
                ids.append((el, el.get(XML_ID), inside))
            if not _POINTERS.isdisjoint(keys):
                pointers.append(el)
            if not _DATES.isdisjoint(keys):
                dates.append(el)
            if "ref" in keys:
                if not inside and el.tag in NAME_TAGS:
                    out.name_refs.append(el)
                if top:
                    out.entry_refs.append(el.get("ref"))
    return out
