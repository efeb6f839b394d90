"""read_file: a page's bytes in few system calls, the same bytes as ``Path.read_bytes``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.files import SourceError, read_file, read_source


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200_000), hint=st.integers(min_value=0, max_value=300_000))
def test_same_bytes_as_read_bytes_whatever_the_size_said(data: bytes, hint: int) -> None:
    # the size is the file's as stat gave it before it was read: the file may have grown or
    # shrunk since, so any hint must give the whole file as it is
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "page.txt")
        path.write_bytes(data)
        assert read_file(path, hint) == path.read_bytes()
        assert read_file(str(path), len(data)) == data


def test_a_folder_or_a_missing_file_is_a_source_error(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing.txt"):
        with pytest.raises(SourceError) as caught:
            read_source(path)
        assert caught.value.diagnostic.code == "E001"
