"""Hesitation sounds heard in the audio (the acoustic filler channel).

Whisper leaves most "um"s and "uh"s out of its transcript, or stretches a neighbouring word over
them. This channel listens for them instead: a hesitation is a *sustained, flat voiced sound* (a
held vowel, perhaps closing on a nasal "m") that no word accounts for.

Frames
    10 ms hop, 32 ms Hann window. Per frame: the level (dBFS), the voicing (peak of the
    normalised autocorrelation for 70-400 Hz), a log-mel cepstrum (c1-c13 of 24 bands up to
    4 kHz; its change over 40 ms is the *spectral flux*) and the *nasal ratio* (dB below 350 Hz
    minus dB at 350-4000 Hz: a murmured "m" is 10-20 dB, an open vowel -10 dB or less).

Candidates
    A *sustained run* is at least ``MIN_RUN_S`` (0.18 s) of frames that are loud (within 20 dB of
    the answer's loud level and above the speech threshold), voiced (> 0.5) and spectrally steady
    (the flux's 70 ms running median below 4.5), with gaps of up to 30 ms bridged. Ordinary speech
    changes its spectrum every syllable (about every 100-200 ms), so such runs are mostly held
    vowels and murmurs: hesitations, and the occasional drawn-out word. A run goes on across a
    *glide* of up to 80 ms whose frames stay loud and voiced and change a little faster
    (steadiness below 6.5; a consonant or a new syllable breaks the voicing or the level, or
    changes faster) when the sound is held again for at least 0.1 s after it: a hesitation
    often starts as an "h" gliding into its vowel or drifts on its way, then holds ("hmm" after
    an "h" held only 0.15 s), while a diphthong ("so", "okay", "know") ends on its glide, which
    is not joined. A nasal murmur that follows the run within 160 ms with no silence between
    and no dip of more than 25 dB below the vowel's level (noise between a vowel and the next
    word's nasal does not join them; a single quiet 10 ms frame is no dip: a low-pitched
    murmur's pulses can fall between the frames' 10 ms centres, as in eSpeak's "um") is the
    "m" of "um": it belongs to the run. A run that starts with a sibilant (at its onset, 70
    points more of the power above 2 kHz than in the held part: an "s") is a word said slowly
    ("so…"), never a hesitation.

Deciding
    Whisper, prompted for verbatim text (:data:`~practice.analysis.transcript.VERBATIM_PROMPT`),
    writes most hesitations itself, on real voices too; what it wrote a word for is that word. So
    a held sound counts as a hesitation of its own only when the evidence is strict:

    - no transcribed word explains it: words cover at most half of it (a word that overlaps it by
      less than 0.05 s only touches it and is left out, and so is a word that Whisper writes for
      a sound it heard as one: yeah, huh; its "Yeah," over a held "er" is that sound, however
      sure Whisper was of it). A held sound under a word is the word drawn out ("Montreeeal",
      "theee"), sung or laughed, whatever the engine's doubt about it;
    - the VAD hears a voice in it (Silero's mean speech probability over it at least 0.5, see
      :mod:`~practice.analysis.pauses`): a hum, a note, or a vowel held for seconds is not;
    - the transcript has no hesitation between the words on either side of it: Whisper heard
      that stretch and wrote its hesitation; a second held sound there is part of it, or the
      word before it drawn out.

    A hesitation the transcript has stands for the nearest held sound within 0.15 s of it, or
    within 1 s with no other word between them (Whisper often writes a hesitation it first
    dropped just before the next word, after the sound): that sound is not another event, and
    the transcript's event takes the sound's times and type (Whisper spells most open
    hesitations "uh" and most hummed ones "um"; the sound's vowel, murmur and onset tell them
    apart better: on the accuracy benchmark, typing by the sound beat keeping Whisper's
    spelling for every hesitation type).

    The confidence is ``0.2 + 1.2 × length (up to 0.6 s) + 0.5 × room (up to 0.2 s)``,
    where *room* is its part that no word covers, clipped to 0.05-0.95: a 0.25 s sound is
    counted (>= 0.5) only with some room.

Typing
    From the sound's shape (:class:`SoundShape`): a vowel closing on at least 0.1 s of murmur is
    ``um``; a murmur longer than its vowel, or a sound that starts with an "h" (a share of the
    power above 2 kHz in the first 40 ms from where it rises above the speech threshold at least
    5 points above the held part's: aspiration, which a vowel's onset lacks), is ``hmm``. (Unvoiced
    frames just before the sound are no sign of an "h": they are as often the end of the word
    before, the "t" of "a lot. Um".) An open vowel is typed by its
    quality, measured against the speaker's own vowels so that it holds for any voice: F1 and
    F2 (the two lowest resonances, by linear prediction on the signal band-limited to 4 kHz)
    of the held vowel, each as the log ratio to its median over the answer's voiced frames
    outside held sounds (log-mean normalisation; the median of a whole answer is close to the
    speaker's neutral vowel). The most open vowel, F1 at least
    1.49 times (log 0.4) the median, is ``ah``; a vowel near the neutral one (log F2 ratio
    - 0.5 × log F1 ratio above -0.18: not lowered and backed) is ``er``; the rest, open-mid and
    back, is ``uh``. These are the vowels of "ah" [ɑː], "er" [ɜː, ə] and "uh" [ʌ]; a speaker
    whose "uh" is a neutral [ə] has it reported as "er", the spelling of that sound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from practice.analysis.audio import SAMPLE_RATE
from practice.analysis.events import AUDIO, HESITATIONS, TRANSCRIPT, FillerEvent, FillerType
from practice.analysis.pauses import (
    FRAME_SECONDS,
    joined_runs,
    true_runs,
    voice_per_frame,
    voice_share,
)
from practice.analysis.transcript import Word

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


def frame_features(samples: np.ndarray, rate: int = SAMPLE_RATE) -> Frames:
    """The features of every 10 ms frame of 16 kHz mono samples."""
    hop = round(rate * FRAME_S)
    signal = np.asarray(samples, dtype=np.float32)
    count = len(signal) // hop
    if count == 0:
        empty = np.zeros(0, dtype=np.float32)
        return Frames(empty, empty, np.zeros((0, _CEPSTRA), np.float32), empty, empty, 0.0)
    pad = _WINDOW // 2
    padded = np.concatenate(
        (np.zeros(pad, np.float32), signal, np.zeros(_WINDOW + pad, np.float32))
    )
    index = np.arange(count)[:, None] * hop + np.arange(_WINDOW)[None, :]
    frames = padded[index]
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
    level_db = level.astype(np.float32)
    return Frames(
        level_db,
        np.clip(voicing, 0.0, 1.0).astype(np.float32),
        cepstra.astype(np.float32),
        nasal.astype(np.float32),
        hiss.astype(np.float32),
        float(np.percentile(level_db, 98)),
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


_NASAL_DB = 5.0
"""Frames whose low band is louder than the rest: a murmured "m"."""
_MAX_TAIL_S = 0.5
_MURMUR_ONSET_S = 0.16
_HISS = 0.05
_SIBILANT = 0.7
_HISS_FRAMES = 4
_ONSET_SEARCH_FRAMES = 20
_MURMUR_RANGE_DB = 40.0
_MIN_NASAL_TAIL_S = 0.1
_MURMUR_DIP_DB = 25.0
_WORD_BASE_S = 0.04
_WORD_PER_LETTER_S = 0.045
"""The least time a word needs, with its letters: fast speech says 12-15 letters a second."""
_SAME_EVENT_S = 0.15
_WRITTEN_LATE_S = 1.0
_MIN_OVERLAP_S = 0.05
"""A word that overlaps a sound by less than this only touches it: its letters are not in it."""
_MAX_COVERED = 0.5
"""A sound at most this much inside words is in a gap between them."""
HEARD = 0.5
"""The least mean VAD speech probability over a sound that the audio channels count."""
_SOUND_WORDS = frozenset(("yeah", "yeh", "yea", "huh"))


@dataclass(frozen=True, slots=True)
class SoundShape:
    """What a held sound's type is told from."""

    vowel_s: float
    """How long the open (not nasal) part lasts."""
    murmur_s: float
    """How long the nasal murmur that closes it lasts (0 if none)."""
    hiss: float = 0.0
    """How much more of its power lies above 2 kHz in its first 40 ms (from where it rises above
    the speech threshold, up to 0.2 s before the held part) than in the held part: the
    aspiration of an "h", even a short one."""
    openness: float = 0.0
    """log(F1 / the speaker's median F1) of the vowel: high for an open vowel ("ah")."""
    frontness: float = 0.0
    """log(F2 / the speaker's median F2) of the vowel: low for a back vowel ("uh", "ah")."""


