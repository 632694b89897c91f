"""Speech and silence, measured on the audio.

Whisper's word timestamps stretch across silences (AUDIO.md), so pauses are measured on the audio,
by two detectors together:

- the *signal*: a 10 ms RMS envelope above a threshold placed half-way (in dB) between the
  recording's noise floor and its speech level. It times the edges of speech to 10 ms and hears
  any sound, but a speaker whose level drifts (leaning back, trailing off: -35 to -45 dBFS over a
  room at -46) falls below it;
- a trained voice-activity model, Silero VAD (shipped inside faster-whisper, ONNX, no download):
  a speech probability every 32 ms that holds on quiet and noisy speech, but that lags behind
  the end of speech by up to a few hundred ms and drops on a long-held vowel. It listens to the
  recording through a slow gain that brings every 1.5 s to a speaking level (:func:`levelled`).

Speech is where either hears it. A stretch the model hears (probability >= 0.5, held down to
0.35) loses the frames at its edges that are below the signal's threshold, up to 0.1 s at its
start and 0.3 s at its end: that is the model's lag, not speech; a longer quiet stretch is quiet
speech and stays. A *pause* is a silence of at least ``min_pause`` seconds (0.25 s) between the
first and the last speech; a *long* pause is at least ``long_pause`` seconds (1.0 s).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from practice.analysis.audio import SAMPLE_RATE

FRAME_SECONDS = 0.010
MIN_PAUSE_SECONDS = 0.25
LONG_PAUSE_SECONDS = 1.0
_SILENT_DB = -90.0
"""Frames quieter than this are digital silence."""
_QUIETEST_SPEECH_DB = -55.0
"""A recording whose loud frames stay below this has no speech, unless the VAD (listening at a
speaking level) hears some: whispering or a soft voice 20 dB under a usual level is speech."""
_MIN_BURST_SECONDS = 0.05
"""Shorter bursts of energy (clicks, pops) are not speech."""
VAD_FRAME_SAMPLES = 512
"""Silero VAD's step at 16 kHz (32 ms)."""
_VAD_ON = 0.5
_VAD_OFF = 0.35
_VAD_LEAD_SECONDS = 0.1
_VAD_LAG_SECONDS = 0.3
_LEVEL_DB = -20.0
_MOST_GAIN_DB = 30.0
_LEVEL_SECONDS = 1.5


@dataclass(frozen=True, slots=True)
class Pause:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_json(self, long_pause: float = LONG_PAUSE_SECONDS) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "duration": round(self.duration, 3),
            "long": self.duration >= long_pause,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pause:
        return cls(float(data["start"]), float(data["end"]))


@dataclass(frozen=True, slots=True)
class Activity:
    """Where the recording has speech."""

    speech: tuple[tuple[float, float], ...]
    """Speech regions (start, end) in seconds, in order."""
    pauses: tuple[Pause, ...]
    """Silences of at least the minimum pause between the first and the last speech."""
    threshold_db: float
    """The signal's speech threshold (dBFS)."""
    voice: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), compare=False)
    """The VAD's speech probability for every 10 ms frame (empty when the recording is silent)."""

    @property
    def has_speech(self) -> bool:
        return bool(self.speech)

    @property
    def speech_start(self) -> float | None:
        return self.speech[0][0] if self.speech else None

    @property
    def speech_end(self) -> float | None:
        return self.speech[-1][1] if self.speech else None

    @property
    def speech_seconds(self) -> float:
        return sum(end - start for start, end in self.speech)


