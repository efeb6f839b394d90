"""The edition's closed vocabularies: document types, classification levels, languages.

The project schema (schema/teipipe.xsd) allows exactly these values; the converter maps what
pages say onto them.  Keep the two in step: ``tests/test_schema.py`` checks that they agree.
"""

from __future__ import annotations

import re

#: Document types: key -> (label, words in titles that name the type, longest first).
DOC_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "journal-entry": ("Journal entry", ("from the journal of", "from the diary of", "journal",
                                        "diary")),
    "ciphered-telegram": ("Ciphered telegram", ("ciphered telegram", "cipher telegram",
                                                "coded telegram", "encrypted telegram")),
    "record-of-conversation": ("Record of conversation", (
        "record of a conversation", "record of conversation", "memorandum of conversation",
        "memorandum of a conversation", "notes of conversation", "conversation between",
        "note on a conversation", "note of a conversation", "note on the conversation",
        "notes on a conversation", "note of conversation",
        "conversation with", "transcript of conversation", "record of the conversation")),
    "minutes": ("Minutes", ("minutes", "protocol", "transcript", "stenographic record")),
    "cable": ("Cable", ("cable",)),
    "telegram": ("Telegram", ("telegram", "telex", "radiogram")),
    "letter": ("Letter", ("letter", "message")),
    "memorandum": ("Memorandum", ("memorandum", "memo", "note", "aide-memoire")),
    "report": ("Report", ("report", "information", "intelligence", "assessment", "analysis",
                          "review", "survey")),
    "speech": ("Speech", ("speech", "address", "remarks", "statement")),
    "resolution": ("Resolution", ("resolution", "decision", "decree", "directive",
                                  "instruction", "order")),
    "other": ("Other document", ()),
}

#: Classification levels: key -> (label, the ways documents write it).
CLASSIFICATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "top-secret": ("Top Secret", ("top secret", "strictly secret", "top-secret",
                                  "secret of special importance", "of special importance")),
    "secret": ("Secret", ("secret", "secret and personal", "secret, personal")),
    "strictly-confidential": ("Strictly Confidential", ("strictly confidential",)),
    "confidential": ("Confidential", ("confidential", "for official use only",
                                      "not for publication")),
    "restricted": ("Restricted", ("restricted",)),
    "unclassified": ("Unclassified", ("unclassified", "no classification")),
}

#: The language the archive's documents were written in, by the archive's city.
ARCHIVE_LANGUAGES = {
    "hanoi": "vi", "saigon": "vi", "ho chi minh city": "vi",
    "moscow": "ru", "kyiv": "uk", "kiev": "uk", "minsk": "be", "tbilisi": "ka",
    "beijing": "zh", "peking": "zh", "taipei": "zh", "shanghai": "zh",
    "pyongyang": "ko", "seoul": "ko",
    "budapest": "hu", "bucharest": "ro", "sofia": "bg", "prague": "cs", "bratislava": "sk",
    "warsaw": "pl", "berlin": "de", "bonn": "de", "koblenz": "de", "potsdam": "de",
    "belgrade": "sr", "ljubljana": "sl", "zagreb": "hr", "tirana": "sq",
    "havana": "es", "mexico city": "es", "ulaanbaatar": "mn", "ulan bator": "mn",
    "tokyo": "ja", "tehran": "fa", "cairo": "ar", "jakarta": "id", "rome": "it",
    "paris": "fr", "east berlin": "de", "stockholm": "sv", "vienna": "de",
    "washington": "en", "london": "en", "new delhi": "en", "kew": "en", "ottawa": "en",
}

LANGUAGE_NAMES = {
    "vi": "Vietnamese", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian",
    "ka": "Georgian", "zh": "Chinese", "ko": "Korean", "hu": "Hungarian", "ro": "Romanian",
    "bg": "Bulgarian", "cs": "Czech", "sk": "Slovak", "pl": "Polish", "de": "German",
    "sr": "Serbian", "sl": "Slovenian", "hr": "Croatian", "sq": "Albanian", "es": "Spanish",
    "mn": "Mongolian", "ja": "Japanese", "fa": "Persian", "ar": "Arabic", "id": "Indonesian",
    "it": "Italian", "fr": "French", "sv": "Swedish", "en": "English",
}

