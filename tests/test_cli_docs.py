"""Command tests written as readable documents (tests/cli/*.md), as pandoc does.

Each document holds fenced blocks, run in a fresh folder:

* ```` ```file NAME ```` — a file to create (text, UTF-8); ```` ```file-hex NAME ```` — bytes in hex;
  ```` ```append NAME ```` — text to add at the end of a file (a hand edit);
* ```` ```command ```` — one teipipe command line (``teipipe`` is the installed tool);
* ```` ```stdout ```` / ```` ```stderr ```` — what it must print, line by line (``...`` matches
  any run of lines);
* ```` ```status ```` — its exit status.

A document may hold several commands; the blocks after each command check that command.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

DOCS = sorted((Path(__file__).parent / "cli").glob("*.md"))
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.S | re.M)


def _blocks(text: str) -> list[tuple[str, str, str]]:
    out = []
    for m in FENCE.finditer(text):
        kind, _, arg = m.group("info").strip().partition(" ")
        out.append((kind, arg.strip(), m.group("body")))
    return out


def _match(expected: str, actual: str) -> bool:
    pattern = "\n".join(".*?" if line == "..." else re.escape(line)
                        for line in expected.rstrip("\n").split("\n"))
    return re.fullmatch(pattern, actual.rstrip("\n"), re.S) is not None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
def test_command_document(doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = None
    ran = 0
    for kind, arg, body in _blocks(doc.read_text(encoding="utf-8")):
        if kind == "file":
            (tmp_path / arg).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / arg).write_bytes(body.encode("utf-8"))
        elif kind == "file-hex":
            (tmp_path / arg).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / arg).write_bytes(bytes.fromhex("".join(body.split())))
        elif kind == "append":
            with (tmp_path / arg).open("ab") as handle:
                handle.write(body.encode("utf-8"))
        elif kind == "command":
            argv = shlex.split(body.strip())
            assert argv[0] == "teipipe", f"{doc.name}: commands start with teipipe"
            result = runner.invoke(main, argv[1:], catch_exceptions=False)
            ran += 1
        elif kind in ("stdout", "stderr"):
            assert result is not None, f"{doc.name}: {kind} before any command"
            actual = result.stdout if kind == "stdout" else result.stderr
            assert _match(body, actual), f"{doc.name}: {kind} differs:\n{actual}"
        elif kind == "status":
            assert result is not None
            assert result.exit_code == int(body.strip()), (
                f"{doc.name}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}")
    assert ran, f"{doc.name} runs no command"