def envelope_db(samples: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    """RMS level of each 10 ms frame in dBFS (digital silence reads -100)."""
    frame = round(rate * FRAME_SECONDS)
    count = len(samples) // frame
    if count == 0:
        return np.zeros(0, dtype=np.float32)
    frames = np.asarray(samples[: count * frame], dtype=np.float32).reshape(count, frame)
    power = np.einsum("ij,ij->i", frames, frames, dtype=np.float64) / frame
    levels: np.ndarray = (10.0 * np.log10(np.maximum(power, 1e-10))).astype(np.float32)
    return levels


def activity_of(
    levels: np.ndarray, voice: np.ndarray, min_pause: float = MIN_PAUSE_SECONDS
) -> Activity:
    """Speech regions and the pauses between them, from the 10 ms levels (:func:`envelope_db`)
    and the VAD's speech probability per frame (:func:`voice_per_frame`); see the module
    docstring. ``practice.analysis.signal.detect_activity`` measures both on samples."""
    if levels.size == 0:
        return Activity((), (), 0.0)
    floor = max(float(np.percentile(levels, 5)), _SILENT_DB)
    loud = float(np.percentile(levels, 98))
    if loud < _QUIETEST_SPEECH_DB and not _hysteresis(voice):
        return Activity((), (), loud)
    # Half-way between floor and speech in dB, but never within 6 dB of either.
    threshold = min(max(floor + 0.5 * (loud - floor), floor + 6.0), loud - 6.0)
    voiced = levels > threshold
    min_burst = round(_MIN_BURST_SECONDS / FRAME_SECONDS)
    heard = np.zeros(levels.size, dtype=bool)
    for start, end in [*true_runs(voiced), *_model_speech(voice, voiced)]:
        if end - start >= min_burst:
            heard[start:end] = True
    merged = joined_runs(true_runs(heard), round(min_pause / FRAME_SECONDS) - 1)
    speech = tuple((start * FRAME_SECONDS, end * FRAME_SECONDS) for start, end in merged)
    pauses = tuple(
        Pause(left[1] * FRAME_SECONDS, right[0] * FRAME_SECONDS)
        for left, right in itertools.pairwise(merged)
    )
    return Activity(speech, pauses, threshold, voice)


LEVEL_REACH = round(_LEVEL_SECONDS / FRAME_SECONDS)
"""Frames on either side of a frame that its :func:`level_gain` depends on (150: 1.5 s)."""


def level_gain(levels: np.ndarray) -> np.ndarray:
    """The gain of :func:`levelled` for every 10 ms frame of ``levels`` (:func:`envelope_db`).
    A frame's gain depends on the ``LEVEL_REACH`` frames either side of it only, so it can be
    computed on any stretch of levels that reaches that far (or to the recording's ends)."""
    width = LEVEL_REACH
    edges = (width // 2, width - width // 2 - 1)
    top = np.lib.stride_tricks.sliding_window_view(np.pad(levels, edges, mode="edge"), width)
    smooth = np.convolve(
        np.pad(top.max(axis=1), edges, mode="edge"), np.full(width, 1.0 / width), "valid"
    )
    gain: np.ndarray = np.power(10.0, np.clip(_LEVEL_DB - smooth, -10.0, _MOST_GAIN_DB) / 20.0)
    return gain


def apply_gain(samples: np.ndarray, gain: np.ndarray, offset: int = 0) -> np.ndarray:
    """``samples`` times the gain of their 10 ms frame: the first sample is ``offset`` samples
    after the start of ``gain``'s first frame; samples before it take the first gain, samples
    past the last frame keep the last."""
    frame = round(SAMPLE_RATE * FRAME_SECONDS)
    of_frame = np.clip((offset + np.arange(len(samples))) // frame, 0, gain.size - 1)
    scaled: np.ndarray = (np.asarray(samples, dtype=np.float32) * gain[of_frame]).astype(np.float32)
    return scaled


def levelled(samples: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """``samples`` with a slow gain that brings the loudest 10 ms frame (``levels``) of every
    1.5 s to ``_LEVEL_DB`` (at most ``_MOST_GAIN_DB`` up, 10 dB down): the VAD hears quiet
    speech far better at a speaking level (on a monologue whose level drifts 20 dB down, its
    probability rose from 0.01-0.3 to 0.4-0.9 there), while a room's noise stays noise."""
    if levels.size == 0:
        return np.asarray(samples, dtype=np.float32)
    return apply_gain(samples, level_gain(levels))


VAD_CONTEXT_SAMPLES = 64
"""The samples of the step before that Silero VAD hears with each step."""


class SileroVad:
    """Silero VAD (shipped inside faster-whisper) run step by step: each call takes the next
    steps and carries the model's state on, so that any split of a recording gives the
    probabilities of one call on all of it (as ``faster_whisper.vad.SileroVADModel`` does)."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model  # loads its ONNX model once per process

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)

    def __call__(self, signal: np.ndarray, last: bool = False) -> np.ndarray:
        """Speech probabilities of the steps of ``signal``: the levelled samples from
        ``VAD_CONTEXT_SAMPLES`` before the first step to the end of the last (whole steps).
        faster-whisper silences the end of the recording's last step (``last``)."""
        steps = np.lib.stride_tricks.sliding_window_view(
            signal, VAD_FRAME_SAMPLES + VAD_CONTEXT_SAMPLES
        )[::VAD_FRAME_SAMPLES].copy()
        if last and len(steps):
            steps[-1, -VAD_CONTEXT_SAMPLES:] = 0.0
        if not len(steps):
            return np.zeros(0, dtype=np.float32)
        output, self._h, self._c = self._session.run(
            None, {"input": steps, "h": self._h, "c": self._c}
        )
        probabilities: np.ndarray = np.asarray(output, dtype=np.float32).reshape(-1)
        return probabilities


def speech_probabilities(samples: np.ndarray) -> np.ndarray:
    """Silero VAD's speech probability for every ``VAD_FRAME_SAMPLES`` step of 16 kHz samples
    (the last padded with silence), heard at a speaking level (:func:`levelled`), in one call:
    for a short stretch (the engine's look after a window's last word); a whole answer is
    measured block by block (``practice.analysis.signal``)."""
    if len(samples) == 0:
        return np.zeros(0, dtype=np.float32)
    signal = levelled(samples, envelope_db(samples))
    padded = np.pad(signal, (VAD_CONTEXT_SAMPLES, -len(signal) % VAD_FRAME_SAMPLES))
    return SileroVad()(padded, last=True)


def voice_per_frame(probabilities: np.ndarray, count: int) -> np.ndarray:
    """The VAD's speech probability (one per ``VAD_FRAME_SAMPLES`` step) for each of ``count``
    10 ms frames."""
    if count == 0 or probabilities.size == 0:
        return np.zeros(0, dtype=np.float32)
    step = VAD_FRAME_SAMPLES / (SAMPLE_RATE * FRAME_SECONDS)  # 3.2 frames per VAD step
    index = np.minimum((np.arange(count) / step).astype(int), probabilities.size - 1)
    per_frame: np.ndarray = probabilities[index]
    return per_frame


def voice_share(voice: np.ndarray, start: float, end: float) -> float:
    """The VAD's mean speech probability from ``start`` to ``end`` (seconds; ``voice`` per 10 ms
    frame, as :func:`voice_per_frame` gives it); 0 outside the recording."""
    first = max(0, int(start / FRAME_SECONDS))
    span = voice[first : max(first + 1, int(np.ceil(end / FRAME_SECONDS)))]
    return float(np.mean(span)) if span.size else 0.0


def _model_speech(per_frame: np.ndarray, loud: np.ndarray) -> list[tuple[int, int]]:
    """The 10 ms frame ranges where the VAD hears speech (``per_frame``: its probabilities),
    less the edges where it lags behind the signal (``loud``: frames above the signal's
    threshold)."""
    lead, lag = round(_VAD_LEAD_SECONDS / FRAME_SECONDS), round(_VAD_LAG_SECONDS / FRAME_SECONDS)
    runs = []
    for start, end in _hysteresis(per_frame):
        inside = np.flatnonzero(loud[start:end])
        if inside.size == 0:
            runs.append((start, end))
            continue
        first, last = start + int(inside[0]), start + int(inside[-1]) + 1
        runs.append((first if first - start <= lead else start, last if end - last <= lag else end))
    return runs


def _hysteresis(probabilities: np.ndarray) -> list[tuple[int, int]]:
    """Runs that start where ``probabilities`` reach ``_VAD_ON`` and end where they fall below
    ``_VAD_OFF``."""
    runs: list[tuple[int, int]] = []
    for start, end in true_runs(probabilities >= _VAD_OFF):
        above = np.flatnonzero(probabilities[start:end] >= _VAD_ON)
        if above.size:
            runs.append((start + int(above[0]), end))
    return runs


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open index ranges where ``mask`` is true."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def joined_runs(runs: list[tuple[int, int]], max_gap: int) -> list[tuple[int, int]]:
    """``runs`` (sorted, half-open) with every gap of at most ``max_gap`` indices closed."""
    joined: list[tuple[int, int]] = []
    for start, end in runs:
        if joined and start - joined[-1][1] <= max_gap:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def speaking_frames(
    samples: np.ndarray, threshold_db: float | None, rate: int = SAMPLE_RATE
) -> np.ndarray:
    """Which 10 ms frames are louder than ``threshold_db`` (all of them when it is None)."""
    return loud_frames(envelope_db(samples, rate), threshold_db)


def loud_frames(levels: np.ndarray, threshold_db: float | None) -> np.ndarray:
    """Which 10 ms ``levels`` are above ``threshold_db`` (all of them when it is None)."""
    return levels > (threshold_db if threshold_db is not None else -np.inf)


def speech_seconds(speaking: np.ndarray, start: float, end: float) -> float:
    """Seconds of ``speaking`` frames from ``start`` to ``end`` (in seconds)."""
    return (
        float(np.sum(speaking[round(start / FRAME_SECONDS) : round(end / FRAME_SECONDS)]))
        * FRAME_SECONDS
    )


HEARD = 0.5
"""The least mean VAD speech probability over a sound that the audio channels count."""
