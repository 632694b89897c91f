"""Hesitation sounds heard in the audio (the acoustic filler channel).

Whisper leaves most "um"s and "uh"s out of its transcript, or stretches a neighbouring word over
them. This channel listens for them instead: a hesitation is a *sustained, flat voiced sound* (a
held vowel, perhaps closing on a nasal "m") that no word accounts for. It reads the per-frame
features of :mod:`~practice.analysis.frames`.

Candidates
    A *sustained run* (:func:`~practice.analysis.frames.sustained_runs`) is at least
    ``MIN_RUN_S`` (0.18 s) of frames that are loud (within 20 dB of
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
    apart better).

    The confidence is ``0.2 + 1.2 × length (up to 0.6 s) + 0.5 × room (up to 0.2 s)``,
    where *room* is its part that no word covers, clipped to 0.05-0.95: a 0.25 s sound is
    counted (>= 0.5) only with some room.

Runs
    Whisper writes a long hesitation, or a few, as a loop of tokens ("uh, uh, uh," nine for
    six, most with no length): the number written is not evidence. After the verdict, each run
    of hesitations between two words keeps at most as many events as there are separate voiced
    sounds in its stretch (:func:`supported_runs`).

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
from practice.analysis.events import AUDIO, HESITATIONS, SOUND_WORDS, FillerEvent, FillerType
from practice.analysis.frames import (
    FRAME_S,
    Frames,
    VowelQuality,
    sustained_runs,
)
from practice.analysis.pauses import HEARD, voice_share
from practice.analysis.signal import Signal, measure
from practice.analysis.transcript import Word, word_overlap

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
_SAME_EVENT_S = 0.15
_WRITTEN_LATE_S = 1.0
_MIN_OVERLAP_S = 0.05
"""A word that overlaps a sound by less than this only touches it: its letters are not in it."""
_MAX_COVERED = 0.5
"""A sound at most this much inside words is in a gap between them."""


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
    samples: np.ndarray | Signal, threshold_db: float | None = None, rate: int = SAMPLE_RATE
) -> list[Hesitation]:
    """Every sustained sound in the recording (16 kHz samples, or their
    :class:`~practice.analysis.signal.Signal`), typed by its ending."""
    signal = measure(samples)
    frames = signal.frames
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
            quality = quality or VowelQuality(signal.samples, frames, ~held, rate)
            shape = replace(shape, **quality.of(start, vowel_end))
        sounds.append(
            Hesitation(
                round(start * FRAME_S, 3), round(max(end, tail) * FRAME_S, 3), _kind(shape), shape
            )
        )
    return sounds


_AH_OPENNESS = 0.4
_ER_CENTRALITY = -0.18


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
    return word.text.strip(" ,.?!;:-").lower() in SOUND_WORDS


def find_hesitations(
    samples: np.ndarray | Signal,
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
    signal = measure(samples)
    sounds = held_sounds(signal, threshold_db, rate)
    voice = signal.voice if voice is None else voice
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


_NUCLEUS_VOICED_S = 0.06
"""A stretch above the speech threshold with at least this much voicing in it is one sound."""


def voiced_nuclei(signal: Signal, threshold_db: float, start: float, end: float) -> int:
    """How many separate voiced sounds lie between ``start`` and ``end`` (seconds): runs of
    frames above the speech threshold (split wherever the level falls below it, even for one
    frame), each with at least ``_NUCLEUS_VOICED_S`` of voiced frames (> 0.5)."""
    frames = signal.frames
    low, high = max(0, int(start / FRAME_S)), min(len(frames), int(np.ceil(end / FRAME_S)))
    if high <= low:
        return 0
    above = np.concatenate(([False], frames.level_db[low:high] > threshold_db, [False]))
    voiced = frames.voicing[low:high] > 0.5
    edges = np.flatnonzero(above[1:] != above[:-1])
    need = round(_NUCLEUS_VOICED_S / FRAME_S)
    return sum(int(voiced[a:b].sum() >= need) for a, b in zip(edges[::2], edges[1::2], strict=True))


def supported_runs(
    events: Sequence[FillerEvent],
    words: Sequence[Word],
    signal: Signal,
    threshold_db: float,
) -> list[FillerEvent]:
    """``events`` with each run of hesitations cut to as many as the audio has sounds for.

    A *run* is the hesitations between two consecutive words that are not hesitations (the
    transcript's own, wherever they were moved, and the audio's in that stretch). Whisper writes
    a long hesitation, or a few, as a loop of "uh," tokens (nine for six, five of them with no
    length; "um, erm" for one held "erm"), so the number it writes is not evidence; a filler
    takes time, and each one is a voiced sound of its own. A run of two or more keeps at most
    as many events as :func:`voiced_nuclei` counts in its stretch (at least one), the longest
    ones."""
    spelled = {i for event in events if event.type in HESITATIONS for i in event.words}
    others = [i for i in range(len(words)) if i not in spelled]
    runs: dict[tuple[int, int], list[FillerEvent]] = {}
    for event in events:
        if event.type not in HESITATIONS:
            continue
        if event.words:
            middle = words[event.words[0]].start
            before = max((i for i in others if i < event.words[0]), default=-1)
        else:
            middle = (event.start + event.end) / 2
            before = max((i for i in others if words[i].end <= middle), default=-1)
        after = min((i for i in others if i > before), default=len(words))
        runs.setdefault((before, after), []).append(event)
    dropped: set[int] = set()
    for (before, after), run in runs.items():
        if len(run) < 2:
            continue
        start = words[before].end if before >= 0 else 0.0
        end = words[after].start if after < len(words) else signal.duration
        room = max(1, voiced_nuclei(signal, threshold_db, start, end))
        ranked = sorted(run, key=lambda event: event.end - event.start, reverse=True)
        dropped |= {id(event) for event in ranked[room:]}
    return [event for event in events if id(event) not in dropped]
