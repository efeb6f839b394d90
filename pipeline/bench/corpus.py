"""A synthetic corpus of archive pages for the benchmark, the same every time.

The pages look like the Wilson Center Digital Archive pages the converter reads (see
``source/`` and ``tests/pages``): the page furniture (date, title, funder, summary, places,
topics, archive line, rights, record id), and one of five kinds of document text:

- **cable**: addressees, numbered paragraphs, lettered and bulleted lists, a signature with a
  codename, the translator's notes;
- **telegram** in capitals: sender, number, date, addressees, classification, numbered
  paragraphs, a garbled group;
- **letter**: a salutation, paragraphs, a closing and a signature with an address;
- **minutes** with speakers: time, place, participants, speaker turns, a lettered list;
- **report** with Roman sections, a page break and end notes.

The text is made of sentences with people, places and organizations of the authority
register (preferred names and variants), dates, numbers, and the translator's bracketed
insertions of every kind (expansions, glosses, ``[sic]``, ``[illegible]``, supplied names,
note references).  Document ``k`` depends only on ``k`` and the register, so the first 2,000
pages of a corpus of 10,000 are the corpus of 2,000.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ..entities.register import Register

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
KINDS = ("cable", "telegram", "letter", "minutes", "report")
FUNDERS = ("Henry Luce Foundation", "Korea Foundation", "MacArthur Foundation",
           "Leon Levy Foundation", "Carnegie Corporation of New York")
PROGRAMMES = ("CWIHP", "NKIDP", "NPIHP")
TRANSLATORS = ("Merle Pribbenow", "Anja Brenner", "Gary Goldberg", "Réka Fehérvári",
               "Elidon Gjoka", "Sergey Radchenko", "Malgorzata Gnoinska", "Eliza Gheorghe",
               "Kyungwon Choi", "Tuul Batbayar", "Oldřich Tůma", "Jordan Baev")
ARCHIVES = ("Archive of the Party Central Committee, Hanoi",
            "Hungarian National Archives (MOL), XIX-J-1-j Korea",
            "Russian State Archive of Contemporary History (RGANI), Moscow, fond 5, opis 30",
            "Political Archive of the Federal Foreign Office (PA AA), Berlin, MfAA",
            "Central State Archive (AQSH), Tirana, fond 14/AP",
            "Romanian Foreign Ministry Archive, Bucharest, Pyongyang Telegrams",
            "Polish Foreign Ministry Archive, Warsaw, Department I, Vietnam",
            "Chinese Foreign Ministry Archive, Beijing, PRC FMA 106-00",
            "National Archives of the Czech Republic, Prague, KSČ-ÚV, Presidium",
            "Central State Archive, Sofia, fond 1-B, opis 64")
CLASSIFICATIONS = ("Top Secret", "Secret", "Strictly Confidential", "Confidential")
TOPICS = ("Vietnam War", "Sino-Soviet Split", "Korean War Armistice", "Warsaw Pact",
          "Non-Aligned Movement", "Nuclear Proliferation", "Prague Spring",
          "Sino-Albanian Relations", "Cuban Missile Crisis", "Détente")
ACRONYMS = (("KPA", "Korean People’s Army"), ("KCNA", "Korean Central News Agency"),
            ("COSVN", "Central Office for South Vietnam"), ("MFA", "Ministry of Foreign Affairs"),
            ("CC", "Central Committee"), ("DRV", "Democratic Republic of Vietnam"),
            ("HSWP", "Hungarian Socialist Workers’ Party"), ("MPR", "Mongolian People’s Republic"),
            ("NLF", "National Liberation Front"), ("VWP", "Vietnam Workers’ Party"))
GLOSSES = (("disputes", "contradictions"), ("over-optimistic", "subjective"),
           ("pruning", "cutting back"), ("humiliate", "humble"), ("parliament", "Khural"),
           ("literally: “paid no price”", "made no secret promises"))
VERBS = ("said", "stressed", "declared", "pointed out", "added", "explained", "noted",
         "emphasized", "replied", "reported")
ADVERBS = ("firmly", "once again", "in detail", "at some length", "frankly", "briefly")
THINGS = ("the question of the talks", "the bombing of the north", "the supply routes",
          "the economic aid", "the delivery of equipment", "the border question",
          "the draft resolution", "the joint communiqué", "the credit of {n} million rubles",
          "the repair of {n} bridges", "{n} tons of grain", "the visit of the delegation",
          "the position of the socialist countries", "the situation on the battlefield")


@dataclass(frozen=True)
class Names:
    """The register's names by kind, in a stable order."""

    people: tuple[tuple[str, str, int, int], ...]  # (full name, short variant, from, to)
    cities: tuple[str, ...]
    countries: tuple[str, ...]
    orgs: tuple[tuple[str, str], ...]  # (name, acronym or the name again)


