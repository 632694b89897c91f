"""Score an analysis result (issue 2's JSON shape) against the truth of a rendered answer.

- **Fillers**: a detected event matches a true event of the same type whose time overlaps it or
  lies within ``TOLERANCE_S`` (0.3 s) of it; matching is one-to-one and greedy, closest pairs
  first. Precision, recall and F1 are counted per type, overall (sum over types) and type-agnostic
  (the same matching ignoring type), and for hesitation sounds alone (um, uh, er, ah, hmm: true
  ones against detected ones, any of them for any other). Repeated words have the type
  ``repetition``.
- Only events with a ``confidence`` of at least ``min_confidence`` (default ``COUNTED``, 0.5:
  the events practice counts, not the "likely" ones) are scored; an event without a confidence
  counts. Detected types are read leniently: spellings such as "umm" or "hm" are their type.
- **Count error**: detected filler events minus true ones, per answer.
- **Pauses**: only inserted silences of at least ``LONG_PAUSE_S`` (1 s) are true long pauses. A
  detected pause of at least 1 s matches one it overlaps (one-to-one, largest overlap first). A
  detected long pause that overlaps only a shorter inserted silence is neither right nor wrong
  (the silence plus the gaps around it can reach 1 s); any other unmatched one is a false positive.
- **WPM**: relative error of ``pace.wpm`` against the truth's WPM (plain words ÷ minutes from the
  first plain word's start to the last one's end).
- **WER**: word edit distance between every word spoken (plain words and the words of lexical
  fillers such as "you know") and the verbatim ``transcript``. Both sides are lower-cased, stripped
  of punctuation (apostrophes inside words kept; hyphens split words), with "ok" read as "okay"
  and the numbers 0-20 written as words; hesitation sounds (um, uh, er, ah, hmm and their
  spellings) are removed from both sides before alignment, since scoring them is the filler
  metric's job.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.accuracy.script import canonical_type, words_of
from benchmarks.accuracy.truth import Segment, Truth
from practice.analysis.events import HESITATIONS
from practice.errors import PracticeError

TOLERANCE_S = 0.3
COUNTED = 0.5
"""Events below this confidence are "likely" fillers: shown, but not counted."""
LONG_PAUSE_S = 1.0

_HESITATION = re.compile(r"(u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m+|mhm|hm+)")
_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


class ResultError(PracticeError):
    """An analysis result lacks a field the scorer needs."""


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives, with the usual ratios.

    With nothing detected precision is 1; with nothing to find recall is 1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class AnswerScore:
    """How one analysis result compares with the truth of its answer."""

    script: str
    voice: str
    split: str
    fillers: Mapping[str, Counts]
    """Per filler type, matched by type."""
    fillers_any_type: Counts
    hesitations: Counts
    """Hesitation sounds only (um, uh, er, ah, hmm), any of them for any other."""
    filler_count_error: int
    pauses: Counts
    wpm_true: float
    wpm_detected: float
    wer_edits: int
    wer_reference: int
    duration_s: float
    seconds: float | None = None
    """Analysis time, when it was measured."""

    @property
    def fillers_total(self) -> Counts:
        return sum(self.fillers.values(), Counts())

    @property
    def wpm_error(self) -> float:
        return abs(self.wpm_detected - self.wpm_true) / self.wpm_true

    def to_json(self) -> dict[str, Any]:
        return {
            "script": self.script,
            "voice": self.voice,
            "split": self.split,
            "fillers": self.fillers_total.to_json(),
            "fillers_by_type": {kind: c.to_json() for kind, c in sorted(self.fillers.items())},
            "fillers_any_type": self.fillers_any_type.to_json(),
            "hesitations": self.hesitations.to_json(),
            "filler_count_error": self.filler_count_error,
            "pauses": self.pauses.to_json(),
            "wpm_true": round(self.wpm_true, 2),
            "wpm_detected": round(self.wpm_detected, 2),
            "wer": round(self.wer_edits / max(self.wer_reference, 1), 4),
            "duration_s": round(self.duration_s, 3),
            "seconds": None if self.seconds is None else round(self.seconds, 3),
        }


def score_answer(
    truth: Truth,
    result: Mapping[str, Any],
    split: str = "dev",
    seconds: float | None = None,
    min_confidence: float = COUNTED,
) -> AnswerScore:
    """Compare one result (issue 2's JSON object) with the truth of the answer it analysed."""
    detected = [
        Event(_type(item["type"]), float(item["start"]), float(item["end"]))
        for item in _field(result, "fillers", "events")
        if float(item.get("confidence", 1.0)) >= min_confidence
    ]
    true = [Event(s.type, s.start, s.end) for s in truth.fillers]
    typed = match_events(true, detected, by_type=True)
    kinds = {event.type for event in true} | {event.type for event in detected}
    per_type = {kind: _counts(true, detected, typed, kind) for kind in sorted(kinds)}
    untyped = match_events(true, detected, by_type=False)
    sounds = [event for event in true if event.type in HESITATIONS]
    heard = [event for event in detected if event.type in HESITATIONS]
    hesitations = len(match_events(sounds, heard, by_type=False))
    reference = wer_words(truth.spoken)
    hypothesis = wer_words(words_of(str(_field(result, "transcript"))))
    return AnswerScore(
        script=truth.script,
        voice=truth.voice,
        split=split,
        fillers=per_type,
        fillers_any_type=Counts(
            len(untyped), len(detected) - len(untyped), len(true) - len(untyped)
        ),
        hesitations=Counts(hesitations, len(heard) - hesitations, len(sounds) - hesitations),
        filler_count_error=len(detected) - len(true),
        pauses=_score_pauses(truth.pauses, _field(result, "pauses", "events")),
        wpm_true=truth.wpm,
        wpm_detected=float(_field(result, "pace", "wpm")),
        wer_edits=edit_distance(reference, hypothesis),
        wer_reference=len(reference),
        duration_s=truth.duration_s,
        seconds=seconds,
    )


def _type(name: object) -> str:
    text = str(name).strip().lower()
    return canonical_type(text) or text


def _field(result: Mapping[str, Any], *path: str) -> Any:
    value: Any = result
    for name in path:
        if not isinstance(value, Mapping) or name not in value:
            raise ResultError(f"analysis result has no {'.'.join(path)!r}")
        value = value[name]
    return value


def _distance(a: Event, b: Event) -> float:
    """0 when the two overlap, else the gap between them in seconds."""
    return max(0.0, max(a.start, b.start) - min(a.end, b.end))


def match_events(true: Sequence[Event], detected: Sequence[Event], by_type: bool) -> dict[int, int]:
    """Events at most ``TOLERANCE_S`` apart (of the same type when ``by_type``), matched
    one-to-one and greedily, closest pairs first: detected index → true index."""
    pairs = sorted(
        (_distance(t, d), -_overlap(t, d), ti, di)
        for ti, t in enumerate(true)
        for di, d in enumerate(detected)
        if (not by_type or t.type == d.type) and _distance(t, d) <= TOLERANCE_S
    )
    return _greedy(pairs)


def _greedy(pairs: Iterable[tuple[Any, ...]]) -> dict[int, int]:
    """One-to-one matching over sorted ``(…, true index, detected index)`` tuples, best first:
    detected index → true index."""
    matched: dict[int, int] = {}
    used: set[int] = set()
    for *_key, ti, di in pairs:
        if di not in matched and ti not in used:
            matched[di] = ti
            used.add(ti)
    return matched


def _overlap(a: Event, b: Event) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def _counts(
    true: Sequence[Event], detected: Sequence[Event], matched: Mapping[int, int], kind: str
) -> Counts:
    tp = sum(1 for di in matched if detected[di].type == kind)
    return Counts(
        tp,
        sum(1 for d in detected if d.type == kind) - tp,
        sum(1 for t in true if t.type == kind) - tp,
    )


def _score_pauses(inserted: Sequence[Segment], events: Iterable[Mapping[str, Any]]) -> Counts:
    long_true = [Event("pause", s.start, s.end) for s in inserted if _long(s.start, s.end)]
    short_true = [Event("pause", s.start, s.end) for s in inserted if not _long(s.start, s.end)]
    long_detected = [
        Event("pause", float(e["start"]), float(e["end"]))
        for e in events
        if _long(float(e["start"]), float(e["end"]))
    ]
    matched = _greedy(
        sorted(
            (-_overlap(t, d), ti, di)
            for ti, t in enumerate(long_true)
            for di, d in enumerate(long_detected)
            if _overlap(t, d) > 0
        )
    )
    false = sum(
        1
        for di, d in enumerate(long_detected)
        if di not in matched and not any(_overlap(s, d) > 0 for s in short_true)
    )
    return Counts(len(matched), false, len(long_true) - len(matched))


def _long(start: float, end: float) -> bool:
    return end - start >= LONG_PAUSE_S - 1e-9


def wer_words(words: Iterable[str]) -> list[str]:
    """Words as WER compares them (see the module's notes): hesitation sounds dropped, hyphens
    split, "ok" read as "okay", the numbers 0-20 written out."""
    normal = []
    for word in words:
        for part in word.split("-"):
            if not part or _HESITATION.fullmatch(part):
                continue
            if part.isdigit() and int(part) < len(_NUMBERS):
                normal.append(_NUMBERS[int(part)])
            else:
                normal.append("okay" if part == "ok" else part)
    return normal


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Substitutions + deletions + insertions that turn ``reference`` into ``hypothesis``."""
    return sum(edit_counts(reference, hypothesis))


def edit_counts(reference: Sequence[str], hypothesis: Sequence[str]) -> tuple[int, int, int]:
    """(substitutions, deletions, insertions) of a least-cost alignment of ``hypothesis`` to
    ``reference``; of equally cheap alignments, the one with the fewest deletions (reference
    words missing from the hypothesis)."""
    # Each cell: (edits, deletions, substitutions); insertions = edits - deletions - subs.
    previous = [(j, 0, 0) for j in range(len(hypothesis) + 1)]
    for i, ref in enumerate(reference, 1):
        current = [(i, i, 0)]
        for j, hyp in enumerate(hypothesis, 1):
            edits, dels, subs = previous[j - 1]
            diagonal = (edits, dels, subs) if ref == hyp else (edits + 1, dels, subs + 1)
            edits, dels, subs = previous[j]
            deletion = (edits + 1, dels + 1, subs)
            edits, dels, subs = current[j - 1]
            insertion = (edits + 1, dels, subs)
            current.append(min(diagonal, deletion, insertion, key=lambda cell: cell[:2]))
        previous = current
    edits, dels, subs = previous[-1]
    return subs, dels, edits - dels - subs


@dataclass(frozen=True, slots=True)
class Summary:
    """Scores of many answers, added up."""

    answers: int
    fillers: Counts
    fillers_any_type: Counts
    hesitations: Counts
    by_type: Mapping[str, Counts]
    by_voice: Mapping[str, Counts]
    count_error_mean_abs: float
    pauses: Counts
    wpm_error_median: float
    wpm_error_max: float
    wer: float
    seconds_median: float | None
    seconds_max: float | None
    seconds_per_minute: float | None
    """Analysis time per minute of audio (all timed answers together)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "fillers": self.fillers.to_json(),
            "fillers_any_type": self.fillers_any_type.to_json(),
            "hesitations": self.hesitations.to_json(),
            "by_type": {kind: c.to_json() for kind, c in self.by_type.items()},
            "by_voice": {voice: c.to_json() for voice, c in self.by_voice.items()},
            "count_error_mean_abs": round(self.count_error_mean_abs, 3),
            "pauses": self.pauses.to_json(),
            "wpm_error_median": round(self.wpm_error_median, 4),
            "wpm_error_max": round(self.wpm_error_max, 4),
            "wer": round(self.wer, 4),
            "seconds_median": _rounded(self.seconds_median),
            "seconds_max": _rounded(self.seconds_max),
            "seconds_per_minute": _rounded(self.seconds_per_minute),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def summarize(scores: Sequence[AnswerScore]) -> Summary:
    """Add up answer scores: counts are summed (micro averages), WPM errors take median and max,
    WER is total edits over total reference words."""
    if not scores:
        raise ResultError("nothing to summarise: no scored answers")
    by_type: dict[str, Counts] = {}
    by_voice: dict[str, Counts] = {}
    for score in scores:
        for kind, counts in score.fillers.items():
            by_type[kind] = by_type.get(kind, Counts()) + counts
        by_voice[score.voice] = by_voice.get(score.voice, Counts()) + score.fillers_total
    wpm_errors = [score.wpm_error for score in scores]
    timed = [score for score in scores if score.seconds is not None]
    times = [score.seconds for score in timed if score.seconds is not None]
    return Summary(
        answers=len(scores),
        fillers=sum((score.fillers_total for score in scores), Counts()),
        fillers_any_type=sum((score.fillers_any_type for score in scores), Counts()),
        hesitations=sum((score.hesitations for score in scores), Counts()),
        by_type=dict(sorted(by_type.items(), key=lambda item: -(item[1].tp + item[1].fn))),
        by_voice=by_voice,
        count_error_mean_abs=statistics.fmean(abs(s.filler_count_error) for s in scores),
        pauses=sum((score.pauses for score in scores), Counts()),
        wpm_error_median=statistics.median(wpm_errors),
        wpm_error_max=max(wpm_errors),
        wer=sum(s.wer_edits for s in scores) / max(sum(s.wer_reference for s in scores), 1),
        seconds_median=statistics.median(times) if times else None,
        seconds_max=max(times) if times else None,
        seconds_per_minute=sum(times) / sum(s.duration_s for s in timed) * 60 if times else None,
    )
