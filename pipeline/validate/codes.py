"""The validator's rules: one code per fault, its layer, severity, what it says and how to fix it.

This table is the single source of truth: the checks take their severity and default hint
from it, the encoding guide's rule table (schema/README.md) is generated from it
(``python -m pipeline.validate.codes``), and the tests check that every code the schemas
and the Schematron use is here and that every code here has a broken file under
``tests/invalid/`` that yields it.

Layers run in this order (see :mod:`pipeline.validate`): ``file`` (reading and parsing,
V0xx), ``schema`` (the project schema, V1xx), ``tei`` (TEI P5 tei_all, V2xx), ``rules``
(Schematron and Python checks, V3xx).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Rule:
    code: str
    layer: str  # file | schema | tei | rules
    severity: Severity
    title: str  # what is wrong, in a few words
    hint: str  # how to fix it (the default; a check may say more)
    by: str  # where the rule is implemented


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
_XSD = "schema/teipipe.xsd"
_SCH = "schema/teipipe.sch"

RULES: dict[str, Rule] = {r.code: r for r in (
    # -- layer 1: the file -----------------------------------------------------------------
    Rule("V001", "file", E, "the file cannot be read",
         "check that the path exists and is a readable file", "xmlfile.read_xml"),
    Rule("V002", "file", E, "not well-formed XML",
         "fix the XML at the position given (an unclosed tag, a stray '&' or '<')",
         "xmlfile.read_xml (libxml2)"),
    Rule("V003", "file", E, "the file is too large to be one document",
         "an archive document is a few hundred kilobytes at most: check that this is the "
         "right file, or raise --max-bytes", "xmlfile.read_xml"),
    Rule("V004", "file", E, "DOCTYPE, DTD or entity declarations",
         "remove the <!DOCTYPE ...> declaration: the edition's TEI uses none, and a DTD can "
         "pull in external files or expand entities without bound", "xmlfile.read_xml"),
    Rule("V005", "file", E, "not a TEI document",
         "the root element must be <TEI xmlns=\"http://www.tei-c.org/ns/1.0\">",
         "xmlfile.read_xml"),
    # -- layer 2: the project schema -------------------------------------------------------
    Rule("V101", "schema", E, "element not allowed here",
         "see schema/README.md for the elements the edition uses and where",
         _XSD + " (content models)"),
    Rule("V102", "schema", E, "required element missing",
         "add the element the message names, at the place it names", _XSD),
    Rule("V103", "schema", E, "attribute not allowed here",
         "remove the attribute, or see schema/README.md for the attributes of this element",
         _XSD),
    Rule("V104", "schema", E, "required attribute missing",
         "add the attribute the message names", _XSD),
    Rule("V105", "schema", E, "attribute value not allowed",
         "use one of the values the message lists", _XSD + " (closed value lists)"),
    Rule("V106", "schema", E, "text not allowed here",
         "only white space may stand between these elements: move the text into a "
         "paragraph or the element it belongs to", _XSD),
    Rule("V107", "schema", E, "invalid content",
         "see the message; schema/README.md shows the expected encoding", _XSD),
    Rule("V110", "schema", E, "document type not in the closed list",
         "use a document type of pipeline/vocab.py DOC_TYPES (or \"other\")",
         _XSD + " docType"),
    Rule("V111", "schema", E, "classification level not in the closed list",
         "use a classification level of pipeline/vocab.py CLASSIFICATIONS",
         _XSD + " classificationPointer"),
    Rule("V112", "schema", E, "pointer of the wrong form",
         "@resp points at the document's own respStmt: \"#{doc-id}.translator\", "
         "\"#{doc-id}.editors\" or, for proposed names, \"#{doc-id}.ner\"",
         _XSD + " insertionResp, nerResp, localPointer"),
    Rule("V113", "schema", E, "date of the wrong form",
         "write dates as YYYY, YYYY-MM or YYYY-MM-DD", _XSD + " isoDate"),
    Rule("V114", "schema", E, "register text not on one line",
         "write names and descriptions on one line without spaces at either end",
         "schema/entities.xsd plainLine"),
    Rule("V115", "schema", E, "name points at the wrong kind of entry",
         "persName points at #per-…, placeName at #pla-…, orgName at #org-…",
         _XSD + " perRef, plaRef, orgRef"),
    Rule("V116", "schema", E, "empty header field",
         "write the text, or leave the element out", _XSD + " text"),
    Rule("V117", "schema", E, "category outside the closed lists",
         "point at {doc-id}.doctype.{type} or {doc-id}.classification.{level}, with a type or "
         "level of pipeline/vocab.py", _XSD + " categoryPointer"),
    # -- layer 3: TEI conformance -----------------------------------------------------------
    Rule("V201", "tei", E, "not valid TEI P5 (tei_all)",
         "the file breaks the TEI Guidelines themselves; see the message, and the TEI "
         "reference page of the element named", "conformance.check_tei (tei_all 4.3.0)"),
    Rule("V202", "tei", E, "the tei_all schema is not set up",
         "run `teipipe setup` (or `make setup`) once; it fetches tei_all.rng",
         "conformance.grammar_for"),
    # -- layer 4: rules -------------------------------------------------------------------
    Rule("V301", "rules", E, "pointer does not resolve",
         "point at an xml:id of this file (#id); for names, copy the register entry into "
         "standOff (re-run `teipipe convert`)", "checks.dangling_pointers"),
    Rule("V302", "rules", E, "xml:id used twice in the file",
         "give each element its own id", "checks.duplicate_ids"),
    Rule("V303", "rules", E, "xml:id used in another file of the edition",
         "ids start with the document id, which is the file name: check that the file's "
         "name and root xml:id agree", "corpus.corpus_ids"),
    Rule("V304", "rules", E, "standOff copy differs from the register entry",
         "copies in standOff are verbatim: re-run `teipipe convert` to refresh them from "
         "source/register.xml (edit the register, not the copy)", "corpus.standoff_copies"),
    Rule("V305", "rules", E, "entry not in the register",
         "add the entry to source/register.xml, or link the name to an existing entry",
         "corpus.standoff_copies"),
    Rule("V306", "rules", E, "empty name",
         "put the name's words inside the element, or remove it", _SCH),
    Rule("V307", "rules", E, "name neither linked nor proposed",
         "link it to its register entry (ref=\"#per-…\", \"#pla-…\", \"#org-…\"), or mark "
         "it as a proposal (cert=\"…\" resp=\"#{doc-id}.ner\")", _SCH),
    Rule("V308", "rules", E, "impossible date",
         "the day does not exist (30 February, month 13): correct @when", "checks.dates"),
    Rule("V309", "rules", E, "date disagrees with its text",
         "make @when the date the text writes (or correct the text if it was mistyped)",
         "checks.dates"),
    Rule("V310", "rules", E, "document id disagrees with the file name",
         "the root xml:id is \"d\" + the file name without .xml (pipeline.convert.doc_id); "
         "rename the file or fix the id", "checks.file_name"),
    Rule("V311", "rules", E, "header date disagrees with the file name",
         "file names start with the document's date: rename the file or correct "
         "profileDesc/creation/date/@when", "checks.file_name"),
    Rule("V312", "rules", W, "title shares no word with the file name",
         "the file name's words come from the title: check that file and title belong to "
         "the same document", "checks.file_name"),
    Rule("V313", "rules", E, "authority id of the wrong form",
         "Wikidata ids are Q and digits (Q9640); VIAF and GeoNames ids are digits", _SCH),
    Rule("V314", "rules", I, "register entry nothing refers to",
         "remove the entry, or link the names that mean it (validate the register together "
         "with the whole edition)", "corpus.register_use"),
    Rule("V315", "rules", W, "namesakes nothing tells apart",
         "give persons their birth or death, places and organizations their kind (@type) and "
         "country, or bodies the years of their names (@from, @to)", "corpus.namesakes"),
    Rule("V316", "rules", E, "the text no longer matches its source",
         "the TEI lost or changed text of its source: re-run `teipipe convert` (with "
         "--force if the file was edited by hand) or restore the passage",
         "fidelity.check_fidelity"),
    Rule("V317", "rules", E, "the source changed since conversion (stale)",
         "re-run `teipipe convert` for this file", "fidelity.check_fidelity"),
    Rule("V318", "rules", W, "source not found: fidelity not checked",
         "keep the source page where the <?teipipe source=…?> record says, or re-run "
         "`teipipe convert`", "fidelity.check_fidelity"),
    Rule("V319", "rules", W, "no teipipe record: fidelity not checked",
         "files made by `teipipe convert` start with a <?teipipe …?> record; keep it",
         "fidelity.check_fidelity"),
    Rule("V320", "rules", W, "note reference without a note",
         "the page has no note with this number: check the source", _SCH),
    Rule("V321", "rules", W, "standOff entry the document does not refer to",
         "standOff holds only the entries the document refers to: re-run `teipipe convert`",
         "corpus.standoff_copies"),
    Rule("V322", "rules", E, "xml:id does not start with the document id",
         "prefix the id with the document id and a full stop: {doc-id}.p3",
         "checks.id_prefixes"),
    Rule("V323", "rules", E, "body and header disagree on the document type",
         "make div/@subtype the type of the header's doctype category", _SCH),
    Rule("V324", "rules", E, "catRef target outside its scheme",
         "@target must be a category of the taxonomy @scheme points at", _SCH),
    Rule("V325", "rules", E, "list items numbered wrongly",
         "items of a lettered list carry their letter or numeral (n=\"a\", n=\"ii\"), as "
         "printed in their label; bulleted items have no @n", _SCH),
    Rule("V326", "rules", E, "ambiguous link not marked uncertain",
         "keep only the right entry in @ref, or mark the ambiguity cert=\"low\"", _SCH),
    Rule("V327", "rules", E, "paragraph number disagrees with its label",
         "give @n the number printed in the paragraph's label (label \"2.\", n=\"2\"), or "
         "remove both", _SCH),
    Rule("V328", "rules", E, "opener line of the wrong shape",
         "seg type=\"classification\" needs ana=\"#{doc-id}.classification.{level}\"; other "
         "segs have no @ana; fields (To:, From: …) start with their label, handling lines "
         "have none", _SCH),
    Rule("V329", "rules", E, "note number disagrees with its label",
         "make the note's @n the number in its label", _SCH),
    Rule("V330", "rules", E, "unknown respStmt id",
         "use one of the ids {doc-id}.translator, .obtained, .editors, .encoder, .ner", _SCH),
    Rule("V331", "rules", E, "register id of the wrong form",
         "name entries per-, pla- or org- followed by lowercase ASCII letters, digits and "
         "single hyphens (per-lyndon-b-johnson)", _SCH),
    Rule("V332", "rules", E, "entry without exactly one preferred name",
         "mark one name type=\"preferred\" and the others type=\"variant\"", _SCH),
    Rule("V334", "rules", E, "copy not marked as received",
         "a copy's correspAction is type=\"received\" subtype=\"copy\"", _SCH),
    Rule("V335", "rules", E, "document date neither dated nor \"undated\"",
         "add when=\"YYYY-MM-DD\" (as precise as known), or write \"undated\"", _SCH),
    Rule("V336", "rules", E, "body divisions of the wrong shape",
         "the body holds the document (div type=\"document\" subtype=\"…\") and then one "
         "div type=\"enclosure\" xml:id=\"{doc-id}.enclosure1\" for each enclosure", _SCH),
    Rule("V399", "rules", E, "internal error of a check",
         "please report this with the file; the other checks still ran", "run"),
)}


def diagnostic(code: str, message: str, *, file: str = "", line: int | None = None,
               column: int | None = None, hint: str | None = None) -> Diagnostic:
    """A diagnostic of rule ``code``, with its severity and (unless given) its hint."""
    rule = RULES[code]
    return Diagnostic(code, rule.severity, message, file, line, column,
                      rule.hint if hint is None else hint)


def markdown_table() -> str:
    """The rule table of schema/README.md."""
    rows = ["| code | layer | severity | what is wrong | how to fix it | checked by |",
            "|---|---|---|---|---|---|"]
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        hint = rule.hint.replace("|", "\\|")
        rows.append(f"| {rule.code} | {rule.layer} | {rule.severity} | {rule.title} | {hint} "
                    f"| {rule.by} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover - prints the table for the README
    print(markdown_table(), end="")
