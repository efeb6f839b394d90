"""Which relative paths an export may write (:func:`pipeline.export.output.safe`): the
reading of paths by string is the one :class:`~pathlib.PurePosixPath` makes."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.export.output import safe, write_files


def _reference(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts


@given(st.lists(st.sampled_from(["/", ".", "..", "a", "b.html", " ", "\\", "~"]),
                max_size=12).map("".join))
def test_a_path_is_safe_as_pure_posix_path_reads_it(rel):
    assert safe(rel) == _reference(rel)


@pytest.mark.parametrize("rel", ["", ".", "/etc/passwd", "//x", "a/../../x", "./"])
def test_a_file_outside_the_folder_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ValueError):
        write_files(tmp_path, [(rel, b"x")])