@dataclass(frozen=True, slots=True)
class Hesitation:
    """A held sound heard in the audio, before it is checked against the words."""

    start: float
    end: float
    type: FillerType
    shape: SoundShape


def held_sounds(
    samples: np.ndarray, threshold_db: float | None = None, rate: int = SAMPLE_RATE
) -> list[Hesitation]:
    """Every sustained sound in the recording, typed by its ending."""
    frames = frame_features(samples, rate)
    loud = frames.loud_db
    nasal = (frames.nasal_db > _NASAL_DB) & (frames.level_db > loud - _MURMUR_RANGE_DB)
    sounds: list[Hesitation] = []
    quality: VowelQuality | None = None
    runs = sustained_runs(frames, threshold_db)
    held = np.zeros(len(frames), dtype=bool)
    for start, end in runs:
        held[start:end] = True
    for start, end in runs:
        if sounds and start * FRAME_S < sounds[-1].end:
            continue  # the murmur that closed the previous sound
        vowel_end = end
        while vowel_end > start and nasal[vowel_end - 1]:
            vowel_end -= 1
        # No dip to the noise floor between the vowel and its murmur: a real "um" glides on.
        vowel = frames.level_db[start : vowel_end if vowel_end > start else end]
        floor = max(loud - _MURMUR_RANGE_DB, float(np.median(vowel)) - _MURMUR_DIP_DB)
        tail = _murmur_end(nasal, frames.level_db, floor, vowel_end)
        shape = sound_features(frames, start, vowel_end, tail, threshold_db)
        if shape.hiss >= _SIBILANT:
            continue  # it starts with an "s": a word ("so") said slowly, not a hesitation
        if shape.murmur_s < _MIN_NASAL_TAIL_S:
            quality = quality or VowelQuality(samples, frames, ~held, rate)
            shape = replace(shape, **quality.of(start, vowel_end))
        sounds.append(
            Hesitation(
                round(start * FRAME_S, 3), round(max(end, tail) * FRAME_S, 3), _kind(shape), shape
            )
        )
    return sounds


