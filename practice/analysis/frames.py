"""Per-frame acoustic features of a recording (10 ms hop) that the acoustic channels
(``hesitations.py``, ``restarts.py``) read: level, voicing, a log-mel cepstrum and its change, the
nasal ratio and the hiss; the sustained runs of steady voiced sound; and vowel formants (F1, F2)
by linear prediction.

Per frame (32 ms Hann window): the level (dBFS), the voicing (peak of the normalised
autocorrelation for 70-400 Hz), a log-mel cepstrum (c1-c13 of 24 bands up to 4 kHz; its change
over 40 ms is the *spectral flux*) and the *nasal ratio* (dB below 350 Hz minus dB at 350-4000 Hz:
a murmured "m" is 10-20 dB, an open vowel -10 dB or less).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, Samples
from practice.analysis.pauses import FRAME_SECONDS, joined_runs, true_runs

FRAME_S = FRAME_SECONDS
_WINDOW = 512
_MEL_BANDS = 24
_CEPSTRA = 13
_MIN_PITCH_HZ = 70.0
_MAX_PITCH_HZ = 400.0
_NASAL_SPLIT_HZ = 350.0
_TOP_HZ = 4000.0
_HISS_HZ = 2000.0
_MEDIAN_FRAMES = 7
SPILL_FRAMES = 60_000
"""Frames (10 minutes) from which a recording's features are kept in a temporary file rather
than in memory (:func:`joined_frames`)."""


@dataclass(frozen=True, slots=True)
class Frames:
    """Per-frame features of a recording (10 ms hop)."""

    level_db: np.ndarray
    voicing: np.ndarray
    cepstra: np.ndarray
    """(frames, 13) log-mel cepstrum without c0."""
    nasal_db: np.ndarray
    hiss: np.ndarray
    """The share of the power above 2 kHz: high in noise-excited sounds such as an "h"."""
    loud_db: float
    """The recording's loud level: the 98th percentile of ``level_db`` (0 with no frames)."""

    def __len__(self) -> int:
        return int(self.level_db.size)

    @property
    def flux(self) -> np.ndarray:
        """Spectral change per frame: cepstral distance between 20 ms before and 20 ms after."""
        cepstra = self.cepstra
        flux = np.full(len(self), np.inf, dtype=np.float32)
        if len(self) > 4:
            flux[2:-2] = np.linalg.norm(cepstra[4:] - cepstra[:-4], axis=1)
        return flux

    @property
    def steadiness(self) -> np.ndarray:
        """The flux's running median over 70 ms: a lone spike does not break a held sound."""
        flux = self.flux
        if len(self) < _MEDIAN_FRAMES:
            return flux
        half = _MEDIAN_FRAMES // 2
        padded = np.concatenate((np.full(half, np.inf), flux, np.full(half, np.inf)))
        windows = np.lib.stride_tricks.sliding_window_view(padded, _MEDIAN_FRAMES)
        smooth: np.ndarray = np.median(windows, axis=1).astype(np.float32)
        return smooth


