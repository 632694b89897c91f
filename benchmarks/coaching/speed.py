"""How long coaching adds to an answer's analysis: ``python -m benchmarks.coaching.speed``.

Synthesises an answer with the Piper joe voice (the dev extra), repeats it to 30, 60 and 120 s,
times the words with the transcript's own timing scaled to the length, and runs
:func:`practice.analysis.coaching.coach` on it (text rules, pitch and trailing off) three times
after :func:`~practice.analysis.coaching.prepare`; prints the median wall and CPU time.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from practice.analysis.audio import load_audio
from practice.analysis.coaching import Brief, coach, prepare
from practice.analysis.transcript import Word

TEXT = (
    "At my last job our release process took two days. I was responsible for making it faster. "
    "First I mapped every step, then I wrote a script that ran the checks in parallel, and I "
    "think I maybe helped the team a lot. As a result, releases now take three hours."
)


def main() -> int:
    from benchmarks.accuracy import synthesize

    prepare()
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "answer.wav"
        synthesize(TEXT, "joe", wav)
        one = load_audio(wav)
    print("| answer | words | coach() wall | coach() cpu |")
    print("|---|---|---|---|")
    for seconds in (30, 60, 120):
        copies = max(1, round(seconds * 16_000 / len(one)))
        samples = np.concatenate([one] * copies)
        tokens = TEXT.split() * copies
        step = len(samples) / 16_000 / len(tokens)
        words = [Word(t, i * step, (i + 1) * step) for i, t in enumerate(tokens)]
        walls, cpus = [], []
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            coach(words, samples, Brief("star", ("the release process", "a number")))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        length = len(samples) / 16_000
        print(
            f"| {length:.0f} s | {len(words)} | {statistics.median(walls):.2f} s "
            f"| {statistics.median(cpus):.2f} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
