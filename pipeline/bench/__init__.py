"""The benchmark (``make bench``): a synthetic corpus, every stage timed, the field's tools beside.

- :mod:`.corpus`: a deterministic generator of archive pages of the kinds the converter reads,
  with names drawn from the authority register;
- :mod:`.measure`: run a command and measure its wall and CPU time and the peak memory (RSS)
  of its whole process tree;
- :mod:`.tools`: jing, xmllint and Saxon-HE, the tools a TEI project would otherwise use;
- :mod:`.run`: the stages on one corpus, 1 core and all cores, results as JSON and a table.
"""