def _mel_filters(rate: int) -> np.ndarray:
    top = 2595.0 * np.log10(1.0 + _TOP_HZ / 700.0)
    bottom = 2595.0 * np.log10(1.0 + 80.0 / 700.0)
    edges = 700.0 * (10.0 ** (np.linspace(bottom, top, _MEL_BANDS + 2) / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(_WINDOW, 1.0 / rate)
    filters = np.zeros((_MEL_BANDS, bins.size), dtype=np.float32)
    for band in range(_MEL_BANDS):
        low, centre, high = edges[band : band + 3]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        filters[band] = np.maximum(0.0, np.minimum(rising, falling))
    return filters


def _dct_matrix() -> np.ndarray:
    n = np.arange(_MEL_BANDS)
    k = np.arange(1, _CEPSTRA + 1)[:, None]
    basis: np.ndarray = np.cos(np.pi * k * (2 * n + 1) / (2 * _MEL_BANDS)) * np.sqrt(
        2.0 / _MEL_BANDS
    )
    return basis.astype(np.float32)


FRAME_BLOCK = 1000
"""Frames computed at once (10 s): bounds the work arrays to a few MB whatever the length."""
WINDOW_REACH = _WINDOW // 2
"""Samples on either side of a frame's start that its window covers."""


def frame_features(samples: np.ndarray, rate: int = SAMPLE_RATE) -> Frames:
    """The features of every 10 ms frame of 16 kHz mono samples (computed ``FRAME_BLOCK``
    frames at a time)."""
    hop = round(rate * FRAME_S)
    signal = np.asarray(samples, dtype=np.float32)
    count = len(signal) // hop
    padded = np.concatenate(
        (np.zeros(WINDOW_REACH, np.float32), signal, np.zeros(_WINDOW, np.float32))
    )
    blocks = [
        frame_rows(padded[first * hop : (last - 1) * hop + _WINDOW], last - first, rate)
        for first in range(0, count, FRAME_BLOCK)
        for last in [min(count, first + FRAME_BLOCK)]
    ]
    return joined_frames(blocks)


FrameRows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Level, voicing, cepstra, nasal ratio and hiss of some consecutive frames."""


def joined_frames(blocks: list[FrameRows]) -> Frames:
    """The :class:`Frames` of a recording from its consecutive blocks of frame rows."""
    if not blocks:
        empty = np.zeros(0, dtype=np.float32)
        return Frames(empty, empty, np.zeros((0, _CEPSTRA), np.float32), empty, empty, 0.0)
    join = _spilled if sum(len(block[0]) for block in blocks) >= SPILL_FRAMES else np.concatenate
    level, voicing, cepstra, nasal, hiss = (
        join([block[part] for block in blocks]) for part in range(5)
    )
    return Frames(level, voicing, cepstra, nasal, hiss, float(np.percentile(level, 98)))


def _spilled(pieces: list[np.ndarray]) -> np.ndarray:
    """``pieces`` joined in an anonymous temporary file and mapped from it (copy on write): the
    features of a long recording take memory only where and while they are read. An hour's
    (about 29 MB) stayed resident through the whole transcription, the engine's peak included,
    though nothing reads them until the words are in (benchmarks/README.md, "Memory")."""
    with tempfile.TemporaryFile(prefix="practice-frames-") as file:
        for piece in pieces:
            file.write(np.ascontiguousarray(piece).tobytes())
        file.flush()
        shape = (sum(len(piece) for piece in pieces), *pieces[0].shape[1:])
        # the mapping holds the file (already unlinked) open after it is closed here
        return np.memmap(file, dtype=pieces[0].dtype, mode="c", shape=shape)


def frame_rows(segment: np.ndarray, count: int, rate: int = SAMPLE_RATE) -> FrameRows:
    """The features of ``count`` frames whose 512-sample windows lie in ``segment``: frame
    ``i``'s window is ``segment[i * hop : i * hop + 512]`` (from ``WINDOW_REACH`` samples before
    the frame's start). Each frame depends on its own window only."""
    hop = round(rate * FRAME_S)
    pad = WINDOW_REACH
    index = np.arange(count)[:, None] * hop + np.arange(_WINDOW)[None, :]
    frames = segment[index]
    frames = frames - frames.mean(axis=1, keepdims=True)
    windowed = frames * np.hanning(_WINDOW).astype(np.float32)
    spectrum = np.fft.rfft(windowed, axis=1)
    power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
    centre = frames[:, pad - hop // 2 : pad + hop // 2 + hop % 2]
    level = 10.0 * np.log10(np.maximum(np.mean(centre * centre, axis=1), 1e-10))
    mels = np.log(np.maximum(power @ _mel_filters(rate).T, 1e-10))
    cepstra = mels @ _dct_matrix().T
    bins = np.fft.rfftfreq(_WINDOW, 1.0 / rate)
    low = power[:, (bins >= 60) & (bins < _NASAL_SPLIT_HZ)].sum(axis=1)
    high = power[:, (bins >= _NASAL_SPLIT_HZ) & (bins < _TOP_HZ)].sum(axis=1)
    nasal = 10.0 * np.log10(np.maximum(low, 1e-12) / np.maximum(high, 1e-12))
    audible = power[:, bins >= 60].sum(axis=1)
    hiss = power[:, bins >= _HISS_HZ].sum(axis=1) / np.maximum(audible, 1e-12)
    # Autocorrelation of the windowed frame (zero-padded: not circular), normalised by the
    # window's own autocorrelation so that a steady periodic sound reads close to 1.
    padded_spectrum = np.fft.rfft(windowed, n=2 * _WINDOW, axis=1)
    autocorr = np.fft.irfft(np.abs(padded_spectrum) ** 2, axis=1)[:, :_WINDOW]
    window = np.hanning(_WINDOW)
    window_autocorr = np.correlate(window, window, "full")[_WINDOW - 1 :]
    shortest = int(rate / _MAX_PITCH_HZ)
    longest = int(rate / _MIN_PITCH_HZ)
    lags = autocorr[:, shortest : longest + 1] / window_autocorr[shortest : longest + 1]
    energy = np.maximum(autocorr[:, 0] / window_autocorr[0], 1e-12)
    best = np.argmax(lags, axis=1)
    voicing = lags[np.arange(count), best] / energy
    return (
        level.astype(np.float32),
        np.clip(voicing, 0.0, 1.0).astype(np.float32),
        cepstra.astype(np.float32),
        nasal.astype(np.float32),
        hiss.astype(np.float32),
    )


MIN_RUN_S = 0.18
_STEADY_FLUX = 4.5
_LOUD_RANGE_DB = 20
_MIN_VOICING = 0.5
_BRIDGE_FRAMES = 3
_GLIDE_FLUX = 6.5
_GLIDE_FRAMES = 8
_GLIDE_HOLD_FRAMES = 10


def sustained_runs(frames: Frames, threshold_db: float | None = None) -> list[tuple[int, int]]:
    """Half-open frame ranges of loud, voiced, spectrally steady sound of at least MIN_RUN_S."""
    if len(frames) == 0:
        return []
    loud = frames.loud_db
    floor = (
        loud - _LOUD_RANGE_DB if threshold_db is None else max(threshold_db, loud - _LOUD_RANGE_DB)
    )
    steady = (
        (frames.steadiness < _STEADY_FLUX)
        & (frames.level_db > floor)
        & (frames.voicing > _MIN_VOICING)
    )
    gliding = (
        (frames.steadiness < _GLIDE_FLUX)
        & (frames.level_db > floor)
        & (frames.voicing > _MIN_VOICING)
    )
    runs: list[tuple[int, int]] = []
    for start, end in joined_runs(true_runs(steady), _BRIDGE_FRAMES):
        if (
            runs
            and start - runs[-1][1] <= _GLIDE_FRAMES
            and end - start >= _GLIDE_HOLD_FRAMES
            and gliding[runs[-1][1] : start].all()
        ):
            runs[-1] = (runs[-1][0], end)  # a slow glide, still voiced and loud: one sound
        else:
            runs.append((start, end))
    shortest = round(MIN_RUN_S / FRAME_S)
    return [(start, end) for start, end in runs if end - start >= shortest]


_LPC_RATE = 8000
_LPC_ORDER = 10
_LPC_WINDOW = 200
"""25 ms at 8 kHz."""
_PRE_EMPHASIS = 0.9
_LOWEST_FORMANT_HZ = 150.0
_WIDEST_FORMANT_HZ = 500.0
_REFERENCE_VOICING = 0.6
_REFERENCE_RANGE_DB = 15.0
_REFERENCE_STEP = 4
"""Every fourth voiced frame is enough for the speaker's medians."""


_NARROW_MARGIN = 512
"""16 kHz samples resampled on either side of a stretch, so that the 8 kHz signal inside it is
that of the whole recording resampled at once (within 1e-7)."""


class VowelQuality:
    """F1 and F2 of frames (by linear prediction on the signal band-limited to 4 kHz), each as the
    log ratio to its median over the speaker's voiced frames (log-mean normalisation). The 8 kHz
    signal is made for the stretches measured only, ``FRAME_BLOCK`` frames at a time."""

    def __init__(
        self, samples: Samples, frames: Frames, speech: np.ndarray, rate: int = SAMPLE_RATE
    ) -> None:
        """``speech`` marks the frames the speaker's medians are taken from (not the held
        sounds: a hesitant answer's own "uh"s must not become its neutral vowel)."""
        self._samples = samples
        self._rate = rate
        voiced = (
            speech
            & (frames.voicing > _REFERENCE_VOICING)
            & (frames.level_db > frames.loud_db - _REFERENCE_RANGE_DB)
        )
        self._median = _medians(self._formants(np.flatnonzero(voiced)[::_REFERENCE_STEP]))

    def of(self, start: int, end: int) -> dict[str, float]:
        """``openness`` and ``frontness`` of frames ``start``-``end`` (0 when unmeasurable)."""
        vowel = _medians(self._formants(np.arange(start, end)))
        if vowel is None or self._median is None:
            return {}
        openness, frontness = vowel - self._median
        return {"openness": float(openness), "frontness": float(frontness)}

    def _formants(self, indices: np.ndarray) -> np.ndarray:
        """(len(indices), 2): F1 and F2 in Hz of those 10 ms frames; NaN where not found."""
        if indices.size == 0:
            return np.zeros((0, 2))
        blocks = np.split(indices, np.flatnonzero(np.diff(indices // FRAME_BLOCK)) + 1)
        return np.concatenate([self._block_formants(block) for block in blocks])

    def _block_formants(self, indices: np.ndarray) -> np.ndarray:
        """:meth:`_formants` of frames (sorted) that lie within ``FRAME_BLOCK`` of each other."""
        import soxr

        hop = round(_LPC_RATE * FRAME_S)
        half = _LPC_WINDOW // 2
        ratio = self._rate // _LPC_RATE
        # The pre-emphasised 8 kHz signal from ``first`` (one sample before the first window)
        first = max(0, int(indices[0]) * hop - half - 1)
        stop = int(indices[-1]) * hop + half
        start16 = max(0, first * ratio - _NARROW_MARGIN)
        read = self._samples.read(start16, min(len(self._samples), stop * ratio + _NARROW_MARGIN))
        narrow = np.asarray(soxr.resample(read, self._rate, _LPC_RATE), dtype=np.float32)
        narrow = narrow[first - start16 // ratio : stop - start16 // ratio]
        emphasised = np.append(narrow[:1], narrow[1:] - _PRE_EMPHASIS * narrow[:-1])
        if first > 0:
            emphasised = emphasised[1:]  # its first sample had no sample before it here
            first += 1
        positions = indices[:, None] * hop - half + np.arange(_LPC_WINDOW) - first
        inside = (positions >= 0) & (positions < emphasised.size)
        samples = np.where(inside, emphasised[np.clip(positions, 0, emphasised.size - 1)], 0.0)
        windowed = samples.astype(np.float32) * np.hamming(_LPC_WINDOW)
        power = np.abs(np.fft.rfft(windowed, 2 * _LPC_WINDOW, axis=1)) ** 2
        autocorr = np.fft.irfft(power, axis=1)[:, : _LPC_ORDER + 1]
        autocorr[:, 0] = autocorr[:, 0] * 1.0001 + 1e-9  # a little white noise: always solvable
        lags = np.abs(np.arange(_LPC_ORDER)[:, None] - np.arange(_LPC_ORDER)[None, :])
        predictor = np.linalg.solve(autocorr[:, lags], -autocorr[:, 1:, None])[..., 0]
        companion = np.zeros((indices.size, _LPC_ORDER, _LPC_ORDER))
        companion[:, 0, :] = -predictor
        companion[:, 1:, :-1] = np.eye(_LPC_ORDER - 1)
        roots = np.linalg.eigvals(companion)
        hertz = np.angle(roots) * _LPC_RATE / (2 * np.pi)
        bandwidth = -_LPC_RATE / np.pi * np.log(np.maximum(np.abs(roots), 1e-12))
        resonant = (
            (roots.imag > 0) & (hertz > _LOWEST_FORMANT_HZ) & (bandwidth < _WIDEST_FORMANT_HZ)
        )
        ordered = np.sort(np.where(resonant, hertz, np.inf), axis=1)[:, :2]
        formants: np.ndarray = np.where(np.isfinite(ordered), ordered, np.nan)
        return formants


def _medians(formants: np.ndarray) -> np.ndarray | None:
    """The median log F1 and log F2 of the frames where both were found; None if none."""
    found = formants[np.isfinite(formants).all(axis=1)]
    return np.median(np.log(found), axis=0) if len(found) else None