_AH_OPENNESS = 0.4
_ER_CENTRALITY = -0.18
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


class VowelQuality:
    """F1 and F2 of frames relative to the speaker's medians (see the module docstring)."""

    def __init__(
        self, samples: np.ndarray, frames: Frames, speech: np.ndarray, rate: int = SAMPLE_RATE
    ) -> None:
        """``speech`` marks the frames the speaker's medians are taken from (not the held
        sounds: a hesitant answer's own "uh"s must not become its neutral vowel)."""
        import soxr

        narrow = np.asarray(soxr.resample(samples, rate, _LPC_RATE), dtype=np.float32)
        self._signal = np.append(narrow[:1], narrow[1:] - _PRE_EMPHASIS * narrow[:-1])
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
        hop = round(_LPC_RATE * FRAME_S)
        half = _LPC_WINDOW // 2
        padded = np.concatenate(
            (np.zeros(half, np.float32), self._signal, np.zeros(_LPC_WINDOW, np.float32))
        )
        windowed = padded[indices[:, None] * hop + np.arange(_LPC_WINDOW)] * np.hamming(_LPC_WINDOW)
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


def sound_features(
    frames: Frames, start: int, vowel_end: int, end: int, threshold_db: float | None = None
) -> SoundShape:
    """How a held sound is shaped: see :class:`SoundShape`."""
    floor = max(
        threshold_db if threshold_db is not None else -np.inf, frames.loud_db - _MURMUR_RANGE_DB
    )
    onset = start
    while onset > max(0, start - _ONSET_SEARCH_FRAMES) and frames.level_db[onset - 1] > floor:
        onset -= 1
    first = frames.hiss[onset : onset + _HISS_FRAMES]
    held = frames.hiss[start : max(vowel_end, end)]
    return SoundShape(
        (vowel_end - start) * FRAME_S,
        (end - vowel_end) * FRAME_S,
        float(np.mean(first) - np.median(held)) if first.size and held.size else 0.0,
    )


