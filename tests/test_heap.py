"""The C library's heap (practice/analysis/heap.py) and the engine's matrix library: what keeps
an answer's analysis within issue 14's memory. Each check runs in a fresh interpreter, since both
settings are process-wide and taken once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from benchmarks import ROOT


def run(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "CT2_USE_MKL"}
    environ.update(env, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_the_engine_keeps_off_mkl_unless_the_user_chose() -> None:
    code = "import practice, os; print(os.environ['CT2_USE_MKL'])"
    assert run(code) == "0"
    assert run(code, CT2_USE_MKL="1") == "1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap, read in /proc")
def test_freed_small_blocks_go_back_to_the_system() -> None:
    # blocks the size of 10 s of frame features (68 KB), as an hour's measuring leaves them
    code = """
        from pathlib import Path
        import numpy as np
        from practice.analysis.heap import give_back_memory, keep_heap_small

        def anon():
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) // 1024

        keep_heap_small()
        blocks, kept = [], []
        for _ in range(600):  # each followed by a small array that stays, as in a real heap
            blocks.append(np.ones((1000, 17), np.float32))
            kept.append(np.ones(600, np.float32))
        holding = anon()
        del blocks
        before = anon()
        give_back_memory()
        print(holding, before, anon())
    """
    holding, before, after = map(int, run(code).split())
    assert before > holding - 10, "glibc gave the blocks back by itself: nothing to test"
    assert after < before - 30, f"{before} MiB resident before the trim, {after} after"
