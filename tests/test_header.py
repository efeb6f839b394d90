"""The header reader on the variants of the page's own lines (archive and credit line)."""

from __future__ import annotations

import pytest

from pipeline.convert import read_page

PAGE = """Skip to content

May 5, 1960

Cable from the Embassy in Moscow to the Ministry of Foreign Affairs

This document was made possible with support from Test Foundation



1. The talks were postponed.



The embassy reports that the talks on the summit were postponed and asks what to do next.

Associated Places

Document Information


{line}
"""


@pytest.mark.parametrize("line, archive, place, reference, translator, obtained, programme", [
    ("Archive of the Party Central Committee, Hanoi. Translated for CWIHP by Merle Pribbenow.",
     "Archive of the Party Central Committee", "Hanoi", None, "Merle Pribbenow", None,
     "CWIHP"),
    ("Vietnam National Archives Center 3, Hanoi, folder 12. Obtained by Christopher Goscha "
     "and translated for CWIHP by Merle Pribbenow.", "Vietnam National Archives Center 3",
     "Hanoi", "folder 12", "Merle Pribbenow", "Christopher Goscha", "CWIHP"),
    ("Nehru Memorial Museum and Library, New Delhi. Obtained for CWIHP by Meera Sethi.",
     "Nehru Memorial Museum and Library", "New Delhi", None, None, "Meera Sethi", "CWIHP"),
    ("AVPRF, Moscow, fond 0102, opis 11, delo 7. Translated by Gary Goldberg for NKIDP.",
     "AVPRF", "Moscow", "fond 0102, opis 11, delo 7", "Gary Goldberg", None, "NKIDP"),
    ("RGANI, Moscow. Obtained and translated for CWIHP by Sergey Radchenko.", "RGANI",
     "Moscow", None, "Sergey Radchenko", "Sergey Radchenko", "CWIHP"),
    ("Archives of the Polish Ministry of Foreign Affairs (AMSZ), Warsaw, telegram collection "
     "1961, Hanoi, incoming.", "Archives of the Polish Ministry of Foreign Affairs (AMSZ)",
     "Warsaw", "telegram collection 1961, Hanoi, incoming", None, None, None),
])
def test_archive_and_credit_line(line, archive, place, reference, translator, obtained,
                                 programme) -> None:
    doc, _notes = read_page(PAGE.format(line=line), "1960-05-05_cable")
    h = doc.header
    assert (h.archive, h.archive_place, h.archive_reference) == (archive, place, reference)
    assert (h.translator, h.obtained_by, h.programme) == (translator, obtained, programme)
    assert h.archive_line == line
