"""Plain-text reports of the entity commands (the CLI prints them)."""

from __future__ import annotations

from .score import TYPES, Counts, Score


def score_table(score: Score, documents: int, errors: bool = False) -> str:
    """Per-type and overall precision, recall, F1, and linking accuracy, as a table."""
    lines = [f"{documents} documents",
             f"{'type':<8} {'gold':>5} {'found':>5} {'right':>5} {'P':>6} {'R':>6} {'F1':>6}"]

    def row(name: str, c: Counts) -> str:
        return (f"{name:<8} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.tp:>5} {c.precision:>6.3f} "
                f"{c.recall:>6.3f} {c.f1:>6.3f}")
    for t in TYPES:
        lines.append(row(t, score.by_type[t]))
    lines.append(row("all", score.overall))
    lines.append(f"linking: {score.linking:.3f} ({score.linked} of {score.linkable} names "
                 f"found whose entity is in the register; {score.in_register} such names in "
                 "the gold)")
    if errors:
        for name, m in score.missed:
            lines.append(f"missed    {name} {m.type:<6} {m.start:>6} {m.surface!r} = {m.canonical}")
        for name, m in score.spurious:
            lines.append(f"spurious  {name} {m.type:<6} {m.start:>6} {m.surface!r}")
        for name, m, ref in score.mislinked:
            lines.append(f"mislinked {name} {m.type:<6} {m.start:>6} {m.surface!r} = "
                         f"{m.canonical} -> {ref}")
    return "\n".join(lines)
