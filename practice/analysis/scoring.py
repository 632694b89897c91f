"""The report on one answer, and its 0–100 score explained in plain words.

A score is a list of parts. Each part has the points it won, the points it could win and one line
saying what it saw; the overall score is the points won out of the points possible, as a
percentage. New parts (the coaching parts: structure, specifics, ...) are more entries in the
list, and the total needs no change. The parts today:

- **pace** (30 points): full marks inside the target band (120–165 WPM by default), losing one
  point per 2 WPM outside it. Not judged on answers under 20 s or 40 words.
- **fillers** (30): fillers per 100 words; under 2 is excellent (full marks), 2–5 good (30 to 20
  points), above 5 needs work (20 points falling to 0 at 12).
- **pauses** (20): a long pause between sentences is good practice and costs nothing; up to 2
  long pauses a minute inside sentences are thinking time, and each one more a minute costs 5
  points; each stall (a pause of 3 s or more) costs 5.
- **length** (20, only with a target length): full marks from 60 % to 125 % of the target.

Fillers and pauses cannot fail on silence, so they are earned by speaking: their points are
scaled by how much of the answer was spoken, in full from 60 % of the target length (from 30 s
when there is no target). An answer with no speech, or too short to judge (under 8 s or 20
words), has no score at all: :attr:`AnswerReport.unscored` says why, and the session score
leaves it out. Every verdict is taken on the value that is shown (a pace shown as 130 wpm is
inside a 130–155 band), so a note never contradicts its points.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from practice.analysis.coaching.summary import Coaching
from practice.analysis.events import FillerEvent
from practice.analysis.pace import Pace, PaceWindow
from practice.analysis.pauses import LONG_PAUSE_SECONDS, Pause
from practice.analysis.transcript import Word

SCHEMA_VERSION = 1
STALL_SECONDS = 3.0
NO_SPEECH = "no speech detected"
MIN_SCORED_SECONDS = 8
"""An answer shorter than this (from its first speech to its last) is too short to score."""
MIN_SCORED_WORDS = 20
"""So is an answer of fewer words."""
FULL_EVIDENCE_SECONDS = 30.0
"""With no target length, fillers and pauses earn full points from this much speech."""
FULL_LENGTH_SHARE = 0.6
"""With a target, they earn full points from this share of it (where length does too)."""
SENTENCE_ENDS = (".", "?", "!", ";", ":")


@dataclass(frozen=True, slots=True)
class Targets:
    """What the answer is measured against."""

    pace_low: int = 120
    pace_high: int = 165
    long_pause_s: float = LONG_PAUSE_SECONDS
    target_seconds: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "pace_low": self.pace_low,
            "pace_high": self.pace_high,
            "long_pause_s": self.long_pause_s,
            "target_seconds": self.target_seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Targets:
        target = data.get("target_seconds")
        return cls(
            int(data["pace_low"]),
            int(data["pace_high"]),
            float(data["long_pause_s"]),
            None if target is None else float(target),
        )


@dataclass(frozen=True, slots=True)
class ScorePart:
    name: str
    points: float
    max_points: float
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": round(self.points, 1),
            "max": self.max_points,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScorePart:
        return cls(str(data["name"]), float(data["points"]), float(data["max"]), str(data["note"]))


MarkKind = Literal["word", "filler", "likely", "hedge", "sound", "pause"]
"""What a :class:`Mark` shows."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One piece of the transcript as it is shown: a word, or a marker placed between words."""

    kind: MarkKind
    """``word``, ``filler`` (a counted filler word), ``likely`` (an uncertain filler word),
    ``hedge`` (a hedge such as "I guess", see ``analysis.coaching.hedges``), ``sound`` (a filler
    heard in the audio with no word of its own) or ``pause`` (a long pause)."""
    text: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class AnswerReport:
    duration_s: float
    engine: str
    model: str
    words: tuple[Word, ...]
    fillers: tuple[FillerEvent, ...]
    """Every filler event found; the uncounted ones (low confidence) are only *likely*."""
    pauses: tuple[Pause, ...]
    speech: tuple[float, float] | None
    """Where the signal has speech (first start, last end); None when there is none."""
    pace: Pace
    parts: tuple[ScorePart, ...]
    targets: Targets
    file: str | None = None
    coaching: Coaching | None = None
    """Structure, specifics, hedges, the question asked and the voice (``analysis.coaching``);
    None in reports saved before coaching existed."""

    # Derived views -------------------------------------------------------------------------

    @property
    def no_speech(self) -> bool:
        return self.speech is None or not self.words

    @property
    def transcript(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def counted_fillers(self) -> tuple[FillerEvent, ...]:
        return tuple(event for event in self.fillers if event.counted)

    @property
    def likely_fillers(self) -> tuple[FillerEvent, ...]:
        return tuple(event for event in self.fillers if not event.counted)

    @property
    def filler_words(self) -> frozenset[int]:
        return frozenset(index for event in self.counted_fillers for index in event.words)

    @property
    def fillers_by_type(self) -> dict[str, int]:
        counts = Counter(event.type for event in self.counted_fillers)
        return dict(counts.most_common())

    @property
    def speaking_seconds(self) -> float:
        """From the first speech to the last (the answer's length)."""
        return 0.0 if self.speech is None else self.speech[1] - self.speech[0]

    @property
    def fillers_per_minute(self) -> float:
        minutes = self.speaking_seconds / 60.0
        return len(self.counted_fillers) / minutes if minutes > 0 else 0.0

    @property
    def long_pauses(self) -> tuple[Pause, ...]:
        return tuple(p for p in self.pauses if p.duration >= self.targets.long_pause_s)

    @property
    def longest_pause_s(self) -> float:
        return max((pause.duration for pause in self.pauses), default=0.0)

    @property
    def median_pause_s(self) -> float:
        return statistics.median(p.duration for p in self.pauses) if self.pauses else 0.0

    @property
    def unscored(self) -> str | None:
        """Why the answer has no score (no speech, or too short to judge); None when it has."""
        if self.no_speech:
            return NO_SPEECH
        seconds, words = round(self.speaking_seconds), len(self.words)
        if seconds < MIN_SCORED_SECONDS or words < MIN_SCORED_WORDS or not self.parts:
            noun = "word" if words == 1 else "words"
            return (
                f"too short to score ({seconds} s, {words} {noun}): a score needs at least "
                f"{MIN_SCORED_SECONDS} s and {MIN_SCORED_WORDS} words"
            )
        return None

    @property
    def score(self) -> int | None:
        """Points won out of points possible, 0–100; None when :attr:`unscored`."""
        if self.unscored is not None:
            return None
        possible = sum(part.max_points for part in self.parts)
        won = sum(part.points for part in self.parts)
        return round(100 * won / possible)

    @property
    def headline(self) -> str:
        """``Score 72/100``, or why there is none (``Too short to score (2 s, 1 word): ...``)."""
        reason = self.unscored
        if reason is None:
            return f"Score {self.score}/100"
        return reason[0].upper() + reason[1:]

    @property
    def notes(self) -> tuple[str, ...]:
        if self.no_speech:
            return (NO_SPEECH,)
        return tuple(part.note for part in self.parts)

    def marked_transcript(self) -> tuple[Mark, ...]:
        """The transcript with fillers marked and long pauses placed where they happened.

        Whisper stretches a word over the silence before it, so a marker goes before the first
        word that ends after the marker's own end.
        """
        units = self._word_marks()
        markers = [
            Mark("pause", f"⏸ {pause.duration:.1f} s", pause.start, pause.end)
            for pause in self.long_pauses
        ]
        markers += [
            Mark(
                "sound",
                event.type if event.counted else f"{event.type}?",
                event.start,
                event.end,
            )
            for event in self.fillers
            if not event.words
        ]
        markers.sort(key=lambda mark: mark.end)
        marks: list[Mark] = []
        waiting = iter(markers)
        pending = next(waiting, None)
        for unit in units:
            while pending is not None and unit.end > pending.end:
                marks.append(pending)
                pending = next(waiting, None)
            marks.append(unit)
        if pending is not None:
            marks.append(pending)
        marks.extend(waiting)
        return tuple(marks)

    def _word_marks(self) -> list[Mark]:
        """A mark per word, except that the words of one filler ("you know") or hedge make one
        mark; a word that is both a filler and a hedge is shown as the filler."""
        kinds: dict[int, MarkKind] = {}
        spans: dict[int, int] = {}  # first word of a filler -> one past its last
        for hedge in self.coaching.hedges if self.coaching is not None else ():
            kinds.update(dict.fromkeys(hedge.words, "hedge"))
            spans[hedge.words[0]] = hedge.words[-1] + 1
        for event in self.fillers:
            for index in event.words:
                kinds[index] = "filler" if event.counted else "likely"
            if event.words and list(event.words) == list(
                range(event.words[0], event.words[-1] + 1)
            ):
                spans[event.words[0]] = event.words[-1] + 1
        marks: list[Mark] = []
        index = 0
        while index < len(self.words):
            end = spans.get(index, index + 1)
            words = self.words[index:end]
            text = " ".join(word.text for word in words)
            marks.append(Mark(kinds.get(index, "word"), text, words[0].start, words[-1].end))
            index = end
        return marks

    # JSON ------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        fillers = self.filler_words
        return {
            "version": SCHEMA_VERSION,
            "file": self.file,
            "duration_s": round(self.duration_s, 3),
            "engine": {"name": self.engine, "model": self.model},
            "no_speech": self.no_speech,
            "transcript": self.transcript,
            "words": [
                {**word.to_json(), "filler": index in fillers}
                for index, word in enumerate(self.words)
            ],
            "speech": None
            if self.speech is None
            else {"start": round(self.speech[0], 3), "end": round(self.speech[1], 3)},
            "pace": self.pace.to_json(),
            "fillers": {
                "total": len(self.counted_fillers),
                "likely": len(self.likely_fillers),
                "per_minute": round(self.fillers_per_minute, 2),
                "by_type": self.fillers_by_type,
                "events": [event.to_json() for event in self.fillers],
            },
            "pauses": {
                "long": len(self.long_pauses),
                "longest_s": round(self.longest_pause_s, 3),
                "median_s": round(self.median_pause_s, 3),
                "events": [pause.to_json(self.targets.long_pause_s) for pause in self.pauses],
            },
            "length": {
                "seconds": round(self.speaking_seconds, 3),
                "target_seconds": self.targets.target_seconds,
            },
            "score": {
                "overall": self.score,
                "unscored": self.unscored,
                "notes": list(self.notes),
                "parts": [part.to_json() for part in self.parts],
            },
            "targets": self.targets.to_json(),
            "coaching": None if self.coaching is None else self.coaching.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerReport:
        """Rebuild a report from :meth:`to_json`'s output (scores as they were saved)."""
        speech = data.get("speech")
        pace = data["pace"]
        coaching = data.get("coaching")
        return cls(
            duration_s=float(data["duration_s"]),
            engine=str(data["engine"]["name"]),
            model=str(data["engine"]["model"]),
            words=tuple(Word.from_json(word) for word in data["words"]),
            fillers=tuple(FillerEvent.from_json(event) for event in data["fillers"]["events"]),
            pauses=tuple(Pause.from_json(pause) for pause in data["pauses"]["events"]),
            speech=None if speech is None else (float(speech["start"]), float(speech["end"])),
            pace=Pace(
                words=int(pace["words"]),
                span_s=float(pace["span_s"]),
                speaking_s=float(pace["speaking_s"]),
                syllables=int(pace["syllables"]),
                windows=tuple(
                    PaceWindow(float(w["start"]), float(w["end"]), int(w["words"]))
                    for w in pace["windows"]
                ),
            ),
            parts=tuple(ScorePart.from_json(part) for part in data["score"]["parts"]),
            targets=Targets.from_json(data["targets"]),
            file=data.get("file"),
            coaching=None if coaching is None else Coaching.from_json(coaching),
        )


def score_parts(
    pace: Pace,
    fillers: Sequence[FillerEvent],
    pauses: Sequence[Pause],
    words: Sequence[Word],
    length_s: float,
    targets: Targets,
) -> tuple[ScorePart, ...]:
    """The explained parts of the score (see the module docstring for the rules)."""
    full_s = (
        FULL_LENGTH_SHARE * targets.target_seconds
        if targets.target_seconds
        else FULL_EVIDENCE_SECONDS
    )
    spoken = min(1.0, length_s / full_s) if full_s > 0 else 1.0
    parts = [] if not pace.judged else [_pace_part(pace, targets)]
    parts.append(_earned(_filler_part(fillers, len(words), length_s), spoken, length_s, full_s))
    parts.append(_earned(_pause_part(pauses, words, length_s, targets), spoken, length_s, full_s))
    if targets.target_seconds:
        parts.append(_length_part(length_s, targets.target_seconds))
    # to 0.1 point, as they are saved, so that a saved report reads back the same
    return tuple(replace(part, points=round(part.points, 1)) for part in parts)


def _earned(part: ScorePart, spoken: float, length_s: float, full_s: float) -> ScorePart:
    """A part that silence cannot fail, scaled by the share of the answer that was spoken."""
    if spoken >= 1.0:
        return part
    note = f"{part.note}; {length_s:.0f} s spoken, full points from {full_s:.0f} s"
    return ScorePart(part.name, part.points * spoken, part.max_points, note)


def _pace_part(pace: Pace, targets: Targets) -> ScorePart:
    wpm, low, high = round(pace.wpm), targets.pace_low, targets.pace_high
    band = f"the {low}–{high} band"
    if low <= wpm <= high:
        return ScorePart("pace", 30, 30, f"{wpm} wpm, inside {band}")
    outside = low - wpm if wpm < low else wpm - high
    points = max(0.0, 30 - outside / 2)
    if wpm > high:
        note = f"{wpm} wpm, faster than {band}: slow down and let key points land"
    else:
        note = f"{wpm} wpm, slower than {band}: tighten sentences and keep moving"
    return ScorePart("pace", points, 30, note)


def _filler_part(fillers: Sequence[FillerEvent], words: int, length_s: float) -> ScorePart:
    counted = [event for event in fillers if event.counted]
    likely = len(fillers) - len(counted)
    rate = 100 * len(counted) / words if words else 0.0
    if rate < 2:
        points = 30.0
    elif rate <= 5:
        points = 30 - (rate - 2) / 3 * 10
    else:
        points = max(0.0, 20 - (rate - 5) / 7 * 20)
    extra = f", +{likely} likely" if likely else ""
    if not counted:
        return ScorePart("fillers", points, 30, f"no fillers found{extra}")
    minutes = length_s / 60
    per_minute = len(counted) / minutes if minutes > 0 else 0.0
    top, top_count = Counter(event.type for event in counted).most_common(1)[0]
    if len(counted) == 1:
        what, mostly = f"1 filler ('{top}')", ""
    else:
        what = f"{len(counted)} fillers"
        mostly = f", mostly '{top}'" if top_count * 2 > len(counted) else ""
    note = (
        f"{what}{extra} in {length_s:.0f} s ({per_minute:.1f}/min, "
        f"{rate:.1f} per 100 words){mostly}"
    )
    return ScorePart("fillers", points, 30, note)


def tenths(seconds: float) -> str:
    """A duration to 0.1 s, rounded down: a 0.98 s pause is not shown as a 1.0 s long one."""
    return f"{math.floor(seconds * 10 + 1e-9) / 10:.1f}"


def between_sentences(pause: Pause, words: Sequence[Word]) -> bool:
    """Whether the word before ``pause`` ends a sentence (the pause falls between points).

    Whisper stretches a word over the silence before it, so the word before a pause is the last
    one that ends by the pause's end (as in :meth:`AnswerReport.marked_transcript`).
    """
    before = [word for word in words if word.end <= pause.end]
    return bool(before) and before[-1].text.rstrip("\"')»”").endswith(SENTENCE_ENDS)


def _pause_part(
    pauses: Sequence[Pause], words: Sequence[Word], length_s: float, targets: Targets
) -> ScorePart:
    long = [pause for pause in pauses if pause.duration >= targets.long_pause_s]
    stalls = [pause for pause in long if pause.duration >= STALL_SECONDS]
    between = [pause for pause in long if between_sentences(pause, words)]
    inside = len(long) - len(between)
    minutes = max(length_s / 60, 0.5)
    excess = max(0.0, inside / minutes - 2)
    points = max(0.0, 20 - 5 * excess - 5 * len(stalls))
    threshold = f"≥ {targets.long_pause_s:g} s"
    if not long:
        return ScorePart("pauses", points, 20, f"no long pauses ({threshold})")
    longest = tenths(max(pause.duration for pause in long))
    noun = "long pause" if len(long) == 1 else "long pauses"
    if not inside:
        where = "between sentences: good, they let each point land"
    elif not between:
        where = "inside sentences"
    else:
        where = f"{len(between)} between sentences (good), {inside} inside"
    note = f"{len(long)} {noun} ({threshold}) {where}; longest {longest} s"
    if stalls:
        note += f"; {len(stalls)} over {STALL_SECONDS:g} s read as stalls"
    return ScorePart("pauses", points, 20, note)


def _length_part(length_s: float, target: float) -> ScorePart:
    seconds = round(length_s)
    ratio = seconds / target
    if 0.6 <= ratio <= 1.25:
        return ScorePart("length", 20, 20, f"{seconds} s against a {target:.0f} s target")
    if ratio < 0.6:
        points = 20 * ratio / 0.6
        note = f"{seconds} s against a {target:.0f} s target: short — add an example"
    else:
        points = max(0.0, 20 * (1 - (ratio - 1.25)))
        note = f"{seconds} s against a {target:.0f} s target: long — cut to the point"
    return ScorePart("length", points, 20, note)
