"""Augmented copies of the real recordings (``python -m benchmarks.real --augment NAME,…``): the
same speech as other voices, rooms and microphones would give it, to see how the analysis
carries over to what it was never tuned on.

Every augmentation is made from the 16 kHz samples the analysis would read
(:func:`~practice.analysis.audio.load_audio`) and keeps the truth valid: the ones that change the
tempo scale every true time by exactly ``time_scale`` (output seconds per input second); all the
others keep the length and the timing sample for sample (no delay is added). Renders are written
once, as 16-bit WAV, under ``benchmarks/.cache/real-augment/<name>-<recipe hash>/`` (never into
the project) and read back from there. Random parts (noise, the room's tail, the babble's
offsets) are seeded by the file's name, so a render is the same on every machine.

Voices are changed with Rubber Band (through ``pedalboard``): the formants (the vocal tract's
length) move by resampling, which the stretcher then undoes in time while it shifts the pitch with
the formants kept, so pitch and formants move independently and the timing stays. Levels are
compared as the *active level*: the mean power of the louder half of the 10 ms frames.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from benchmarks import ROOT
from benchmarks.accuracy.score import Counts, Event
from benchmarks.real.data import DataError, Item
from benchmarks.real.score import Edits, FileScore
from practice.analysis.audio import SAMPLE_RATE, load_audio

CACHE = ROOT / "benchmarks" / ".cache" / "real-augment"
_FRAME = SAMPLE_RATE // 100
"""10 ms."""


# Building blocks (numpy, 16 kHz float32 samples) -----------------------------------------------


def active_level_db(samples: np.ndarray) -> float:
    """The mean power (dBFS) of the louder half of the 10 ms frames: speech's level, with the
    pauses between words left out."""
    count = len(samples) // _FRAME
    if count == 0:
        return -100.0
    frames = np.asarray(samples[: count * _FRAME], dtype=np.float64).reshape(count, _FRAME)
    power = np.sort(np.mean(frames * frames, axis=1))[count // 2 :]
    return float(10.0 * np.log10(max(float(np.mean(power)), 1e-10)))


def gain(samples: np.ndarray, db: float) -> np.ndarray:
    scaled: np.ndarray = (np.asarray(samples, dtype=np.float32) * 10.0 ** (db / 20.0)).astype(
        np.float32
    )
    return scaled


def at_level(samples: np.ndarray, level_db: float) -> np.ndarray:
    """``samples`` scaled to an active level of ``level_db``."""
    return gain(samples, level_db - active_level_db(samples))


def shaped(samples: np.ndarray, gain_db: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``samples`` through a zero-phase filter whose gain (dB) at each frequency (Hz) is
    ``gain_db`` of it: applied on the spectrum of the whole recording, so nothing moves in time."""
    n = len(samples)
    spectrum = np.fft.rfft(np.asarray(samples, dtype=np.float64))
    frequencies = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    out = np.fft.irfft(spectrum * 10.0 ** (gain_db(frequencies) / 20.0), n)
    return out.astype(np.float32)


def band(samples: np.ndarray, low_hz: float, high_hz: float) -> np.ndarray:
    """Only ``low_hz`` to ``high_hz`` kept: 60 dB down outside, a raised-cosine edge a sixth of
    an octave wide at each end."""

    def gain_db(f: np.ndarray) -> np.ndarray:
        octaves = np.maximum(
            np.log2(low_hz / np.maximum(f, 1.0)), np.log2(np.maximum(f, 1.0) / high_hz)
        )
        edge = np.clip(octaves * 6.0, 0.0, 1.0)  # 0 inside, 1 a sixth of an octave outside
        weight = 0.5 - 0.5 * np.cos(np.pi * edge)
        db: np.ndarray = -60.0 * weight
        return db

    return shaped(samples, gain_db)


def resample(samples: np.ndarray, in_rate: float, out_rate: float) -> np.ndarray:
    import soxr

    out: np.ndarray = soxr.resample(np.asarray(samples, dtype=np.float32), in_rate, out_rate, "VHQ")
    return out.astype(np.float32)


def mu_law(samples: np.ndarray, bits: int = 8) -> np.ndarray:
    """``samples`` through G.711's μ-law companding at ``bits`` bits (a telephone's codec)."""
    mu = 255.0
    x = np.clip(np.asarray(samples, dtype=np.float64), -1.0, 1.0)
    coded = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    steps = 2 ** (bits - 1)
    quantised = np.round(coded * steps) / steps
    decoded = np.sign(quantised) * np.expm1(np.abs(quantised) * np.log1p(mu)) / mu
    out: np.ndarray = decoded.astype(np.float32)
    return out


