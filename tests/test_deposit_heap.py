"""The deposit's allocator setting (see pipeline/deposit/heap.py)."""

import platform

import pytest

from pipeline.deposit.heap import release_large_buffers


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")
def test_glibc_takes_the_fixed_mmap_threshold():
    assert release_large_buffers() is True
