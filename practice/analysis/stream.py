"""Analysis of one answer while it is spoken: :class:`AnswerStream`.

The recorder hands every block to :meth:`AnswerStream.feed` as it is stored; a worker thread
owned by the stream cuts the audio in pieces closed by pauses and transcribes each one as it is
cut (:class:`~practice.analysis.pieces.Chunker`), and, when the speaker pauses and the engine has
nothing else to do, the audio so far as the candidate last piece (kept only if nothing is said
after it). Once that candidate's words are in and the speaker stays quiet a second more, the
worker rehearses the end: it runs the whole-answer analysis on the audio so far as if the answer
had ended, and keeps what the engine wrote for it (the verdict's second decoding of candidate
hesitations). At Stop,
:meth:`AnswerStream.finish` transcribes what is left (the last piece, unless it was transcribed
early) and makes every whole-answer decision (speech and pauses, the words kept, fillers,
restarts, score, coaching, the pitch measured on another thread meanwhile); an engine call on
the same audio with the same decoding as one rehearsed is answered from what was kept, so if
nothing was said since, Stop asks the engine nothing. Stop never waits for the worker's engine
call under way: a call Stop needs too (the same audio and decoding) is waited for and its words
taken, any other is left to end the worker when it returns. With a ``finisher`` (a copy of the
engine with more threads), Stop's calls on new audio go to it. :attr:`AnswerStream.steps` says
how long each step of :meth:`finish` took (for a timing trace).

A file is analysed through the same chunker (``analyze_samples`` feeds it block by block), and
the cuts depend on the audio alone, so a live answer and the same audio analysed later give the
same report. If the engine falls behind (a slow machine), the worker stops transcribing and
Stop transcribes the rest: today's whole-answer analysis, and no audio is lost.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from practice.analysis.answer import Steps, analyze_samples
from practice.analysis.audio import SAMPLE_RATE
from practice.analysis.coaching import Brief
from practice.analysis.coaching.pipeline import coach_report
from practice.analysis.coaching.voice import Pitch, measure_pitch
from practice.analysis.pieces import PIECE_SECONDS, Chunker, Piece, Progress
from practice.analysis.scoring import AnswerReport, Targets
from practice.analysis.signal import FeatureStream, Signal, measure
from practice.analysis.transcript import (
    Cancelled,
    DecodeOptions,
    LastFew,
    Transcriber,
    Transcript,
    Word,
    Wrapping,
    digest,
)

BEHIND_SECONDS = 60.0
"""Audio waiting for its words beyond which the worker leaves transcription to :meth:`finish`."""
_IDLE_SECONDS = 0.5
"""How long the idle worker waits for audio before looking again."""
_REHEARSE_AFTER_SECONDS = 1.0
"""How long the speaker must have been quiet since the level fell (on top of the
``CLOSE_SECONDS`` that close the candidate last piece) before the end is rehearsed: most pauses
between sentences are shorter, and a rehearsal costs about a piece's transcription in CPU."""
_REMEMBERED = 4
"""Engine calls whose words are kept for a call on the same audio."""
_HEARD = 16
"""Pieces of audio the engine was given that :class:`_Remembering` remembers (to send them to
the engine again, whose caches know them, rather than to the finisher)."""


