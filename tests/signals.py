"""Synthetic signals with known speech and silences, for the signal-level tests."""

from __future__ import annotations

import numpy as np

RATE = 16_000


def speechlike(seconds: float, rng: np.random.Generator, level: float = 0.2) -> np.ndarray:
    """A voiced, syllable-rate modulated signal standing in for speech (4 syllables a second)."""
    t = np.arange(round(seconds * RATE)) / RATE
    pitch = 120 + 20 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 6))
    syllables = 0.55 + 0.45 * np.abs(np.sin(np.pi * 4 * t))
    signal = voice * syllables + 0.05 * rng.standard_normal(t.size)
    return np.asarray(level * signal / np.max(np.abs(signal)), dtype=np.float32)


def answer(
    parts: list[float | tuple[str, float]], noise_db: float = -60.0, seed: int = 1
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Concatenate speech runs ``("s", seconds)`` and silences ``seconds``, over a noise floor.

    Returns the samples and the true silences (start, end) in seconds.
    """
    rng = np.random.default_rng(seed)
    chunks: list[np.ndarray] = []
    silences: list[tuple[float, float]] = []
    position = 0.0
    for part in parts:
        if isinstance(part, tuple):
            chunks.append(speechlike(part[1], rng))
            position += part[1]
        else:
            chunks.append(np.zeros(round(part * RATE), dtype=np.float32))
            silences.append((position, position + part))
            position += part
    samples = np.concatenate(chunks)
    noise = rng.standard_normal(samples.size).astype(np.float32) * 10 ** (noise_db / 20)
    return samples + noise, silences


def reshaped_pitch(samples: np.ndarray, factor: float) -> np.ndarray:
    """The same speech resynthesised (PSOLA, Praat) with its pitch movements scaled by
    ``factor`` in semitones around the median: 0 is a monotone, 1 the original."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=RATE)
    manipulation = call(sound, "To Manipulation", 0.01, 60, 500)
    pitch = sound.to_pitch(time_step=0.01, pitch_floor=60, pitch_ceiling=500)
    hertz = pitch.selected_array["frequency"]
    median = float(np.median(hertz[hertz > 0]))
    tier = call("Create PitchTier", "reshaped", 0, sound.duration)
    for time, value in zip(pitch.xs(), hertz, strict=True):
        if value > 0:
            call(tier, "Add point", time, median * (value / median) ** factor)
    call([tier, manipulation], "Replace pitch tier")
    result = call(manipulation, "Get resynthesis (overlap-add)")
    return np.asarray(result.values[0], dtype=np.float32)
