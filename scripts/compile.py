"""``make compile``: build the modules of :data:`pipeline.native.MODULES` with mypyc, in place.

Run from the project folder.  mypyc type-checks the modules first (their imports are only
followed, not checked) and stops on a type error; the C sources and objects go to
``.cache/mypyc``, the compiled modules beside their sources (``*.so``, ignored by git), with
mypyc's shared runtime library (``pipeline/native__mypyc*.so``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import sysconfig

# read on its own: importing the package would run its sources around the stale modules;
# found beside this script, so that `make setup` run from another folder (-f) finds it
_spec = importlib.util.spec_from_file_location(
    "native", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pipeline",
                           "native.py"))
native = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(native)
MODULES, stale = native.MODULES, native.stale


def can_compile() -> bool:
    """Whether this machine has what mypyc needs: Python's C compiler and its headers."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = os.path.join(sysconfig.get_paths()["include"], "Python.h")
    return shutil.which(compiler) is not None and os.path.exists(headers)


def main() -> int:
    if sys.argv[1:] == ["--can"]:  # `make setup` asks before it compiles
        return 0 if can_compile() else 1
    from mypyc.build import mypycify  # installed by `make compile` (the extra 'compile')
    from setuptools import Distribution
    extensions = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *MODULES],
                          opt_level="3", target_dir=".cache/mypyc",
                          group_name="pipeline.native")  # its runtime library: in the package
    # a bare Distribution: setup() would read pyproject.toml, which describes the package.
    # --force: a module's own extension is a small shim whose C file does not change when
    # the module does (its code is in the group's library), so build_ext would leave it
    # alone, older than the module's source, and teipipe would not use it (see .native)
    dist = Distribution({"name": "teipipe-native", "ext_modules": extensions, "script_args": [
        "-q", "build_ext", "--inplace", "--force", "--build-temp", ".cache/mypyc"]})
    dist.parse_command_line()
    dist.run_commands()
    if stale():  # build_ext leaves an extension alone when it thinks it is up to date
        print(f"still older than their sources: {', '.join(map(str, stale()))}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
