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
"""A recording whose loud frames stay below this has no speech."""
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


def detect_activity(
    samples: np.ndarray, rate: int = SAMPLE_RATE, min_pause: float = MIN_PAUSE_SECONDS
) -> Activity:
    """Find speech regions and the pauses between them (16 kHz samples; see the module
    docstring)."""
    levels = envelope_db(samples, rate)
    if levels.size == 0:
        return Activity((), (), 0.0)
    floor = max(float(np.percentile(levels, 5)), _SILENT_DB)
    loud = float(np.percentile(levels, 98))
    if loud < _QUIETEST_SPEECH_DB:
        return Activity((), (), loud)
    # Half-way between floor and speech in dB, but never within 6 dB of either.
    threshold = min(max(floor + 0.5 * (loud - floor), floor + 6.0), loud - 6.0)
    voiced = levels > threshold
    voice = voice_per_frame(samples, levels)
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


def levelled(samples: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """``samples`` with a slow gain that brings the loudest 10 ms frame (``levels``) of every
    1.5 s to ``_LEVEL_DB`` (at most ``_MOST_GAIN_DB`` up, 10 dB down): the VAD hears quiet
    speech far better at a speaking level (on a monologue whose level drifts 20 dB down, its
    probability rose from 0.01-0.3 to 0.4-0.9 there), while a room's noise stays noise."""
    width = round(_LEVEL_SECONDS / FRAME_SECONDS)
    if levels.size == 0:
        return np.asarray(samples, dtype=np.float32)
    edges = (width // 2, width - width // 2 - 1)
    top = np.lib.stride_tricks.sliding_window_view(np.pad(levels, edges, mode="edge"), width)
    smooth = np.convolve(
        np.pad(top.max(axis=1), edges, mode="edge"), np.full(width, 1.0 / width), "valid"
    )
    gain = 10.0 ** (np.clip(_LEVEL_DB - smooth, -10.0, _MOST_GAIN_DB) / 20.0)
    frame = round(SAMPLE_RATE * FRAME_SECONDS)
    per_sample = np.repeat(gain, frame)
    per_sample = np.pad(per_sample, (0, len(samples) - per_sample.size), mode="edge")
    return (np.asarray(samples, dtype=np.float32) * per_sample).astype(np.float32)


def speech_probabilities(samples: np.ndarray, levels: np.ndarray | None = None) -> np.ndarray:
    """Silero VAD's speech probability for every 32 ms (``VAD_FRAME_SAMPLES``) of 16 kHz
    samples, heard at a speaking level (:func:`levelled`; ``levels``: their
    :func:`envelope_db`)."""
    from faster_whisper.vad import get_vad_model  # loads its ONNX model once per process

    signal = levelled(samples, envelope_db(samples) if levels is None else levels)
    padded = np.pad(signal, (0, -len(signal) % VAD_FRAME_SAMPLES))
    if padded.size == 0:
        return np.zeros(0, dtype=np.float32)
    probabilities: np.ndarray = np.asarray(get_vad_model()(padded), dtype=np.float32).ravel()
    return probabilities


def voice_per_frame(samples: np.ndarray, levels: np.ndarray | None = None) -> np.ndarray:
    """:func:`speech_probabilities` for every 10 ms frame of :func:`envelope_db`."""
    levels = envelope_db(samples) if levels is None else levels
    if levels.size == 0:
        return np.zeros(0, dtype=np.float32)
    probabilities = speech_probabilities(samples, levels)
    step = VAD_FRAME_SAMPLES / (SAMPLE_RATE * FRAME_SECONDS)  # 3.2 frames per VAD step
    index = np.minimum((np.arange(levels.size) / step).astype(int), probabilities.size - 1)
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
    return envelope_db(samples, rate) > (threshold_db if threshold_db is not None else -np.inf)


def speech_seconds(speaking: np.ndarray, start: float, end: float) -> float:
    """Seconds of ``speaking`` frames from ``start`` to ``end`` (in seconds)."""
    return (
        float(np.sum(speaking[round(start / FRAME_SECONDS) : round(end / FRAME_SECONDS)]))
        * FRAME_SECONDS
    )


HEARD = 0.5
"""The least mean VAD speech probability over a sound that the audio channels count."""