def register_names(register: Register) -> Names:
    """The names the pages draw on: preferred names, and one short variant each."""
    people, cities, countries, orgs = [], [], [], []
    for eid in sorted(register.entries):
        e = register.entries[eid]
        short = next((n for n in e.names[1:] if len(n.split()) == 1), e.preferred)
        if e.type == "person":
            start = e.life.start + 20 if e.life.start is not None else 1900
            people.append((e.preferred, short, start, e.life.end or 2000))
        elif e.type == "place" and e.kind == "city":
            cities.append(e.preferred)
        elif e.type == "place" and e.kind == "country":
            countries.append(e.preferred)
        elif e.type == "org":
            acronym = next((n for n in e.names[1:] if n.isupper() and 2 <= len(n) <= 6),
                           e.preferred)
            orgs.append((e.preferred, acronym))
    return Names(tuple(people), tuple(cities), tuple(countries), tuple(orgs))


class _Writer:
    """One document's text, made from a random generator seeded with its number."""

    def __init__(self, k: int, names: Names):
        self.r = random.Random(f"teipipe-bench-{k}")
        self.names = names
        self.year = self.r.randint(1950, 1989)
        self.month = self.r.randint(1, 12)
        self.day = self.r.randint(1, 28)
        self.notes: list[str] = []
        alive = [p[:2] for p in names.people if p[2] <= self.year <= p[3]]
        self.people = self.r.sample(alive if len(alive) >= 6 else
                                    [p[:2] for p in names.people], 6)
        self.places = self.r.sample(names.cities, 4)
        self.countries = self.r.sample(names.countries, 4)
        self.orgs = self.r.sample(names.orgs, 3)
        self.classification = self.pick(CLASSIFICATIONS)  # the page's and the text's

    # ------------------------------------------------------------------ small parts

    def pick(self, items):
        return self.r.choice(items)

    def date(self, day_first: bool = True) -> str:
        d, m = self.r.randint(1, 28), self.r.randint(1, 12)
        return f"{d} {MONTHS[m - 1]}" if day_first else f"{MONTHS[m - 1]} {d}"

    def number(self) -> str:
        return f"{self.r.choice((2, 3, 5, 12, 25, 40, 150, 400, 2000, 12000)):,}"

    def person(self, short_ok: bool = True) -> str:
        full, short = self.pick(self.people)
        if short_ok and self.r.random() < 0.35:
            return short
        return ("Comrade " if self.r.random() < 0.3 else "") + full

    def org(self) -> str:
        name, acronym = self.pick(self.orgs)
        return acronym if self.r.random() < 0.4 else "the " + name

    def insertion(self) -> str:
        """A translator's bracketed insertion, or nothing."""
        roll = self.r.random()
        if roll < 0.12:
            short, long = self.pick(ACRONYMS)
            return f" the {short} [{long}]"
        if roll < 0.18:
            gloss, word = self.pick(GLOSSES)
            return f", which caused {word} [{gloss}]"
        if roll < 0.21:
            return " [illegible]"
        if roll < 0.23:
            return " [sic]"
        if roll < 0.27:
            self.notes.append(self.sentence())
            return f"[{len(self.notes)}]"
        return ""

    def sentence(self) -> str:
        form = self.r.randrange(8)
        thing = self.pick(THINGS).replace("{n}", self.number())
        if form == 0:
            s = (f"On {self.date()} {self.person()} {self.pick(VERBS)} {self.pick(ADVERBS)} "
                 f"that {thing} had to be settled in {self.pick(self.places)}")
        elif form == 1:
            org = self.org()
            s = f"{org[0].upper() + org[1:]} asked the embassy to inform {self.person()} " \
                f"about {thing}"
        elif form == 2:
            s = (f"The delegation of {self.pick(self.countries)} arrived in "
                 f"{self.pick(self.places)} on {self.date()} and met {self.person()}")
        elif form == 3:
            s = (f"According to {self.org()}, {self.number()} people took part in the meeting "
                 f"in {self.pick(self.places)}")
        elif form == 4:
            s = (f"{self.person(short_ok=False)} {self.pick(VERBS)} that {thing} concerned "
                 f"{self.pick(self.countries)} and {self.pick(self.countries)} alike")
        elif form == 5:
            s = (f"We believe that {thing} will be discussed again before {self.date()}, "
                 f"when [{self.pick(('Foreign Minister', 'Ambassador', 'Premier'))}] "
                 f"{self.person(short_ok=False).removeprefix('Comrade ')} returns")
        elif form == 6:
            s = (f"The comrades from {self.pick(self.countries)} do not yet know whether "
                 f"{self.org()} will support {thing}")
        else:
            s = (f"In {self.year} the embassy sent {self.number()} reports on {thing} to "
                 f"{self.pick(self.places)}")
        return s + self.insertion() + "."

    def paragraph(self, low: int = 2, high: int = 7) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(low, high)))

    def items(self, lettered: bool) -> list[str]:
        n = self.r.randint(2, 5)
        if lettered:
            return [f"{'abcde'[i]}) {self.sentence()[:-1]};" for i in range(n)]
        return [f"  • {self.sentence()}" for _ in range(n)]

    def signature(self) -> str:
        return self.pick(self.people)[0]

    # ------------------------------------------------------------------ document kinds

    def cable(self) -> tuple[str, list[str]]:
        to = f"{self.org()} and {self.pick(self.places)}"
        blocks = [f"To: {to[0].upper() + to[1:]}"]
        for n in range(1, self.r.randint(4, 12)):
            blocks.append(f"{n}. {self.paragraph()}")
            if self.r.random() < 0.25:
                blocks.extend(self.items(lettered=self.r.random() < 0.5))
        blocks.append(f"[Signed] {self.signature()} [Codename for the Politburo]")
        title = f"Cable from {self.pick(self.places)} to {self.pick(self.places)}"
        return title, blocks

    def telegram(self) -> tuple[str, list[str]]:
        sender = self.pick(self.places)
        blocks = ["TELEGRAM\nSENDER: " + sender.upper()
                  + f"\nNO. {self.r.randint(10, 99)}.{self.r.randint(100, 999)}"
                  + f"\nDATE: {self.day}.{ROMAN_MONTHS[self.month - 1]}.{self.year}, "
                  f"{self.r.randint(8, 23)}:{self.r.randint(10, 59)}"
                  + f"\nTO: COMRADE {self.person(short_ok=False).removeprefix('Comrade ').upper()}"
                  + f", MINISTER\nCOPY TO: {self.org().upper()}\n"
                  + {"Top Secret": "TOP SECRET.", "Secret": "SECRET. URGENT.",
                     "Strictly Confidential": "STRICTLY CONFIDENTIAL!",
                     "Confidential": "CONFIDENTIAL."}[self.classification]]
        for n in range(1, self.r.randint(3, 9)):
            text = self.paragraph(2, 4).upper()
            if self.r.random() < 0.3:
                text += " [ONE GROUP GARBLED]"
            blocks.append(f"{n}. {text}")
        blocks.append(self.signature().upper())
        title = f"Telegram from the Embassy in {sender} on {self.pick(THINGS).split(' {')[0]}"
        return title.replace("the the", "the"), blocks

    def letter(self) -> tuple[str, list[str]]:
        (to_full, to_short), (sender, _short) = self.r.sample(self.people, 2)
        blocks = [f"Dear Comrade {to_short},"]
        blocks += [self.paragraph(3, 7) for _ in range(self.r.randint(3, 8))]
        blocks.append("With communist greetings,")
        blocks.append(f"{sender}\n{self.pick(self.places)}")
        title = f"Letter from {sender} to {to_full}"
        return title, blocks

    def minutes(self) -> tuple[str, list[str]]:
        (a, a_short), (b, b_short) = self.r.sample(self.people, 2)
        place = self.pick(self.places)
        blocks = [self.classification,
                  f"Minutes of the Conversation between {a} and {b}",
                  f"Time: {self.date()} {self.year}, 10:00 a.m. to 1:30 p.m.\n"
                  f"Place: {place}\nParticipants: {a}, {b}, {self.person(short_ok=False)}"]
        for turn in range(self.r.randint(4, 12)):
            speaker = a if turn % 2 == 0 else b
            blocks.append(f"{speaker}: {self.paragraph(1, 5)}")
            if self.r.random() < 0.15:
                blocks.extend(self.items(lettered=True))
        title = f"Minutes of Conversation between {a} and {b}"
        return title, blocks

    def report(self) -> tuple[str, list[str]]:
        country = self.pick(self.countries)
        blocks = [f"Embassy of {self.pick(self.countries)}\n{self.pick(self.places)}, "
                  f"{self.day} {MONTHS[self.month - 1]} {self.year}\nNo. "
                  f"{self.r.randint(100, 999)}/{self.year % 100:02d}",
                  self.classification.upper(),
                  f"REPORT\non the situation in {country}"]
        for n in range(self.r.randint(2, 6)):
            blocks.append(f"{ROMAN[n]}. {self.pick(THINGS).replace('{n}', self.number())}"
                          .replace(". the", ". The"))
            blocks += [self.paragraph(3, 7) for _ in range(self.r.randint(1, 3))]
            if n == 1:
                blocks.append("[page 2]")
            if self.r.random() < 0.3:
                blocks.extend(self.items(lettered=False))
        blocks.append(f"{self.signature()}\nAmbassador")
        return f"Report from the Embassy in {self.pick(self.places)} on the Situation in " \
            f"{country}", blocks

    # ------------------------------------------------------------------ the page

    def summary(self, kind: str) -> str:
        """The archive's summary of the document (one paragraph, as on the site)."""
        thing = self.pick(THINGS).replace("{n}", self.number())
        return (f"This {kind} from {self.pick(self.places)} reports on {thing}, on the talks "
                f"of {self.person(short_ok=False).removeprefix('Comrade ')} with the "
                f"leaders of {self.pick(self.countries)}, and on the position of "
                f"{self.org()}.")

    def page(self, kind: str) -> tuple[str, str]:
        title, blocks = getattr(self, kind)()
        date = f"{MONTHS[self.month - 1]} {self.day}, {self.year}"
        notes = [f"[{n}] Translator’s note: {text}" for n, text in enumerate(self.notes, 1)]
        body = "\n\n\n".join(blocks + notes)
        funder = self.pick(FUNDERS)
        places = "\n\n".join(self.r.sample(self.countries, 2))
        uploaded = f"{self.pick(MONTHS)} {self.r.randint(1, 28)}, {self.r.randint(2011, 2023)}"
        page = (f"Skip to content\n\n{date}\n\n{title}\n\n"
                f"This document was made possible with support from {funder}\n\n\n\n"
                f"{body}\n\n\n\n"
                f"{self.summary(kind)}\n\n"
                f"Associated Places\n\n{places}\n\n"
                f"Associated Topics\n\n{self.pick(TOPICS)}\n\n"
                "Document Information\n\n\n"
                f"{self.pick(ARCHIVES)}, {self.r.randint(1, 300)}. Translated for "
                f"{self.pick(PROGRAMMES)} by {self.pick(TRANSLATORS)}.\n\n\n"
                "The History and Public Policy Program welcomes reuse of Digital Archive "
                "materials for research and educational purposes. Some documents may be "
                "subject to copyright, which is retained by the rights holders in accordance "
                "with US and international copyright laws.\n\n"
                "Original Uploaded Date\n\n\n"
                f"{uploaded}\n\n\n"
                f"Record ID\n\n\n{self.r.randint(110000, 299999)}\n\n\n"
                f"Original Classification\n\n\n{self.classification}\n\n\n{funder}")
        stem = f"{self.year}-{self.month:02d}-{self.day:02d}_" \
            f"{re.sub(r'[^a-z0-9]+', '-', title.lower())[:40].strip('-')}"
        return stem, page


def page(k: int, names: Names) -> tuple[str, str]:
    """Page ``k``: its file name (without ``.txt``, unique in the corpus) and its text."""
    writer = _Writer(k, names)
    stem, text = writer.page(KINDS[k % len(KINDS)])
    return f"{stem}-{k:05d}", text


def generate(folder: Path, n: int, register: Register) -> list[Path]:
    """Write pages ``0 .. n-1`` into ``folder`` (made if needed); return their paths.

    A page already there with the same bytes is left alone, so that regenerating a corpus
    keeps the files' dates (and what was built from them stays up to date); any other
    ``.txt`` file in the folder (an older corpus's) is removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = register_names(register)
    paths = []
    for k in range(n):
        stem, text = page(k, names)
        path = folder / f"{stem}.txt"
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    for stale in set(folder.glob("*.txt")) - set(paths):
        stale.unlink()
    return paths
