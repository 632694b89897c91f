"""The C library's heap: what an answer's analysis frees goes back to the system.

Each is a call of glibc's (``mallopt``, ``malloc_trim``); where the C library lacks it, it does
nothing. None imports numpy, so the studio may call them before its first frame.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools

_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD_BYTES = 1024 * 1024


@functools.cache
def keep_heap_small() -> None:
    """Have the C library's allocator (glibc) give freed large blocks back at once: blocks of
    1 MiB or more get their own mapping, instead of glibc raising that threshold to the largest
    block freed so far (up to 32 MiB), which kept an answer's freed arrays and the engine's
    buffers resident (a 2-minute answer peaked at 428 MiB with 32 MiB). Lower costs time (the
    engine's mid-sized buffers mapped anew each time: glibc's starting 128 KiB took that answer
    about 50 % longer than 4 MiB); higher let an hour-long answer pass 400 MiB (4 MiB did; 1 MiB
    and 128 KiB stay under it: benchmarks/README.md, "Memory").
    Process-wide, once; nothing where the C library has no ``mallopt``."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)


def give_back_memory() -> None:
    """Return the memory freed so far to the system (``malloc_trim``).

    glibc keeps freed blocks under the mmap threshold in its heaps for reuse and gives back by
    itself only what is free at a heap's top: the studio, whose analyses each run in a new
    thread, grew by about 160 MiB over a 10-question session before levelling off. About 1-10 ms.
    (After measuring an hour-long answer it gives back about 25 MB, but the engine's next calls
    take as much again: the hour's peak fell by 2 MiB only, so the analysis does not call it.)"""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)


_M_ARENA_MAX = -8
ARENAS = 2
"""The C library's allocator arenas a command's threads share (one per core of a small laptop)."""


def share_arenas() -> None:
    """Have the threads share ``ARENAS`` allocator arenas (glibc's ``M_ARENA_MAX``), before any
    thread starts (every command does, first). By default glibc gives threads up to 8 arenas per
    core, so the more cores, the more memory scattered. In the studio the recorder, the
    live analysis, the engine and the interface each allocating in their own, every answer left
    freed memory scattered over them that ``malloc_trim`` could not give back, and the studio grew
    by about 5 MiB an answer (278 to 303 MiB resident over 5 answers; with 2 arenas 272-275
    MiB: benchmarks/README.md, "The studio's memory over a session, found"). Where the C library
    has no ``mallopt`` it does nothing."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, ARENAS)