class _Remembering(Wrapping):
    """The stream's engine: keeps the words of its last ``_REMEMBERED`` calls and gives them
    again for a call on the same samples with the same decoding (the engine is not asked again),
    and a call the same as one under way in another thread waits for that one's words.

    Once :meth:`close` is called (the recording is over) the worker thread starts no call, and
    a call of its own under way when it was closed ends the worker (:class:`Cancelled` once its
    words are kept, for :meth:`AnswerStream.finish` to take): Stop never waits for a guess the
    answer's end made useless. After :meth:`close`, calls on audio the engine was not given
    before go to ``finisher`` when there is one (an engine with more threads: the recording is
    over and the cores are free); audio it was given goes to it again, whose own kept encoder
    passes and unprompted decodings serve the call."""

    def __init__(self, transcriber: Transcriber, finisher: Transcriber | None = None) -> None:
        super().__init__(transcriber)
        self._finisher = finisher
        self._kept: LastFew[Transcript] = LastFew(_REMEMBERED)
        self._heard: LastFew[bool] = LastFew(_HEARD)
        """The digests of the audio given to the engine (not the finisher)."""
        self._running: dict[tuple[bytes, str], Future[Transcript]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._worker_calling = False
        self.worker: threading.Thread | None = None
        """The stream's worker thread (its calls go to the engine; it stops at :meth:`close`)."""
        self.calls: list[dict[str, object]] | None = None
        """When a list, each call but the worker's is added to it: seconds of audio, whether the
        words were kept from an earlier call or taken from the worker's call under way, and its
        wall time (for a timing trace)."""

    def close(self) -> bool:
        """The recording is over: the worker starts no call. True if a call of the worker's is
        under way (the worker then ends as soon as it returns, without touching the stream)."""
        with self._lock:
            self._closed = True
            return self._worker_calling

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        heard = digest(audio)
        key = (heard, repr(options))
        began = time.perf_counter()
        worker = threading.current_thread() is self.worker
        with self._lock:
            transcript = self._kept.get(key)
            running = None if transcript is not None else self._running.get(key)
            if transcript is None and running is None:
                if worker and self._closed:
                    raise Cancelled("the recording is over")
                mine: Future[Transcript] = Future()
                self._running[key] = mine
                engine = self.inner
                if not worker and self._finisher is not None and self._heard.get(heard) is None:
                    engine = self._finisher
                else:
                    self._heard.put(heard, True)
                self._worker_calling = self._worker_calling or worker
        if transcript is not None:
            self._log(audio, began, kept=True, options=options)
            return transcript
        if running is not None:
            with contextlib.suppress(Exception):  # that call failed: this one tries again
                transcript = running.result()
                self._log(audio, began, kept=False, options=options, joined=True)
                return transcript
            return self.transcribe(audio, cancel, options=options)
        try:
            transcript = engine.transcribe(audio, cancel, options=options)
        except BaseException as error:
            with self._lock:
                del self._running[key]
                self._worker_calling = self._worker_calling and not worker
            mine.set_exception(error)
            raise
        with self._lock:
            self._kept.put(key, transcript)
            del self._running[key]
            self._worker_calling = self._worker_calling and not worker
            mine.set_result(transcript)
            if worker and self._closed:
                raise Cancelled("the recording ended while the worker transcribed")
        if not worker:
            self._log(audio, began, kept=False, options=options, finisher=engine is not self.inner)
        return transcript

    def _log(
        self,
        audio: np.ndarray,
        began: float,
        *,
        kept: bool,
        options: DecodeOptions | None,
        joined: bool = False,
        finisher: bool = False,
    ) -> None:
        if self.calls is not None:
            self.calls.append(
                {
                    "step": "engine call",
                    "began": time.monotonic() - (time.perf_counter() - began),
                    "audio": round(audio.size / SAMPLE_RATE, 2),
                    "kept": kept,
                    "joined": joined,
                    "finisher": finisher,
                    "decoding": "default" if options is None else "other",
                    "wall": round(time.perf_counter() - began, 4),
                }
            )


class AnswerStream:
    """One answer's analysis, fed 16 kHz mono float32 blocks as they arrive.

    :meth:`feed` may be called from any one thread (the recorder's) and never blocks for long;
    :meth:`finish` (from another thread) waits for what is left and returns the report;
    :meth:`cancel` makes a running or later :meth:`finish` raise
    :class:`practice.analysis.transcript.Cancelled` soon, and stops the worker.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        targets: Targets | None = None,
        brief: Brief | None = None,
        *,
        earlier_pitch: Sequence[float] = (),
        file: str | None = None,
        piece_seconds: float | None = PIECE_SECONDS,
        finisher: Transcriber | None = None,
    ) -> None:
        self._transcriber = _Remembering(transcriber, finisher)
        self._targets = targets
        self._brief = brief
        self._earlier_pitch = tuple(earlier_pitch)
        self._file = file
        self._chunks = Chunker(piece_seconds)
        self._features = FeatureStream(self._chunks.samples)
        """Measures the audio the chunker holds as it grows (levels, frame features, VAD), so
        that at Stop only the last seconds are left to measure."""
        self._measured = True
        """False once measuring failed part-way: :meth:`finish` measures the whole answer."""
        self._pending: list[np.ndarray] = []
        """Blocks fed that the worker has not taken yet (only the worker touches the audio
        while the answer is fed)."""
        self._cancel = threading.Event()
        self._wake = threading.Condition()
        self._closing = False
        self._outer: threading.Event | None = None
        """The event :meth:`finish` was given: :meth:`cancel` sets it too."""
        self._worker = threading.Thread(target=self._work, name="answer-stream", daemon=True)
        self._transcriber.worker = self._worker
        self._rehearsed: tuple[int, int] | None = None
        """The candidate last piece whose ending was rehearsed (:meth:`_rehearse`)."""
        self._doing = "idle"
        """What the worker is doing (for the timing trace): ``idle``, ``looking``,
        ``transcribing`` or ``rehearsing``."""
        self._rehearsals = 0
        self.steps = Steps()
        """How long each step of :meth:`finish` took, and the engine calls it made."""

    def feed(self, block: np.ndarray) -> None:
        """Add the next block of samples (16 kHz mono float32)."""
        block = np.array(block, dtype=np.float32).reshape(-1)
        with self._wake:
            self._pending.append(block)
            if not self._worker.is_alive() and not self._closing and not self._cancel.is_set():
                self._worker.start()
            self._wake.notify()

    def cancel(self) -> None:
        """Stop the analysis: the answer was discarded."""
        self._cancel.set()
        with self._wake:
            if self._outer is not None:
                self._outer.set()
            self._wake.notify()

    @property
    def progress(self) -> Progress:
        """How far the analysis got while the answer was fed (``fed`` counts the blocks the
        worker has not taken yet too)."""
        with self._wake:
            waiting = sum(block.size for block in self._pending) / SAMPLE_RATE
        progress = self._chunks.progress
        return replace(progress, fed=progress.fed + waiting)

    @property
    def behind(self) -> float:
        """Seconds of audio fed whose words are not known yet."""
        progress = self.progress
        return progress.fed - progress.final

    @property
    def running(self) -> bool:
        """Whether the worker thread is running."""
        return self._worker.is_alive()

    def known_words(self) -> list[Word]:
        """The words transcribed so far (before :meth:`finish`)."""
        return self._chunks.known_words()

    def finish(self, cancel: threading.Event | None = None) -> AnswerReport:
        """The coached report on everything fed (the recording has ended)."""
        steps = self.steps
        with self._wake:
            self._closing = True
            self._outer = cancel
            self._wake.notify()
        calling = self._transcriber.close()
        with steps.step("wait for the worker", doing=self._doing, left_calling=calling):
            # A worker in an engine call ends when it returns and touches nothing more: its
            # words are taken if Stop needs them (the same call waits for them), else dropped.
            if self._worker.is_alive() and not calling:
                self._worker.join()
        stop = cancel or self._cancel
        if self._cancel.is_set():
            stop.set()
        if stop.is_set():
            raise Cancelled("analysis cancelled")
        with steps.step("measure the rest", waiting=round(self.behind, 2)):
            self._take()
            signal = self._features.finish() if self._measured else measure(self._chunks.samples)
        # The pitch needs the audio alone: measured on the other core while the engine writes
        # the last words and decodes the verdict's stretches.
        with ThreadPoolExecutor(1, thread_name_prefix="answer-pitch") as pool:
            pitch = pool.submit(self._pitch, signal)
            calls: list[dict[str, object]] = []
            self._transcriber.calls = calls
            try:
                report = analyze_samples(
                    signal,
                    self._transcriber,
                    self._targets,
                    file=self._file,
                    cancel=stop,
                    chunks=self._chunks,
                    steps=steps,
                )
            finally:
                self._transcriber.calls = None
            with steps.step("coaching"):
                measured = pitch.result() if report.words else None
                report = coach_report(
                    report, signal, self._brief, self._earlier_pitch, pitch=measured
                )
        planned = self._chunks.planned
        steps.done += calls
        steps.done.append(
            {
                "step": "rehearsal",
                "rehearsals": self._rehearsals,
                "rehearsed": self._rehearsed,
                "last_piece": None if not planned else _bounds(planned[-1]),
                "candidate": self._chunks.candidate,
            }
        )
        return report

    def _pitch(self, signal: Signal) -> Pitch:
        """The answer's pitch (the coaching's voice check), timed as a step of :meth:`finish`."""
        with self.steps.step("pitch (beside the words)"):
            return measure_pitch(signal, self._earlier_pitch)

    def _take(self) -> None:
        """Hand the blocks fed so far to the chunker, and measure them."""
        with self._wake:
            blocks, self._pending = self._pending, []
        for block in blocks:
            self._chunks.add(block)
        if blocks and self._measured:
            try:
                self._features.update()
            except Exception:
                self._measured = False  # measured again, whole, at Stop
                raise

    def _work(self) -> None:
        """Cut and transcribe as the audio comes, until :meth:`finish` or :meth:`cancel`."""
        try:
            while not self._closing and not self._cancel.is_set():
                self._take()
                transcriber = self._transcriber if self.behind <= BEHIND_SECONDS else None
                self._doing = "advancing"
                if self._chunks.advance(transcriber, self._cancel, speculate=True):
                    continue
                self._doing = "rehearsing"
                rehearsed = transcriber is not None and self._rehearse()
                self._doing = "idle"
                if not rehearsed:
                    with self._wake:
                        if not self._closing and not self._cancel.is_set():
                            self._wake.wait(_IDLE_SECONDS)
        except Cancelled:
            return
        except Exception:
            return

    def _rehearse(self) -> bool:
        """Once per candidate last piece transcribed with all before it, once the speaker has
        been quiet ``_REHEARSE_AFTER_SECONDS`` more: analyse the audio so far as if the answer
        ended there, for the engine calls it makes (the verdict's), which
        :meth:`finish` gets again without asking the engine if nothing was said since. False
        when there is nothing to rehearse."""
        ending = self._chunks.could_end
        if (
            ending is None
            or ending == self._rehearsed
            or not self._measured
            or self._chunks.quiet_for < _REHEARSE_AFTER_SECONDS
        ):
            return False
        self._rehearsed = ending
        self._rehearsals += 1
        try:
            signal = self._features.snapshot()
            analyze_samples(
                signal, self._transcriber, self._targets, cancel=self._cancel, chunks=self._chunks
            )
        except Cancelled:
            raise
        except Exception:  # only a rehearsal: Stop analyses again (and meets the fault, if any)
            pass
        return True


def _bounds(piece: Piece) -> tuple[int, int]:
    return round(piece.start * SAMPLE_RATE), round(piece.end * SAMPLE_RATE)
