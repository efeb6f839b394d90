"""``scripts/pick_python.py``: the interpreter ``make setup`` makes .venv/ with is a build of
the given Python's own version that can make a venv, and the choice is said on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pick_python.py"


def test_the_chosen_build_is_of_the_same_version_and_can_make_a_venv() -> None:
    """Whichever build wins on this machine, it is one that set-up can use."""
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                         check=True)
    chosen = run.stdout.strip()
    assert Path(chosen).exists()
    version = subprocess.run([chosen, "-c", "import sys, venv, ensurepip; "
                              "print(sys.version_info[:2])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert version == str(tuple(sys.version_info[:2]))
    assert f"made with {chosen}" in run.stderr or chosen == sys.executable