def telephone(samples: np.ndarray) -> np.ndarray:
    """A narrow-band telephone line: 300-3400 Hz, 8 kHz sampling, 8-bit μ-law, back at 16 kHz."""
    narrow = resample(band(samples, 300.0, 3400.0), SAMPLE_RATE, 8000)
    return _fit(resample(mu_law(narrow), 8000, SAMPLE_RATE), len(samples))


def speed(samples: np.ndarray, factor: float) -> np.ndarray:
    """Played ``factor`` times faster, as a tape would: tempo, pitch and formants all times
    ``factor``; ``len / factor`` samples."""
    return resample(samples, SAMPLE_RATE * factor, SAMPLE_RATE)


def stretch(samples: np.ndarray, factor: float, semitones: float = 0.0) -> np.ndarray:
    """Rubber Band: ``factor`` times faster (``len / factor`` samples) and ``semitones`` higher,
    formants kept."""
    try:
        from pedalboard import time_stretch
    except ImportError:
        raise DataError(
            "the voice and tempo augmentations need pedalboard (a dev dependency): "
            "pip install pedalboard"
        ) from None

    out = time_stretch(
        np.asarray(samples, dtype=np.float32),
        float(SAMPLE_RATE),
        stretch_factor=factor,
        pitch_shift_in_semitones=semitones,
        preserve_formants=True,
    )
    return np.asarray(out, dtype=np.float32).reshape(-1)


def voice(samples: np.ndarray, pitch: float, formants: float) -> np.ndarray:
    """Another voice saying the same at the same times: pitch times ``pitch``, formants times
    ``formants`` (a shorter vocal tract above 1)."""
    moved = speed(samples, formants)  # pitch, formants and tempo times ``formants``
    semitones = 12.0 * np.log2(pitch / formants)
    return _fit(stretch(moved, 1.0 / formants, semitones), len(samples))


def room_impulse(rt60_s: float, direct_to_reverberant_db: float, seed: int) -> np.ndarray:
    """A synthetic room: the direct sound at 0, then exponentially decaying noise (60 dB down
    after ``rt60_s``) from 3 ms on, its energy ``direct_to_reverberant_db`` below the direct's."""
    rng = np.random.default_rng(seed)
    length = round(rt60_s * 1.2 * SAMPLE_RATE)
    t = np.arange(length) / SAMPLE_RATE
    tail = rng.standard_normal(length) * np.exp(-6.9078 * t / rt60_s)
    tail[: round(0.003 * SAMPLE_RATE)] = 0.0
    tail *= np.sqrt(10.0 ** (-direct_to_reverberant_db / 10.0) / np.sum(tail * tail))
    tail[0] = 1.0
    return tail.astype(np.float32)


def reverberant(samples: np.ndarray, impulse: np.ndarray) -> np.ndarray:
    """``samples`` in the room of ``impulse`` (its direct sound at 0: no delay), at their own
    active level."""
    n = len(samples)
    size = 1 << int(np.ceil(np.log2(n + len(impulse))))
    wet = np.fft.irfft(np.fft.rfft(samples, size) * np.fft.rfft(impulse, size), size)[:n]
    return at_level(wet.astype(np.float32), active_level_db(samples))


def pink_noise(n: int, seed: int) -> np.ndarray:
    """Noise whose power falls 3 dB an octave (1/f), as a room, a fan or traffic: unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum /= np.sqrt(np.maximum(np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE), 20.0))
    noise = np.fft.irfft(spectrum, n)
    out: np.ndarray = (noise / np.sqrt(np.mean(noise * noise))).astype(np.float32)
    return out


def mixed(samples: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``noise`` added ``snr_db`` below the speech's active level (over the noise's RMS)."""
    rms_db = 10.0 * np.log10(max(float(np.mean(np.square(noise, dtype=np.float64))), 1e-12))
    out: np.ndarray = samples + gain(noise, active_level_db(samples) - snr_db - rms_db)
    return out.astype(np.float32)


def babble(pool: np.ndarray, n: int, talkers: int, seed: int) -> np.ndarray:
    """``talkers`` stretches of ``pool`` (speech) from random places, each at the same active
    level, added up: many people talking at once, no words to follow."""
    rng = np.random.default_rng(seed)
    out = np.zeros(n, dtype=np.float32)
    for start in rng.integers(0, max(len(pool) - n, 1), talkers):
        piece = _fit(pool[start : start + n], n)
        out += at_level(piece, -30.0)
    return out


def clipped(samples: np.ndarray, over_db: float) -> np.ndarray:
    """Driven so that the peak is ``over_db`` past full scale, then cut at full scale."""
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak == 0.0:
        return np.asarray(samples, dtype=np.float32)
    out: np.ndarray = np.clip(gain(samples, over_db - 20.0 * np.log10(peak)), -1.0, 1.0)
    return out


