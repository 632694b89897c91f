"""Analysis of one answer while it is spoken: :class:`AnswerStream`.

The recorder hands every block to :meth:`AnswerStream.feed` as it is stored; at Stop,
:meth:`AnswerStream.finish` returns the coached report. A file is analysed through the same
stream (fed block by block as it is decoded), so a live answer and the same audio analysed later
give the same report.

This first version keeps the blocks and analyses them all at :meth:`finish` (today's batch
analysis): the interface is what the recording screen, ``practice analyze`` and the benchmarks
use while the analysis behind it learns to run as the answer grows.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from practice.analysis.answer import analyze_samples
from practice.analysis.coaching import Brief
from practice.analysis.coaching.pipeline import coach_report
from practice.analysis.scoring import AnswerReport, Targets
from practice.analysis.transcript import Transcriber


class AnswerStream:
    """One answer's analysis, fed 16 kHz mono float32 blocks as they arrive.

    :meth:`feed` may be called from any one thread (the recorder's) and never blocks for long;
    :meth:`finish` (from another thread) waits for what is left and returns the report;
    :meth:`cancel` makes a running or later :meth:`finish` raise
    :class:`practice.analysis.transcript.Cancelled` soon.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        targets: Targets | None = None,
        brief: Brief | None = None,
        *,
        earlier_pitch: Sequence[float] = (),
        file: str | None = None,
    ) -> None:
        self._transcriber = transcriber
        self._targets = targets
        self._brief = brief
        self._earlier_pitch = tuple(earlier_pitch)
        self._file = file
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._cancel = threading.Event()

    def feed(self, block: np.ndarray) -> None:
        """Add the next block of samples (16 kHz mono float32)."""
        with self._lock:
            self._blocks.append(np.asarray(block, dtype=np.float32).reshape(-1))

    def cancel(self) -> None:
        """Stop the analysis: the answer was discarded."""
        self._cancel.set()

    def finish(self, cancel: threading.Event | None = None) -> AnswerReport:
        """The coached report on everything fed (the recording has ended)."""
        with self._lock:
            samples = (
                np.concatenate(self._blocks) if self._blocks else np.zeros(0, dtype=np.float32)
            )
            self._blocks = [samples]
        stop = cancel or self._cancel
        if cancel is not None and self._cancel.is_set():
            cancel.set()
        report = analyze_samples(
            samples, self._transcriber, self._targets, file=self._file, cancel=stop
        )
        return coach_report(report, samples, self._brief, self._earlier_pitch)