def _kind(shape: SoundShape) -> FillerType:
    """ "um" for a vowel closing on a murmur, "hmm" when the murmur is the longer part or the
    sound starts with an aspirated "h"; an open vowel is "ah", "er" or "uh" by its quality."""
    if shape.murmur_s < _MIN_NASAL_TAIL_S:
        if shape.openness >= _AH_OPENNESS:
            return "ah"
        if shape.frontness - 0.5 * shape.openness > _ER_CENTRALITY:
            return "er"
        return "uh"
    if shape.hiss >= _HISS or shape.murmur_s > shape.vowel_s:
        return "hmm"
    return "um"


def _murmur_end(nasal: np.ndarray, levels: np.ndarray, floor: float, start: int) -> int:
    """Where a nasal murmur that follows on within 160 ms of ``start`` (``levels`` above
    ``floor`` all the way, but for single frames: a low voice's pulses can miss a 10 ms frame)
    ends; ``start`` if there is none."""
    count = len(nasal)
    search = nasal[start : min(count, start + round(_MURMUR_ONSET_S / FRAME_S))]
    if not search.any():
        return start
    position = start + int(np.argmax(search))
    above = np.concatenate(([True], levels > floor, [True]))
    between = slice(start + 1, position + 1)  # frames start..position-1, in ``above``
    lone = above[between.start - 1 : between.stop - 1] & above[between.start + 1 : between.stop + 1]
    if not (above[between] | lone).all():
        return start
    limit = min(count, position + round(_MAX_TAIL_S / FRAME_S))
    missed = 0
    end = position
    while position < limit and missed <= 1:
        missed = 0 if nasal[position] else missed + 1
        position += 1
        if nasal[position - 1]:
            end = position
    return end


def _sound_word(word: Word) -> bool:
    """Whether the word is one Whisper writes for a held sound it heard as a word ("Yeah," for a
    held "er")."""
    return word.text.strip(" ,.?!;:-").lower() in _SOUND_WORDS


def word_overlap(word: Word, start: float, end: float) -> float:
    """Seconds that ``word`` shares with the span ``start``-``end`` (0 if none)."""
    return max(0.0, min(word.end, end) - max(word.start, start))


def least_seconds(word: Word) -> float:
    """The least time a word needs to be said: 0.04 s + 0.045 s a letter."""
    return _WORD_BASE_S + _WORD_PER_LETTER_S * sum(char.isalnum() for char in word.text)


def find_hesitations(
    samples: np.ndarray,
    words: Sequence[Word],
    lexical: Sequence[FillerEvent] = (),
    threshold_db: float | None = None,
    rate: int = SAMPLE_RATE,
    voice: np.ndarray | None = None,
) -> list[FillerEvent]:
    """Hesitations heard in the audio that neither the words nor ``lexical`` account for
    (source "audio"), and the hesitations of ``lexical`` that stand for a held sound they do
    not overlap or that the sound types differently, with the sound's times and type (source
    "transcript", same words). ``voice``: the VAD's speech probability per 10 ms frame
    (:attr:`~practice.analysis.pauses.Activity.voice`; computed when not given).
    """
    sounds = held_sounds(samples, threshold_db, rate)
    voice = voice_per_frame(samples) if voice is None else voice
    known = [event for event in lexical if event.type in HESITATIONS]
    written = _written(sounds, known, words)
    spelled = {index for event in known for index in event.words}
    events = []
    for sound in sounds:
        if id(sound) in written:  # the transcript has it already, perhaps elsewhere
            event = written[id(sound)]
            if sound.type != event.type or _gap(sound.start, sound.end, event.start, event.end):
                events.append(replace(event, type=sound.type, start=sound.start, end=sound.end))
            continue
        held = sound.end - sound.start
        covered = sum(
            shared
            for word in words
            if (shared := word_overlap(word, sound.start, sound.end)) >= _MIN_OVERLAP_S
            and not _sound_word(word)  # Whisper's spelling of the sound itself: not a word
        )
        if covered > _MAX_COVERED * held:
            continue  # a word explains it: the word drawn out, or sung, or laughed
        if voice_share(voice, sound.start, sound.end) < HEARD:
            continue  # the VAD does not hear a voice: a hum, a note, a long-held vowel
        if _spelled_nearby(words, spelled, (sound.start + sound.end) / 2):
            continue  # Whisper wrote the hesitation of this stretch: this is part of it
        events.append(
            FillerEvent(
                sound.type, sound.start, sound.end, AUDIO, _confidence(sound, held - covered)
            )
        )
    return events


