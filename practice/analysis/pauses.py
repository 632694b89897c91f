"""Speech and silence, measured on the signal.

Whisper's word timestamps stretch across silences (AUDIO.md), so pauses are measured on the audio:
a 10 ms RMS envelope compared with a threshold placed between the recording's noise floor and its
speech level. A *pause* is a silence of at least ``min_pause`` seconds (0.25 s) between the first
and the last speech; a *long* pause is at least ``long_pause`` seconds (1.0 s).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
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
    """Find speech regions and the pauses between them."""
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
    runs = true_runs(voiced)
    min_burst = round(_MIN_BURST_SECONDS / FRAME_SECONDS)
    runs = [(start, end) for start, end in runs if end - start >= min_burst]
    merged = joined_runs(runs, round(min_pause / FRAME_SECONDS) - 1)
    speech = tuple((start * FRAME_SECONDS, end * FRAME_SECONDS) for start, end in merged)
    pauses = tuple(
        Pause(left[1] * FRAME_SECONDS, right[0] * FRAME_SECONDS)
        for left, right in itertools.pairwise(merged)
    )
    return Activity(speech, pauses, threshold)


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
