"""One walk of a file's tree that gathers what the Python checks and the corpus facts need.

Six XPath queries (``//*[@xml:id]``, ``//*[@ref or …]`` …) each walk the whole tree, and each
result then costs a Python object per element; one Python walk over the elements, its
findings sorted into lists here, costs less than two of them.  Every list keeps document
order, which is the order the diagnostics come out in.

The register entries copied into a document's standOff recur in file after file; an entry's
subtree is summarised once per run by its XML (:class:`Summary`: its xml:ids, pointer values
and @refs, all that the checks need when nothing is wrong) instead of being walked in every
file.  A check that finds a fault there asks for :attr:`Index.full`, the walk of every
element, to report it where it is.

"Inside standOff" means what ``ancestor::tei:standOff`` means: a descendant of any
``<standOff>``, wherever it is (the checks must hold on any well-formed file, not only on
valid ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


@dataclass(frozen=True)
class Summary:
    """What the walk of one register entry (under a top-level standOff) finds, as values."""

    xml: bytes  # the entry's XML, by which it is known
    ids: tuple[str, ...]
    pointer_values: tuple[str, ...]  # the values of its POINTER_ATTRIBUTES
    refs: tuple[str, ...]  # its @ref values (entry_refs)


#: Summaries by an entry's XML, kept for the run (a pure function of the bytes; a few
#: thousand distinct entries at most, as many as the register has).
_SUMMARIES: dict[bytes, Summary] = {}


@dataclass
class Index:
    """What one walk found (elements in document order).  In a summarised index (the
    default) the element lists leave out the descendants-or-self of the entries in
    ``summarised``; :attr:`full` has them all."""

    #: (element, xml:id, inside standOff), every element with an xml:id
    ids: list[tuple[etree._Element, str, bool]] = field(default_factory=list)
    pointers: list[etree._Element] = field(default_factory=list)  # any POINTER_ATTRIBUTES
    #: the values of the POINTER_ATTRIBUTES of ``pointers``, in order (read in the walk)
    pointer_attribute_values: list[str] = field(default_factory=list)
    dates: list[etree._Element] = field(default_factory=list)  # any DATE_ATTRIBUTES
    #: persName, placeName, orgName with @ref outside standOff
    name_refs: list[etree._Element] = field(default_factory=list)
    name_ref_values: list[str] = field(default_factory=list)  # their @ref values
    #: person, place, org under a standOff that is a child of the root
    entries: list[etree._Element] = field(default_factory=list)
    #: the @ref values under (and on) a standOff that is a child of the root
    entry_refs: list[str] = field(default_factory=list)
    #: top-level standOff entries not walked, each with its summary
    summarised: list[tuple[etree._Element, Summary]] = field(default_factory=list)
    #: person, place, org anywhere, each with its tag (document order)
    entry_tags: list[tuple[etree._Element, str]] = field(default_factory=list)
    root: etree._Element | None = None
    _full: Index | None = None
    _xml: dict[etree._Element, bytes] = field(default_factory=dict)
    _named: dict[tuple[str, ...], list[etree._Element]] = field(default_factory=dict)
    _distinct: bool | None = None
    _pointer_values: list[str] | None = None

    @property
    def full(self) -> Index:
        """The walk of every element (for the messages of a check that found a fault)."""
        if not self.summarised:
            return self
        if self._full is None:
            assert self.root is not None
            self._full = index_of(self.root, summarise=False)
        return self._full

    @property
    def walked_whole(self) -> bool:
        """Whether a check asked for :attr:`full` (to report a fault where it is)."""
        return self._full is not None

    def id_values(self) -> list[str]:
        """Every xml:id of the file (summarised entries' last)."""
        return [value for _el, value, _in in self.ids] + \
            [value for _el, s in self.summarised for value in s.ids]

    def pointer_values(self) -> list[str]:
        """The values of every pointer attribute of the file (gathered once: tei_all's
        outline and the pointer rules both ask)."""
        if self._pointer_values is None:
            self._pointer_values = self.pointer_attribute_values + \
                [value for _el, s in self.summarised for value in s.pointer_values]
        return self._pointer_values

    def all_entry_refs(self) -> list[str]:
        """Every @ref value under a top-level standOff."""
        return self.entry_refs + [value for _el, s in self.summarised for value in s.refs]

    @property
    def ids_distinct(self) -> bool:
        """Whether no xml:id occurs twice (asked by both outline checks)."""
        if self._distinct is None:
            values = self.id_values()
            self._distinct = len(set(values)) == len(values)
        return self._distinct

    def named(self, root: etree._Element, tags) -> list[etree._Element]:
        """The elements of these names under ``root``, in document order, found once for
        all who ask (both outline checks look for the same register entries).  Entries
        under the index's root come from the walk that found them (a walk of the tree
        costs as much as the elements it passes, found or not)."""
        key = tuple(sorted(tags))
        found = self._named.get(key)
        if found is None:
            if root is self.root and ENTRY_TAGS.issuperset(key):
                found = [el for el, tag in self.entry_tags if tag in key]
            else:
                found = list(root.iter(*key))
            self._named[key] = found
        return found

    def xml_of(self, el: etree._Element) -> bytes:
        """An element's XML (UTF-8, without its tail), serialized once for all who need it."""
        xml = self._xml.get(el)
        if xml is None:
            xml = self._xml[el] = etree.tostring(el, with_tail=False, encoding="UTF-8")
        return xml


def index_of(root: etree._Element, summarise: bool = True,
             xml: dict[etree._Element, bytes] | None = None) -> Index:
    """Walk the tree under ``root`` once (one loop, no call per element: it is the hot
    path of a validation run); with ``summarise``, the entries under a top-level standOff
    are summarised rather than walked.  ``xml`` gives the XML of elements known already
    (:meth:`Index.xml_of`): a hollow file's entries (:mod:`.hollow`) stand for their full
    copies, which they are known by."""
    out = Index(root=root, _xml={} if xml is None else xml)
    nested: set[etree._Element] = set()  # under a standOff that is not a child of the root
    for el in root.iter(STAND_OFF, *ENTRY_TAGS):  # one walk finds both
        tag = el.tag
        if tag != STAND_OFF:
            out.entry_tags.append((el, tag))
            if _top_stand_off(el, root):
                out.entries.append(el)
        elif el.getparent() is not root:
            nested.update(el.iterdescendants())
    ids, pointers, dates = out.ids, out.pointers, out.dates
    values = out.pointer_attribute_values
    parts = [(root, False)] + [(child, child.tag == STAND_OFF)
                               for child in root.iterchildren(etree.Element)]
    elements: Iterable[etree._Element]
    for part, top in parts:
        if part is root:
            elements = (root,)
        elif top and summarise:
            elements = _outside_entries(part, out)
        else:
            elements = part.iter(etree.Element)
        for el in elements:
            attributes = el.items()  # (one call for what the checks read of the element)
            if not attributes:
                continue
            inside = (top and el is not part) or (bool(nested) and el in nested)
            pointer = date = False
            ref: str | None = None
            for name, value in attributes:
                if name == XML_ID:
                    ids.append((el, value, inside))
                elif name in _POINTERS:
                    pointer = True
                    values.append(value)
                    if name == "ref":
                        ref = value
                elif name in _DATES:
                    date = True
            if pointer:
                pointers.append(el)
            if date:
                dates.append(el)
            if ref is not None:
                if not inside and el.tag in NAME_TAGS:
                    out.name_refs.append(el)
                    out.name_ref_values.append(ref)
                if top:
                    out.entry_refs.append(ref)
    return out


def _top_stand_off(el: etree._Element, root: etree._Element) -> bool:
    """Whether ``el`` is under a standOff that is a child of ``root``."""
    parent = el.getparent()
    while parent is not None:
        above = parent.getparent()
        if above is root:
            return parent.tag == STAND_OFF
        parent = above
    return False


def _outside_entries(part: etree._Element, out: Index) -> Iterator[etree._Element]:
    """The elements of a top-level standOff in document order, but for the entries (and
    all under them), which go to ``out.summarised`` instead."""
    stack = [part]
    while stack:
        el = stack.pop()
        yield el
        children = []
        for child in el.iterchildren(etree.Element):
            if child.tag in ENTRY_TAGS:
                out.summarised.append((child, _summary(out.xml_of(child), child)))
            else:
                children.append(child)
        stack.extend(reversed(children))


def _summary(xml: bytes, entry: etree._Element) -> Summary:
    found = _SUMMARIES.get(xml)
    if found is None:
        ids, pointer_values, refs = [], [], []
        for el in entry.iter(etree.Element):
            for attr, value in el.items():
                if attr == XML_ID:
                    ids.append(value)
                elif attr in _POINTERS:
                    pointer_values.append(value)
                    if attr == "ref":
                        refs.append(value)
        found = _SUMMARIES[xml] = Summary(xml, tuple(ids), tuple(pointer_values), tuple(refs))
    return found
