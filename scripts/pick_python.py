"""The interpreter ``make setup`` builds .venv/ with: printed on stdout, the reasons on stderr.

Run by the Python that make was given (``python3`` by default).  Of the builds of that
Python's version found on this machine (itself, ``python3.X`` on PATH, ``/usr/bin/python3.X``,
``/usr/local/bin/python3.X``) that can make a venv, the one that runs a short loop of Python
code fastest, when it is at least 10 % faster than the given one.  Why: builds of the same
version differ by a fifth in speed.  A distribution's python3 is built with profile-guided and
link-time optimisation and its libpython linked in; a version manager's (pyenv) by default
with neither, against a shared libpython; teipipe's converter and deposit spend most of their
time in the interpreter.  The build does not change teipipe's output (the same version, the
same libraries from PyPI).  ``make setup PYTHON=...`` skips the choice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

#: The loop timed in each candidate: dict, string and call work, as the converter does.
LOOP = """
import time
def work():
    d = {}
    for i in range(100000):
        s = f"k{i % 977}"
        d[s] = d.get(s, 0) + len(s.upper())
    return sorted(d.items())
t = time.perf_counter(); work(); print(time.perf_counter() - t)
"""
ROUNDS = 5
MARGIN = 0.9


def candidates() -> list[str]:
    """The given interpreter first, then the other builds of its version, each once."""
    minor = "%d.%d" % sys.version_info[:2]
    found, seen = [sys.executable], {os.path.realpath(sys.executable)}
    for name in (f"python{minor}", f"/usr/bin/python{minor}", f"/usr/local/bin/python{minor}"):
        path = shutil.which(name)
        if path is None or os.path.realpath(path) in seen:
            continue
        check = f"import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != {sys.version_info[:2]})"
        if subprocess.run([path, "-c", check], capture_output=True).returncode == 0:
            found.append(path)
            seen.add(os.path.realpath(path))
    return found


def main() -> None:
    found = candidates()
    if len(found) == 1:
        print(found[0])
        return
    best = {path: float("inf") for path in found}
    for _ in range(ROUNDS):  # alternating, so that a busy moment does not favour one
        for path in found:
            run = subprocess.run([path, "-c", LOOP], capture_output=True, text=True)
            if run.returncode == 0:
                best[path] = min(best[path], float(run.stdout))
    chosen = min(found, key=best.get)
    if best[chosen] > MARGIN * best[found[0]]:
        chosen = found[0]
    for path in found:
        print(f"make setup: {path}: {best[path] * 1000:.0f} ms for the loop", file=sys.stderr)
    print(f"make setup: .venv/ made with {chosen} (make setup PYTHON=... to choose)",
          file=sys.stderr)
    print(chosen)


if __name__ == "__main__":
    main()
