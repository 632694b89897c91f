"""One recording's analysis while it is spoken, as the recording screen runs it.

The screen makes a :class:`LiveAnalysis` when a recording starts; the recorder's worker opens its
:class:`~practice.analysis.stream.AnswerStream` once it knows the WAV's path and feeds it every
block the WAV stores; after Stop the analysis worker asks it for the report, and a discarded take
cancels it. The WAV on disk stays the truth: a stream that fails (or is missing) is set aside and
:meth:`LiveAnalysis.finish` returns None, so the caller analyses the saved file as it would
without streaming. The recording itself never depends on the stream.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from practice.errors import one_line
from practice.tui import trace

if TYPE_CHECKING:
    import numpy as np

    from practice.analysis.scoring import AnswerReport
    from practice.analysis.stream import AnswerStream


class LiveAnalysis:
    """An :class:`AnswerStream` fed by the recorder, finished after Stop or cancelled."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stream: AnswerStream | None = None
        self._cancelled = False
        self._fed = False
        self.failure: str | None = None
        """Why the stream was set aside (one line, a sentence), or None."""

    def open(self, make: Callable[[], AnswerStream]) -> None:
        """Make the stream and start feeding it (from the recorder's worker, before it records);
        one that cannot be made is set aside."""
        try:
            stream = make()
        except Exception as error:  # the stream's fault must never stop the recording
            self.failure = f"The live analysis could not start ({one_line(error)})"
            return
        with self._lock:
            if self._cancelled:
                stream.cancel()
                return
            self._stream = stream

    def feed(self, block: np.ndarray) -> None:
        """The recorder's ``on_block``: hand the block on; a failing stream is set aside."""
        stream = self._stream
        if stream is None:
            return
        try:
            stream.feed(block)
        except Exception as error:  # the stream's fault must never stop the recording
            self._set_aside(f"The live analysis failed ({one_line(error)})")
            return
        self._fed = True

    def cancel(self) -> None:
        """The take was discarded: stop the analysis and let go of it."""
        with self._lock:
            self._cancelled = True
            stream, self._stream = self._stream, None
        if stream is not None:
            stream.cancel()

    def finish(self, cancel: threading.Event) -> AnswerReport | None:
        """The stream's report on the whole recording (the recorder has returned), or None when
        there is none to give (no stream, nothing fed, or it failed): then analyse the WAV.

        Raises :class:`~practice.analysis.transcript.Cancelled` when ``cancel`` is set.
        """
        from practice.analysis.transcript import Cancelled

        with self._lock:
            stream, self._stream = self._stream, None  # let go of the samples it holds
            if self._cancelled:
                raise Cancelled("the take was discarded")
        if stream is None or not self._fed:
            if stream is not None:
                stream.cancel()
            return None
        try:
            report = stream.finish(cancel)
        except Cancelled:
            raise
        except Exception as error:  # the saved recording is analysed instead
            self.failure = f"The live analysis failed ({one_line(error)})"
            return None
        for done in stream.steps.done:
            trace.event("step", **done)
        return report

    def _set_aside(self, why: str) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
            self.failure = why
        if stream is not None:
            stream.cancel()