def laptop_gain_db(f: np.ndarray) -> np.ndarray:
    """A laptop's built-in microphone: little below 200 Hz (12 dB an octave), a 6 dB resonance
    around 3 kHz, falling above 6 kHz (24 dB an octave)."""
    safe = np.maximum(f, 1.0)
    low = np.minimum(0.0, 12.0 * np.log2(safe / 200.0))
    high = np.minimum(0.0, -24.0 * np.log2(safe / 6000.0))
    peak = 6.0 * np.exp(-0.5 * (np.log2(safe / 3000.0) / 0.4) ** 2)
    db: np.ndarray = np.maximum(low + high + peak, -60.0)
    return db


def _fit(samples: np.ndarray, n: int) -> np.ndarray:
    """``samples`` cut or padded with silence to ``n``."""
    out = np.zeros(n, dtype=np.float32)
    out[: min(n, len(samples))] = samples[:n]
    return out


# The augmentations -----------------------------------------------------------------------------


Render = Callable[[np.ndarray, int, "Path"], np.ndarray]
"""(samples, seed, the data folder) → the augmented samples."""


@dataclass(frozen=True, slots=True)
class Augmentation:
    name: str
    description: str
    render: Render
    time_scale: float = 1.0
    """Seconds of the render per second of the original."""

    @property
    def folder(self) -> Path:
        """Where its renders are cached: named by the recipe (its description)."""
        recipe = hashlib.sha1(self.description.encode()).hexdigest()[:8]
        return CACHE / f"{self.name}-{recipe}"


@functools.cache
def _babble_pool(folder: Path) -> np.ndarray:
    """Every acted clip of the set, one after another, each at the same active level."""
    clips = sorted((folder / "mfa-clips").glob("*.flac"))
    if not clips:
        raise DataError(f"{folder / 'mfa-clips'}: no clips to make babble of")
    return np.concatenate([at_level(load_audio(path), -30.0) for path in clips])


def _voice(pitch: float, formants: float) -> Render:
    return lambda samples, _seed, _folder: voice(samples, pitch, formants)


def _tempo(factor: float) -> Augmentation:
    return Augmentation(
        f"tempo-{factor:g}",
        f"{factor:g}x the tempo, pitch and formants kept (Rubber Band); times x {1 / factor:.4f}",
        lambda samples, _seed, _folder: stretch(samples, factor),
        1.0 / factor,
    )


def _speed(factor: float) -> Augmentation:
    return Augmentation(
        f"speed-{factor:g}",
        f"played {factor:g}x faster (resampled: tempo, pitch and formants); times x "
        f"{1 / factor:.4f}",
        lambda samples, _seed, _folder: speed(samples, factor),
        1.0 / factor,
    )


AUGMENTATIONS: dict[str, Augmentation] = {
    a.name: a
    for a in (
        Augmentation(
            "pitch-up",
            "a higher voice (towards a woman's): pitch x 1.8 (+10.2 semitones), formants x 1.18",
            _voice(1.8, 1.18),
        ),
        Augmentation(
            "child",
            "a child-like voice: pitch x 2.5 (+15.9 semitones), formants x 1.3",
            _voice(2.5, 1.3),
        ),
        Augmentation(
            "pitch-down",
            "a lower voice: pitch x 0.8 (-3.9 semitones), formants x 0.9",
            _voice(0.8, 0.9),
        ),
        _tempo(0.9),
        _tempo(1.1),
        _speed(0.9),
        _speed(1.1),
        Augmentation(
            "phone",
            "a telephone line: 300-3400 Hz, 8 kHz, 8-bit mu-law",
            lambda samples, _seed, _folder: telephone(samples),
        ),
        Augmentation(
            "reverb",
            "a reverberant room: synthetic impulse, RT60 0.6 s, direct-to-reverberant 0 dB",
            lambda samples, seed, _folder: reverberant(samples, room_impulse(0.6, 0.0, seed)),
        ),
        Augmentation(
            "noise",
            "room noise: pink (1/f) noise 12 dB below the speech's active level",
            lambda samples, seed, _folder: mixed(samples, pink_noise(len(samples), seed), 12.0),
        ),
        Augmentation(
            "babble",
            "babble: 6 talkers (the set's clips from random places) 12 dB below the speech",
            lambda samples, seed, folder: mixed(
                samples, babble(_babble_pool(folder), len(samples), 6, seed), 12.0
            ),
        ),
        Augmentation(
            "quiet",
            "a quiet speaker or a low input gain: 20 dB down",
            lambda samples, _seed, _folder: gain(samples, -20.0),
        ),
        Augmentation(
            "clip",
            "an input gain set too high: the peak driven 12 dB past full scale and cut there",
            lambda samples, _seed, _folder: clipped(samples, 12.0),
        ),
        Augmentation(
            "laptop",
            "a laptop microphone: 12 dB/octave below 200 Hz, +6 dB at 3 kHz, 24 dB/octave "
            "above 6 kHz",
            lambda samples, _seed, _folder: shaped(samples, laptop_gain_db),
        ),
    )
}


