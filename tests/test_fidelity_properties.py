"""Properties that hold for every page, checked on generated ones (hypothesis).

1. Fidelity: the document text is recoverable from the TEI, character for character.
2. Round trip: writing a document as TEI and reading it back gives the same document.
3. Robustness: any text at all either converts or is refused with a diagnostic, never a crash.
4. Determinism: the same page gives the same bytes.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings, strategies as st

from pipeline.convert import PageError, read_page
from pipeline.convert.page import split_page
from pipeline.export.text import diplomatic
from pipeline.files import decode_source, SourceError
from pipeline.tei.read import parse, read_tei
from pipeline.tei.write import serialize

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

WORDS = ["the", "Politburo", "U.S.", "COSVN", "Hanoi", "talks", "bombing", "Comrade", "Kiem",
         "“quoted”", "don’t", "<b>", "&amp;", "]]>", "R&D", "a\u00a0b", "Wałęsa", "Këllezi",
         "1.", "a)", "(b)", "I.", "II.", "To:", "From:", "No.", "Secret", "TOP", "SECRET",
         "…", "...", "’", "\t", "—", "2", "1967", "January", "[sic]", "[…]", "[page 2]",
         "[1]", "[Signed]", "[illegible]", "[one group garbled]", "[UN General Secretary]",
         "[Tran Buu]", "[from Belgrade]", "[disputes]", "[", "]", "\x0c", "\u2028", "\x85"]
ABBR = st.sampled_from(["COSVN", "NLF", "CPSU", "CC CPCz", "MfS", "ČSSR", "PUWP"])
EXPANSION = st.sampled_from(["Central Office for South Vietnam", "National Liberation Front",
                             "Polish United Workers’ Party"])


@st.composite
def sentence(draw) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS),
                                    st.builds(lambda a, e: f"{a} [{e}]", ABBR, EXPANSION),
                                    st.text(st.characters(blacklist_characters="\x00\r\n",
                                                          blacklist_categories=("Cs",)),
                                            min_size=1, max_size=8)),
                          min_size=1, max_size=14))
    return " ".join(parts).strip(" \t") or "x"


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["p", "numbered", "lettered", "bullet", "roman", "field",
                                 "speaker", "signed", "lines", "note", "page"]))
    text = draw(sentence())
    n = draw(st.integers(1, 12))
    return {
        "p": text,
        "numbered": f"{n}. {text}",
        "lettered": f"{'abcdef'[n % 6]}) {text}",
        "bullet": f"  • {text}",
        "roman": f"{['I', 'II', 'III', 'IV'][n % 4]}. {text}",
        "field": f"{draw(st.sampled_from(['To:', 'From:', 'Copy to:', 'Sent:']))} {text}",
        "speaker": f"{draw(st.sampled_from(['Zhou Enlai', 'T. Zhivkov', 'Subandrio']))}: {text}",
        "signed": f"[Signed] {text}",
        "lines": f"{text}\n{draw(sentence())}",
        "note": f"[{n}] Translator’s note: {text}",
        "page": f"[page {n}]",
    }[kind]


@st.composite
def page(draw) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=12))
    staging = draw(st.booleans())
    gap = "\n" if staging else draw(st.sampled_from(["\n\n", "\n\n\n", "\n\n\n\n"]))
    body = gap.join(blocks)
    head = ["Skip to content", draw(st.sampled_from(["January 23, 1967", "March 1953",
                                                     "c. 1957", "no date here"])),
            draw(st.sampled_from(["Secret North Vietnam Politburo Cable No. 323",
                                  "Letter from A. B. Author to C. Reader on Things",
                                  "Record of Conversation between X and Y"]))]
    if draw(st.booleans()):
        head.append("This document was made possible with support from Henry Luce Foundation")
    tail = []
    if draw(st.booleans()):
        tail = ["The Politburo informs the command of the new situation and outlines the "
                "strategy to follow in the talks with the other side.", "Associated Places",
                "Document Information",
                "Archive of the Party Central Committee, Hanoi. Translated for CWIHP by M. P."]
    sep = "\n" if staging else "\n\n"
    return sep.join(head) + sep + body + (sep + sep.join(tail) if tail else "")


def _check(text: str) -> None:
    try:
        doc, _notes = read_page(text, "generated")
    except PageError:
        return
    zones = split_page(text)
    source_text = text[zones.body_start:zones.body_end]
    assert diplomatic(doc.body) == source_text
    data = serialize(doc)
    back = read_tei(parse(data))
    assert diplomatic(back.body) == source_text
    assert back.body == doc.body
    assert back.header == doc.header
    assert serialize(back) == data


@SETTINGS
@given(page())
@example("Skip to content\n\nJanuary 23, 1967\n\nSecret North Vietnam Politburo Cable No. 323"
         "\n\nthe\n\nU.S.\n[UN General Secretary]")  # an abbreviation at a line end
def test_generated_pages_keep_every_character_and_round_trip(text: str) -> None:
    _check(text)


@SETTINGS
@given(page(), st.sampled_from(["\r\n", "\r"]), st.booleans())
def test_line_ends_and_byte_order_marks_do_not_change_the_text(text: str, eol: str,
                                                               bom: bool) -> None:
    data = (("\ufeff" if bom else "") + text.replace("\n", eol)).encode("utf-8")
    source = decode_source(data)
    assert source.text == text
    _check(source.text)


@SETTINGS
@given(st.binary(max_size=400))
@example(b"\x7f\r!")
def test_any_bytes_are_converted_or_refused_with_a_diagnostic(data: bytes) -> None:
    try:
        source = decode_source(data)
    except SourceError as exc:
        assert exc.diagnostic.code.startswith("E")
        return
    _check(source.text)


@SETTINGS
@given(st.text(max_size=600))
@example("\x08\n0")  # a title line of a control character alone: an untitled page
def test_any_text_is_converted_or_refused(text: str) -> None:
    _check(text.replace("\r", "\n"))
