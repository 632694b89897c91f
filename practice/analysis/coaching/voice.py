"""The voice: pitch variety, and loudness that fades at the ends of sentences.

**Pitch variety** is the spread of the speaker's pitch over voiced speech, in semitones: the 10th
to the 90th percentile of the pitch track (Praat's autocorrelation method, through
praat-parselmouth, 60-500 Hz, 20 ms steps on the signal resampled to 8 kHz: within half a
semitone of 10 ms at 16 kHz on the real talks, in a third of the time), 30 s at a time (a longer
answer is cut in its quietest 0.3 s, so memory does not grow with it). Percentiles, not the
extremes, so that an octave error or a laugh does not count. Fewer than 2 s of voiced speech
gives no figure (too little to judge).

It is *flat* when it is both below the speaker's usual and below an absolute guard: with two or
more earlier answers, under 75 % of the median of their ranges and under 6 semitones; without
them, under 4 semitones (the guard alone). The earlier answers are the speaker's latest (at most
20): the session's own, then those of earlier sessions, newest first (the session store keeps
each session's ranges in its index). A speaker whose voice is always lively is never called
flat for a quieter answer, and a monotone speaker is still told.

**Trailing off**: at each sentence end, the level of the sentence's last word against the median
level of its other words; 8 dB or more below is a fade. A word's level is the 90th percentile of
its 10 ms RMS levels (dB): its loud part, so that silence inside the engine's word times does
not count. The answer trails
off when at least two sentences and a third of them fade.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import statistics
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.analysis.coaching.tokens import Sentence

if TYPE_CHECKING:  # numpy loads with the first answer coached, not before the studio's first frame
    import numpy as np

    from practice.analysis.signal import Signal

SAMPLE_RATE = 16_000
PITCH_RATE = 8_000
STEP_S = 0.02
PITCH_FLOOR_HZ = 60.0
PITCH_CEILING_HZ = 500.0
MIN_VOICED_S = 2.0
FLAT_BELOW_USUAL = 0.75
FLAT_GUARD_ST = 6.0
"""Never flat at or above this range."""
FLAT_ALONE_ST = 4.0
"""Flat below this range when there are no earlier answers to compare with."""
EARLIER_NEEDED = 2
EARLIER_KEPT = 20
"""The speaker's usual range is the median over at most this many of their latest answers."""
FADE_DB = 8.0


