"""People, places and organizations: the authority register, the tagger and its review.

- :mod:`.register`: load and check ``source/register.xml`` (the curated authority register);
- :mod:`.matcher`: find register names in text (token trie, longest match);
- :mod:`.segments`: the document's inlines as text runs, and Name nodes put back into them;
- :mod:`.resolve`: choose among register entries that share a name (dates, titles, context);
- :mod:`.rules`, :mod:`.recognizer`: names not in the register (written rules; spaCy);
- :mod:`.context`: what the words around a name say about its type (locatives, lists);
- :mod:`.pairs`: names and the translator's brackets after them (expansions, glosses,
  codenames);
- :mod:`.tagger`: the ``entities`` pass that ties these together;
- :mod:`.review`, :mod:`.score`, :mod:`.edit`: proposals across the corpus, scores against
  gold files, and adding an entry to the register.
"""