def chosen(names: str) -> list[Augmentation]:
    """The augmentations named (comma-separated; ``all`` for every one)."""
    parts = [part.strip() for part in names.split(",") if part.strip()]
    if parts == ["all"]:
        return list(AUGMENTATIONS.values())
    unknown = [part for part in parts if part not in AUGMENTATIONS]
    if unknown or not parts:
        raise DataError(
            f"--augment: no augmentation {unknown[0] if unknown else '(none given)'!r}; "
            f"known: {', '.join(AUGMENTATIONS)}, all"
        )
    return [AUGMENTATIONS[part] for part in parts]


def seed_of(name: str) -> int:
    return zlib.crc32(name.encode())


def rendered(item: Item, augmentation: Augmentation, folder: Path) -> Path:
    """The cached render of ``item``'s recording (made now if it is not there yet)."""
    path = augmentation.folder / f"{item.name}.wav"
    if path.is_file():
        return path
    import soundfile

    samples = augmentation.render(load_audio(item.path), seed_of(item.name), folder)
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak > 1.0:  # only where the level rose over full scale by chance (clip cuts on purpose)
        samples = samples / peak
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    soundfile.write(partial, samples, SAMPLE_RATE, subtype="PCM_16", format="WAV")
    partial.replace(path)
    return path


def scaled(events: Sequence[Event], factor: float) -> tuple[Event, ...]:
    return tuple(Event(e.type, e.start * factor, e.end * factor) for e in events)


def augmented(items: Sequence[Item], augmentation: Augmentation, folder: Path) -> list[Item]:
    """``items`` with their recordings rendered and their truth's times scaled."""
    return [
        replace(
            item,
            path=rendered(item, augmentation, folder),
            hesitations=scaled(item.hesitations, augmentation.time_scale),
            markers=scaled(item.markers, augmentation.time_scale),
        )
        for item in items
    ]


# Report ----------------------------------------------------------------------------------------


def _count(counts: Counts) -> str:
    return f"{counts.tp} of {counts.tp + counts.fn}, {counts.fp} false"


def _wer(scores: Sequence[FileScore]) -> str:
    practice = sum((s.practice for s in scores if s.practice), Edits(0, 0, 0, 0))
    bare = sum((s.bare for s in scores if s.bare), Edits(0, 0, 0, 0))
    return f"{practice.wer:.3f} ({bare.wer:.3f})"


WORSE_BY = 0.03
"""A file's WER this much above bare faster-whisper's on the same file is a miss (issue 13)."""


def summary(runs: Sequence[tuple[str, Sequence[FileScore]]]) -> str:
    """One Markdown row per run (the original first): the counts of :mod:`benchmarks.real`'s
    report side by side."""
    header = (
        "| audio | hesitations, spontaneous | hesitations, acted | false fillers on clean clips "
        "| restarts | WER spontaneous (bare) | WER acted (bare) | files > +0.03 WER over bare "
        "| VAD speech without words (bare) |"
    )
    lines = [header, "|" + "---|" * header.count(" |")]
    for name, scores in runs:
        spontaneous = [s for s in scores if s.kind != "acted"]
        acted = [s for s in scores if s.kind == "acted"]
        clean = [s for s in acted if not s.has_fillers]
        restarts = [s.restarts for s in spontaneous if s.restarts is not None]
        compared = [(s.practice, s.bare) for s in scores if s.practice and s.bare]
        worse = [p for p, b in compared if p.wer > b.wer + WORSE_BY]
        cells = [
            name,
            _count(sum((s.hesitations for s in spontaneous), Counts())) if spontaneous else "-",
            _count(sum((s.hesitations for s in acted), Counts())) if acted else "-",
            f"{sum(len(s.false_fillers) for s in clean)} on {len(clean)} clips" if clean else "-",
            _count(sum(restarts, Counts())) if restarts else "-",
            _wer(spontaneous) if spontaneous else "-",
            _wer(acted) if acted else "-",
            f"{len(worse)} of {len(compared)}",
            f"{sum(s.unworded_practice.seconds for s in scores if s.unworded_practice):.1f} s "
            f"({sum(s.unworded_bare.seconds for s in scores if s.unworded_bare):.1f} s)",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