def _written(
    sounds: Sequence[Hesitation], known: Sequence[FillerEvent], words: Sequence[Word]
) -> dict[int, FillerEvent]:
    """The sounds (by id) that a hesitation in the transcript stands for: each one's nearest
    sound, if within 0.15 s, or within 1 s with no other word between them (Whisper often puts
    a dropped-then-restored "uh," just before the next word, after the sound itself)."""
    claimed: dict[int, FillerEvent] = {}
    for event in known:
        candidates = [
            (_gap(sound.start, sound.end, event.start, event.end), index)
            for index, sound in enumerate(sounds)
            if id(sound) not in claimed
        ]
        near = [
            (gap, index)
            for gap, index in candidates
            if gap < _SAME_EVENT_S
            or (
                gap <= _WRITTEN_LATE_S
                and not _words_between(words, sounds[index], event, set(event.words))
            )
        ]
        if near:
            claimed[id(sounds[min(near)[1]])] = event
    return claimed


def _spelled_nearby(words: Sequence[Word], spelled: set[int], middle: float) -> bool:
    """Whether a hesitation the transcript wrote (word indices ``spelled``) lies between the
    words on either side of ``middle`` (the hesitations left out): Whisper, asked for verbatim
    text, heard that stretch and wrote its hesitation; another held sound there is part of it
    or a word drawn out."""
    before = max(
        (i for i, word in enumerate(words) if i not in spelled and word.end <= middle), default=-1
    )
    after = min(
        (i for i, word in enumerate(words) if i not in spelled and word.start >= middle),
        default=len(words),
    )
    return any(before < index < after for index in spelled)


def _gap(start: float, end: float, other_start: float, other_end: float) -> float:
    return max(0.0, other_start - end, start - other_end)


def _words_between(
    words: Sequence[Word], sound: Hesitation, event: FillerEvent, own: set[int]
) -> bool:
    """Whether a word other than the event's own lies in the gap between the sound and it."""
    low, high = min(sound.end, event.end), max(sound.start, event.start)
    return any(
        index not in own and low < (word.start + word.end) / 2 < high
        for index, word in enumerate(words)
    )


def _confidence(sound: Hesitation, room: float) -> float:
    held = sound.end - sound.start
    score = 0.2 + 1.2 * min(held, 0.6) + 0.5 * min(max(room, 0.0), 0.2)
    return float(np.clip(score, 0.05, 0.95))


def merge_fillers(
    lexical: Sequence[FillerEvent], acoustic: Sequence[FillerEvent]
) -> list[FillerEvent]:
    """Both channels' events, sorted by start: a transcript event that the audio timed anew
    (see :func:`find_hesitations`) takes its new times; an acoustic event that overlaps a
    lexical hesitation is that event, not another one."""
    moved = {event.words: event for event in acoustic if event.source == TRANSCRIPT}
    lexical = [moved.get(event.words, event) for event in lexical]
    known = [event for event in lexical if event.type in HESITATIONS]
    kept = [
        event
        for event in acoustic
        if event.source != TRANSCRIPT
        and not any(other.start < event.end and event.start < other.end for other in known)
    ]
    return sorted([*lexical, *kept], key=lambda event: (event.start, event.words))
