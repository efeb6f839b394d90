"""Large buffers handed back to the system when freed, so that a deposit's peak memory does
not grow with the edition.

A deposit makes buffers whose size grows with the edition: the deflated bytes of the search
index or of a common entry's page, the JSON of a build record. glibc's allocator serves a
buffer above its *mmap threshold* from a mapping of its own, given back when the buffer is
freed, but it raises that threshold each time such a buffer is freed (up to 32 MB), after
which the next large buffers are carved from its heaps (one per thread that allocates: the
copying threads have theirs), which keep the memory once it is freed. Measured
on generated editions (both packages and their zips, one core): peak RSS 77 MB -> 68 MB at
1,000 documents, 157 MB -> 124 MB at 3,000 -- from 40 KB to 28 KB per document -- at the same
CPU time. A fixed threshold of a megabyte keeps every such buffer in a mapping of its own,
while the small, frequent ones (the deflate's state, a file's piece of :data:`.fixity.CHUNK`) stay in
the heap, where they are reused rather than mapped anew.

Fixing the threshold also fixes glibc's *trim threshold* at its default of 128 KB: whenever
that much lies free at the top of a heap it is given back, to be asked for again (and its
pages faulted in anew) by the next file's buffers a moment later.  Writing the bag's zip of
1,000 documents did so 11,700 times (``brk``), for 6,900 members.  A trim threshold of
:data:`KEEP` keeps that little at hand: a tenth fewer page faults for the deposit, and
memory that still does not grow with the edition.
"""

from __future__ import annotations

import ctypes
import platform

#: ``M_MMAP_THRESHOLD`` of glibc's ``mallopt``.
_M_MMAP_THRESHOLD = -3
#: ``M_TRIM_THRESHOLD``.
_M_TRIM_THRESHOLD = -1
#: Buffers this large or larger get a mapping of their own.
THRESHOLD = 1 << 20
#: Free memory at the top of a heap kept rather than given back.
KEEP = 4 << 20


def release_large_buffers() -> bool:
    """Fix glibc's mmap threshold at :data:`THRESHOLD` and its trim threshold at :data:`KEEP`
    for this process; whether they were (elsewhere than glibc there is nothing to set, and
    nothing changes but memory)."""
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, THRESHOLD)) and \
            bool(libc.mallopt(_M_TRIM_THRESHOLD, KEEP))
    except (OSError, AttributeError):
        return False
