"""Names shared by the TEI writer and reader."""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
PI_TARGET = "teipipe"


def tei(name: str) -> str:
    """The Clark name of a TEI element: ``tei("p")`` -> ``{http://www.tei-c.org/ns/1.0}p``."""
    return f"{{{TEI_NS}}}{name}"


#: Entity types and the TEI element that names each.
NAME_ELEMENTS = {"person": "persName", "place": "placeName", "org": "orgName"}
ELEMENT_TYPES = {v: k for k, v in NAME_ELEMENTS.items()}

#: How each kind of bracketed insertion is encoded: (element, attributes).
#: ``page`` and ``expansion`` are written by the writer's own code (pb + fw; choice).
INSERTION_ELEMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "supplied-name": ("supplied", {"reason": "name-part"}),
    "supplied": ("supplied", {"reason": "sense"}),
    "gloss": ("note", {"type": "gloss", "place": "inline"}),
    "alternative": ("note", {"type": "alternative", "place": "inline"}),
    "literal": ("note", {"type": "literal", "place": "inline"}),
    "codename": ("note", {"type": "codename", "place": "inline"}),
    "sic": ("note", {"type": "sic", "place": "inline"}),
    "signed": ("note", {"type": "signed", "place": "inline"}),
    "editorial": ("note", {"type": "editorial", "place": "inline"}),
    "omission": ("gap", {"reason": "omitted"}),
    "illegible": ("gap", {"reason": "illegible"}),
    "garbled": ("gap", {"reason": "garbled"}),
    "noteref": ("ref", {"type": "noteref"}),
}