#: Translation programmes named in archive lines ("Translated for CWIHP by ...").
PROGRAMMES = {
    "CWIHP": "Cold War International History Project",
    "NKIDP": "North Korea International Documentation Project",
    "NPIHP": "Nuclear Proliferation International History Project",
    "MECWIHP": "Middle East Cold War International History Project",
    "HAPP": "History and Public Policy Program",
    "HPPP": "History and Public Policy Program",
}


def classification_of(text: str) -> str | None:
    """The classification key a line states (``TOP SECRET!`` -> ``top-secret``), or None.

    The line must *start* with the level: ``SECRET. REFERENCE YOUR 4417`` states one,
    ``the secret police`` does not.
    """
    m = _CLASSIFICATION_AT_START.match(_SPACES.sub(" ", text.strip().lower()))
    return _CLASSIFICATION_OF[m.group(1)] if m else None


#: Every classification phrase, to its key (the first key that lists it).
_CLASSIFICATION_OF: dict[str, str] = {phrase: key for key, (_label, phrases)
                                      in reversed(list(CLASSIFICATIONS.items()))
                                      for phrase in phrases}
#: One match for all phrases: the converter asks this of many lines of every page; the
#: longest phrase that starts the line is tried first.
_CLASSIFICATION_AT_START = re.compile("(" + "|".join(
    re.escape(p) for p in sorted(_CLASSIFICATION_OF, key=len, reverse=True))
    + r")(?=[\s.!,;:(]|$)")
_SPACES = re.compile(r"\s+")


def doc_type_of(title: str) -> str | None:
    """The document type a title names, by the earliest type word in it (the longest of the
    words that start there; of one word, the first type that lists it)."""
    m = _DOC_TYPE_WORDS.search(title.lower())
    return _DOC_TYPE_OF[m.group(1)] if m else None


#: Every type word, to its type (the first type that lists it).
_DOC_TYPE_OF: dict[str, str] = {word: key for key, (_label, words)
                                 in reversed(list(DOC_TYPES.items()))
                                 for word in words}
#: One search for all type words: the leftmost match, and at that place the longest word
#: (the alternatives are tried longest first).
_DOC_TYPE_WORDS = re.compile(r"\b(" + "|".join(
    re.escape(w) for w in sorted(_DOC_TYPE_OF, key=len, reverse=True)) + r")\b")


#: Words in an archive's name that tell the language of its documents.
ARCHIVE_NAME_LANGUAGES = {
    "vietnam": "vi", "russian": "ru", "soviet": "ru", "chinese": "zh", "prc": "zh",
    "korea": "ko", "hungarian": "hu", "hungary": "hu", "romanian": "ro", "romania": "ro",
    "bulgarian": "bg", "bulgaria": "bg", "czech": "cs", "czechoslovak": "cs", "polish": "pl",
    "poland": "pl", "german": "de", "stasi": "de", "bstu": "de", "sapmo": "de", "serbia": "sr",
    "yugoslav": "sr", "albanian": "sq", "albania": "sq", "mongolia": "mn", "mongolian": "mn",
    "cuban": "es", "cuba": "es", "indian": "en", "india": "en", "nehru": "en",
    "american": "en", "british": "en", "national archives (kew)": "en",
}


_WORDS = re.compile(r"[\w]+")


def language_of_archive(name: str) -> str | None:
    """The language an archive's name points to: ``Hungarian National Archives`` -> ``hu``."""
    for word in _WORDS.findall(name.lower()):
        if word in ARCHIVE_NAME_LANGUAGES:
            return ARCHIVE_NAME_LANGUAGES[word]
    return None
