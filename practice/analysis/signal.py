"""One answer's signal, measured block by block, in memory that does not grow with the samples.

:class:`FeatureStream` takes 16 kHz samples block by block (from the microphone as they arrive,
or from a decoded file) and keeps them as 16-bit :class:`~practice.analysis.audio.Samples`. As
soon as the samples a measure needs are in, it computes, once and for good:

- the 10 ms levels (:func:`~practice.analysis.pauses.envelope_db`);
- the acoustic frame features (:func:`~practice.analysis.frames.frame_rows`: a frame is complete
  once its window, 256 samples past its start, is in);
- Silero VAD's speech probabilities on the levelled samples, step by step with the model's state
  carried over (:class:`~practice.analysis.pauses.SileroVad`: the levelling gain of a frame needs
  the levels 1.5 s either side of it, so the VAD runs that far behind).

Work arrays stay within ``STEP_FRAMES`` frames (10 s) at a time. What is kept is compact: the
samples (2 bytes each), and per 10 ms frame 17 float32 features and a level (about 25 MB an hour).
:meth:`FeatureStream.finish` gives the :class:`Signal` every channel reads. Each measure is the
same whatever the blocks fed (the batch path feeds 10-s blocks; tests compare other splits with
one block of everything).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, Samples
from practice.analysis.frames import (
    FRAME_BLOCK,
    WINDOW_REACH,
    FrameRows,
    Frames,
    frame_rows,
    joined_frames,
)
from practice.analysis.heap import keep_heap_small
from practice.analysis.pauses import (
    FRAME_SECONDS,
    LEVEL_REACH,
    MIN_PAUSE_SECONDS,
    VAD_CONTEXT_SAMPLES,
    VAD_FRAME_SAMPLES,
    Activity,
    SileroVad,
    activity_of,
    apply_gain,
    envelope_db,
    level_gain,
    voice_per_frame,
)

HOP = round(SAMPLE_RATE * FRAME_SECONDS)
"""Samples per 10 ms frame."""
STEP_FRAMES = FRAME_BLOCK
"""The most frames measured at once (10 s)."""
MIN_STEP_FRAMES = 50
"""Fewer new frames than this (0.5 s) wait for the next block: each step has a fixed cost."""


@dataclass(frozen=True, eq=False)
class Signal:
    """What the channels read of one answer's audio (see the module docstring)."""

    samples: Samples
    levels: np.ndarray
    """RMS level of each 10 ms frame in dBFS (:func:`~practice.analysis.pauses.envelope_db`)."""
    frames: Frames
    probabilities: np.ndarray
    """Silero VAD's speech probability per ``VAD_FRAME_SAMPLES`` step (empty under 10 ms)."""
    voice: np.ndarray = field(init=False)
    """The VAD's speech probability per 10 ms frame."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "voice", voice_per_frame(self.probabilities, self.levels.size))

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def read(self, start: float, end: float) -> np.ndarray:
        """The float32 samples from ``start`` to ``end`` (seconds)."""
        return self.samples.read(round(start * SAMPLE_RATE), round(end * SAMPLE_RATE))


class FeatureStream:
    """Measures an answer block by block as it is fed (see the module docstring)."""

    def __init__(self, samples: Samples | None = None, *, frames: bool = True) -> None:
        """``samples``: some already held (a decoded file), measured at the next call;
        ``frames``: False measures the levels and the VAD only (where the speech is)."""
        keep_heap_small()
        self.samples = Samples() if samples is None else samples
        self._with_frames = frames
        self._levels = np.zeros(1024, dtype=np.float32)
        self._level_count = 0
        self._frames: list[FrameRows] = []
        self._frame_count = 0
        self._vad: SileroVad | None = None
        self._probabilities: list[np.ndarray] = []
        self._vad_steps = 0

    @property
    def levels(self) -> np.ndarray:
        """The 10 ms levels measured so far (a read-only view: for a chunker's cuts while the
        answer is spoken)."""
        view = self._levels[: self._level_count]
        view.flags.writeable = False
        return view

    def feed(self, block: np.ndarray) -> None:
        """Add the next 16 kHz mono float samples and measure what they complete."""
        self.samples.append(block)
        self._advance(final=False)

    def update(self) -> None:
        """Measure what the held samples complete, when they were appended to elsewhere (the
        samples of a chunker that shares them)."""
        self._advance(final=False)

    def finish(self) -> Signal:
        """Measure the rest (the recording has ended) and return the :class:`Signal`."""
        self._advance(final=True)
        levels = self._levels[: self._level_count].copy()
        frames = joined_frames(self._frames)
        self._frames = []
        probabilities = (
            np.concatenate(self._probabilities)
            if self._probabilities
            else np.zeros(0, dtype=np.float32)
        )
        return Signal(self.samples, levels, frames, probabilities)

    def snapshot(self) -> Signal:
        """The :class:`Signal` of the samples held so far as if the recording ended here, leaving
        the stream as it is (it measures on as more is fed). Add no samples while it runs."""
        clone = copy.copy(self)
        clone._levels = self._levels.copy()
        clone._frames = list(self._frames)
        clone._probabilities = list(self._probabilities)
        clone._vad = copy.copy(self._vad)  # its state is replaced, not changed, by each step
        return clone.finish()

    def _advance(self, final: bool) -> None:
        size = len(self.samples)
        self._measure_levels(size // HOP)
        complete = size // HOP if final else max(0, (size - WINDOW_REACH) // HOP + 1)
        if self._with_frames:
            self._measure_frames(min(complete, size // HOP), final)
        self._measure_voice(size, final)

    def _measure_levels(self, count: int) -> None:
        if count - self._level_count <= 0:
            return
        if count > self._levels.size:
            grown = np.zeros(max(count, 2 * self._levels.size), dtype=np.float32)
            grown[: self._level_count] = self._levels[: self._level_count]
            self._levels = grown
        for first in range(self._level_count, count, STEP_FRAMES):
            last = min(count, first + STEP_FRAMES)
            self._levels[first:last] = envelope_db(self.samples.read(first * HOP, last * HOP))
        self._level_count = count

    def _measure_frames(self, count: int, final: bool) -> None:
        if count - self._frame_count < (1 if final else MIN_STEP_FRAMES):
            return
        for first in range(self._frame_count, count, STEP_FRAMES):
            last = min(count, first + STEP_FRAMES)
            segment = self.samples.read(first * HOP - WINDOW_REACH, (last - 1) * HOP + WINDOW_REACH)
            self._frames.append(frame_rows(segment, last - first))
        self._frame_count = count

    def _measure_voice(self, size: int, final: bool) -> None:
        """Run the VAD over the steps whose levelled samples are known: all of them (the last
        padded with silence) at the end, else those whose frames' gains are complete."""
        if self._level_count == 0:
            return  # under 10 ms: no levels to level by, no VAD
        if final:
            steps = -(-size // VAD_FRAME_SAMPLES)
        else:
            known = (self._level_count - LEVEL_REACH) * HOP  # samples whose gain is final
            steps = max(0, known // VAD_FRAME_SAMPLES)
        if steps - self._vad_steps < (1 if final else MIN_STEP_FRAMES // 3):
            return
        self._vad = self._vad or SileroVad()
        per_step = STEP_FRAMES * HOP // VAD_FRAME_SAMPLES
        for first in range(self._vad_steps, steps, per_step):
            last = min(steps, first + per_step)
            start = first * VAD_FRAME_SAMPLES - VAD_CONTEXT_SAMPLES
            levelled = self._levelled(start, last * VAD_FRAME_SAMPLES)
            self._probabilities.append(self._vad(levelled, last=final and last == steps))
        self._vad_steps = steps

    def _levelled(self, start: int, stop: int) -> np.ndarray:
        """Samples ``start`` to ``stop`` - 1 (silence before the recording) through the levelling
        gain (:func:`~practice.analysis.pauses.level_gain`), computed on the levels around them
        only."""
        first = max(0, start) // HOP
        last = min(self._level_count, -(-stop // HOP))
        low, high = max(0, first - LEVEL_REACH), min(self._level_count, last + LEVEL_REACH)
        gain = level_gain(self._levels[low:high])
        return apply_gain(self.samples.read(start, stop), gain, start - low * HOP)


def measure(samples: np.ndarray | Samples | Signal) -> Signal:
    """The :class:`Signal` of a whole recording (given as float samples, held samples, or
    already measured)."""
    if isinstance(samples, Signal):
        return samples
    held = samples if isinstance(samples, Samples) else Samples.of(samples)
    return FeatureStream(held).finish()


def speech_activity(samples: np.ndarray, min_pause: float = MIN_PAUSE_SECONDS) -> Activity:
    """:func:`detect_activity` of float samples, measuring only what it needs (the levels and
    the VAD, not the frame features): for a look at part of an answer while it is fed."""
    signal = FeatureStream(Samples.of(samples), frames=False).finish()
    return activity_of(signal.levels, signal.voice, min_pause)


def detect_activity(
    samples: np.ndarray | Samples | Signal, min_pause: float = MIN_PAUSE_SECONDS
) -> Activity:
    """Speech regions and the pauses between them
    (:func:`~practice.analysis.pauses.activity_of`)."""
    signal = measure(samples)
    return activity_of(signal.levels, signal.voice, min_pause)