@dataclass(frozen=True, slots=True)
class Pitch:
    range_semitones: float | None
    median_hz: float | None
    voiced_s: float
    flat: bool | None
    """None when there is too little voiced speech to say."""
    compared_with: float | None = None
    """The median range of the speaker's earlier answers, when it was used."""

    def to_json(self) -> dict[str, Any]:
        return {
            "range_semitones": _round(self.range_semitones, 2),
            "median_hz": _round(self.median_hz, 1),
            "voiced_s": round(self.voiced_s, 2),
            "flat": self.flat,
            "compared_with": _round(self.compared_with, 2),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pitch:
        def number(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        flat = data.get("flat")
        return cls(
            number("range_semitones"),
            number("median_hz"),
            float(data.get("voiced_s", 0.0)),
            None if flat is None else bool(flat),
            number("compared_with"),
        )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


PITCH_BLOCK_S = 30.0
"""The longest stretch of an answer tracked at once (memory stays the same for an hour)."""
_CUT_QUIET_S = 0.3
_SILENCE = 0.03
"""Praat's silence threshold: frames below this share of the sound's peak are silent."""


def pitch_track(samples: np.ndarray | Signal, rate: int = SAMPLE_RATE) -> np.ndarray:
    """The pitch in Hz of each voiced ``STEP_S`` frame (unvoiced frames left out) of 16 kHz
    samples or their :class:`~practice.analysis.signal.Signal`, tracked ``PITCH_BLOCK_S`` at a
    time (:func:`pitch_blocks`)."""
    import numpy as np

    from practice.analysis.pauses import envelope_db
    from practice.analysis.signal import Signal

    if isinstance(samples, Signal):
        held = samples.samples
        stretches = pitch_blocks(samples.levels, len(held))

        def read(start: int, stop: int) -> np.ndarray:
            return held.read(start, stop)
    else:
        whole = np.asarray(samples, dtype=np.float32)
        stretches = pitch_blocks(envelope_db(whole, rate), len(whole))

        def read(start: int, stop: int) -> np.ndarray:
            return whole[start:stop]

    if len(stretches) == 1:
        start, stop = stretches[0]
        return _block_pitch(_narrowed(read(start, stop), rate))
    # Praat hears silence relative to the whole sound's peak (around its mean): measured first
    sums = np.array([_extent(_narrowed(read(start, stop), rate)) for start, stop in stretches])
    mean = sums[:, 0].sum() / sums[:, 1].sum()
    peak = max(float(sums[:, 3].max()) - mean, mean - float(sums[:, 2].min()))
    tracks = [_block_pitch(_narrowed(read(start, stop), rate), peak) for start, stop in stretches]
    return np.concatenate(tracks)


def _narrowed(samples: np.ndarray, rate: int) -> np.ndarray:
    import numpy as np
    import soxr

    low = soxr.resample(np.asarray(samples, dtype=np.float32), rate, PITCH_RATE)
    return np.asarray(low, dtype=np.float64)


def _extent(samples: np.ndarray) -> tuple[float, int, float, float]:
    """Sum, count, least and greatest of ``samples``."""
    if not len(samples):
        return 0.0, 0, 0.0, 0.0
    return float(samples.sum()), len(samples), float(samples.min()), float(samples.max())


def pitch_blocks(levels: np.ndarray, size: int) -> list[tuple[int, int]]:
    """The stretches (first and past-last sample) of a recording of ``size`` samples (``levels``
    per 10 ms frame) that are tracked one at a time: at most ``PITCH_BLOCK_S`` long, each cut at
    the quietest ``_CUT_QUIET_S`` of its last third (a pause, where there is no pitch to lose)."""
    import numpy as np

    from practice.analysis.pauses import FRAME_SECONDS

    hop = round(SAMPLE_RATE * FRAME_SECONDS)
    longest = round(PITCH_BLOCK_S / FRAME_SECONDS)
    quiet = round(_CUT_QUIET_S / FRAME_SECONDS)
    blocks, start = [], 0
    while size - start * hop > longest * hop and levels.size - start > longest:
        early = start + 2 * longest // 3
        window = levels[early : start + longest]
        means = np.convolve(window, np.full(quiet, 1.0 / quiet), "valid")
        cut = early + int(np.argmin(means)) + quiet // 2
        blocks.append((start * hop, cut * hop))
        start = cut
    blocks.append((start * hop, size))
    return blocks


_praat_lock = threading.Lock()


def praat() -> Any:
    """The ``parselmouth`` module, imported on first use, with the pages of its
    zero-initialised data that its start-up left all zero given back (:func:`release_zeroed`):
    Praat's static initialisers write zeros over about 40 MiB of them (329 blocks of 128 KiB),
    which would stay resident for the life of the process."""
    with _praat_lock:  # the first caller imports it and gives the pages back; others wait
        return _load_praat()


@functools.cache
def _load_praat() -> Any:
    import parselmouth

    release_zeroed(parselmouth.__file__)
    return parselmouth


_PT_LOAD = 1
_MADV_DONTNEED = 4


def release_zeroed(library: str) -> int:
    """Give back to the system the resident pages of ``library``'s zero-initialised data (its
    ``.bss``: what its ELF segments load beyond their file contents) that hold nothing but zeros.
    They read as zeros again afterwards, exactly as before. Only pages that are all zero when
    looked at are given back, so no other thread may run the library meanwhile (what it wrote
    between the look and the release would be lost): :func:`praat` calls it before handing the
    module out. Returns the bytes given back (0 where there is no ``/proc``, or the library is
    not a 64-bit ELF file loaded here)."""
    page = mmap.PAGESIZE
    try:
        real = os.path.realpath(library)
        with Path(real).open("rb") as file:
            header = file.read(4096)
        maps = Path("/proc/self/maps").read_text()
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return 0
    if header[:6] != b"\x7fELF\x02\x01":  # 64-bit little-endian only
        return 0
    (phoff,) = struct.unpack_from("<Q", header, 0x20)
    entry, count = struct.unpack_from("<HH", header, 0x36)
    segments = []
    for index in range(count):
        at = phoff + index * entry
        if at + 56 > len(header):
            return 0
        kind, _flags, _offset, vaddr, _paddr, filesz, memsz = struct.unpack_from(
            "<IIQQQQQ", header, at
        )
        if kind == _PT_LOAD:
            segments.append((vaddr, filesz, memsz))
    base = None
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5] == real and int(fields[2], 16) == 0:
            base = int(fields[0].split("-")[0], 16)
            break
    if base is None or not segments:
        return 0
    base -= segments[0][0] // page * page
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    released = 0
    for vaddr, filesz, memsz in segments:
        start = -(-(base + vaddr + filesz) // page) * page  # the partial page is the file's
        end = (base + vaddr + memsz) // page * page
        if end <= start:
            continue
        try:
            zero = _zero_pages(start, end)
        except OSError:  # no page map to read: leave the pages as they are
            continue
        for first, last in _runs(zero):
            if madvise(start + first * page, (last - first) * page, _MADV_DONTNEED) == 0:
                released += (last - first) * page
    return released


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The (first, past-last) indices of each run of True in ``mask``."""
    import numpy as np

    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(int(first), int(last)) for first, last in zip(edges[::2], edges[1::2], strict=True)]


def _zero_pages(start: int, end: int) -> np.ndarray:
    """Which pages from ``start`` to ``end`` are resident and all zero (pages never touched are
    not read: ``/proc/self/pagemap`` says which are present)."""
    import numpy as np

    page = mmap.PAGESIZE
    count = (end - start) // page
    with Path("/proc/self/pagemap").open("rb") as pagemap:
        pagemap.seek(start // page * 8)
        entries = np.frombuffer(pagemap.read(count * 8), dtype=np.uint64)
    if len(entries) != count:
        raise OSError("the page map ended early")
    memory = memoryview((ctypes.c_char * (end - start)).from_address(start))
    pages = np.frombuffer(memory, dtype=np.uint64).reshape(count, page // 8)
    zero = np.zeros(count, dtype=bool)
    for first, last in _runs((entries >> np.uint64(63)).astype(bool)):
        zero[first:last] = ~pages[first:last].any(axis=1)
    return zero


def _block_pitch(low: np.ndarray, peak: float | None = None) -> np.ndarray:
    """The voiced pitch values of one stretch at ``PITCH_RATE``; ``peak``: the whole answer's
    (Praat's default silence threshold, 0.03 of the peak, is scaled to keep it)."""
    import numpy as np

    if len(low) < PITCH_RATE * 0.1:
        return np.zeros(0)
    parselmouth = praat()
    silence = _SILENCE
    if peak is not None:
        own = float(np.max(np.abs(low - low.mean())))
        silence = _SILENCE * peak / own if own > 0 else _SILENCE
    sound = parselmouth.Sound(low, sampling_frequency=PITCH_RATE)
    pitch = sound.to_pitch_ac(
        time_step=STEP_S,
        pitch_floor=PITCH_FLOOR_HZ,
        pitch_ceiling=PITCH_CEILING_HZ,
        silence_threshold=silence,
    )
    values = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    return values[values > 0]


def measure_pitch(
    samples: np.ndarray | Signal, earlier: Sequence[float] = (), rate: int = SAMPLE_RATE
) -> Pitch:
    """Pitch variety of one answer; ``earlier`` are the ranges of the speaker's earlier answers."""
    import numpy as np

    voiced = pitch_track(samples, rate)
    seconds = len(voiced) * STEP_S
    if seconds < MIN_VOICED_S:
        return Pitch(None, None, seconds, None)
    semitones = 12 * np.log2(voiced / np.median(voiced))
    low, high = np.percentile(semitones, [10, 90])
    spread = float(high - low)
    flat, usual = is_flat(spread, earlier)
    return Pitch(spread, float(np.median(voiced)), seconds, flat, usual)


def is_flat(spread: float, earlier: Sequence[float]) -> tuple[bool, float | None]:
    """Whether a range is flat (see the module docstring), and the usual range it was held to."""
    if len(earlier) >= EARLIER_NEEDED:
        usual = statistics.median(earlier)
        return spread < FLAT_BELOW_USUAL * usual and spread < FLAT_GUARD_ST, usual
    return spread < FLAT_ALONE_ST, None


@dataclass(frozen=True, slots=True)
class Fade:
    start: float
    end: float
    drop_db: float

    def to_json(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "drop_db": round(self.drop_db, 1),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fade:
        return cls(float(data["start"]), float(data["end"]), float(data["drop_db"]))


@dataclass(frozen=True, slots=True)
class TrailingOff:
    sentences: int
    """Sentences measured: three or more words, the last and two others at least 30 ms long."""
    fades: tuple[Fade, ...]

    @property
    def trails_off(self) -> bool:
        return len(self.fades) >= 2 and 3 * len(self.fades) >= self.sentences

    def to_json(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "fades": [fade.to_json() for fade in self.fades],
            "trails_off": self.trails_off,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrailingOff:
        return cls(int(data["sentences"]), tuple(Fade.from_json(f) for f in data["fades"]))


def trailing_off(
    samples: np.ndarray | Signal, sentences: Sequence[Sentence], rate: int = SAMPLE_RATE
) -> TrailingOff:
    """Sentence ends that fade (see the module docstring)."""
    from practice.analysis.pauses import FRAME_SECONDS, envelope_db
    from practice.analysis.signal import Signal

    levels = samples.levels if isinstance(samples, Signal) else envelope_db(samples, rate)
    measured, fades = 0, []
    for sentence in sentences:
        spans: dict[int, tuple[float, float]] = {}
        for token in sentence.tokens:
            spans.setdefault(token.word, (token.start, token.end))
        if len(spans) < 3:
            continue
        words = [_level(levels, start, end, FRAME_SECONDS) for start, end in spans.values()]
        last, others = words[-1], [level for level in words[:-1] if level is not None]
        if last is None or len(others) < 2:
            continue
        measured += 1
        drop = statistics.median(others) - last
        if drop >= FADE_DB:
            start, end = list(spans.values())[-1]
            fades.append(Fade(start, end, drop))
    return TrailingOff(measured, tuple(fades))


def _level(levels: np.ndarray, start: float, end: float, frame_s: float) -> float | None:
    """A word's level: the 90th percentile of its 10 ms frame levels (dB), so that the silence
    an engine's word times often take in does not count; None under 30 ms."""
    import numpy as np

    frames = levels[max(0, int(start / frame_s)) : int(end / frame_s)]
    if len(frames) < 3:
        return None
    return float(np.percentile(frames, 90))
