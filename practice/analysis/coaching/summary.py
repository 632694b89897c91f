"""All the coaching of one answer, and its headline: the single most useful change.

The headline is the first of these that applies, in this order (what was said before how it
sounded, because the content is what an interviewer remembers; within each group, what is missing
before what is weak):

1. fewer than 8 words: say more;
2. asking turns: no question at the end; several questions stacked; a long preamble; a closed
   question;
3. STAR answers: a missing Result, Action or Situation; a part far over its budget; a result with
   no number; "we" said more than "I";
4. a delivery part of the score under half its points (the lowest first);
5. two or more hedges; a flat voice; trailing off; a missing Task; no talking point covered; a
   phrase said three or more times;
6. otherwise, what went well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from practice.analysis.coaching.asking import QuestionCheck
from practice.analysis.coaching.hedges import Hedge
from practice.analysis.coaching.specifics import IWe, Repeat
from practice.analysis.coaching.structure import BUDGET, Structure
from practice.analysis.coaching.talking_points import PointCheck
from practice.analysis.coaching.voice import Pitch, TrailingOff
from practice.banks import KINDS, Kind

SHORTEST_WORDS = 8
HEDGES_TO_MENTION = 2
REPEATS_TO_MENTION = 3


@dataclass(frozen=True, slots=True)
class Brief:
    """What the answer was an answer to: its kind and talking points (empty without a question)."""

    kind: Kind | None = None
    talking_points: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    """Per talking point, the other words a bank gave for it."""


@dataclass(frozen=True, slots=True)
class Coaching:
    kind: Kind | None
    words: int
    structure: Structure | None
    """STAR parts; only for ``star`` answers."""
    result_quantified: bool
    """A quantity in the Result (in the last third of the answer when there is no structure), or
    a measured change ("from ten pages to two") anywhere; never without a Result."""
    i_we: IWe
    """In the Action when there is one, else in the whole answer."""
    hedges: tuple[Hedge, ...]
    repeats: tuple[Repeat, ...]
    question: QuestionCheck | None
    """Only for ``asking`` answers."""
    points: tuple[PointCheck, ...]
    pitch: Pitch
    trailing: TrailingOff | None
    headline: str = ""
    headline_rule: str = ""
    """Which rule chose the headline (``missing-result``, ``hedges``, …)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "words": self.words,
            "headline": self.headline,
            "headline_rule": self.headline_rule,
            "structure": None if self.structure is None else self.structure.to_json(),
            "result_quantified": self.result_quantified,
            "i_we": self.i_we.to_json(),
            "hedges": {
                "total": len(self.hedges),
                "events": [hedge.to_json() for hedge in self.hedges],
            },
            "repeats": [repeat.to_json() for repeat in self.repeats],
            "question": None if self.question is None else self.question.to_json(),
            "talking_points": [point.to_json() for point in self.points],
            "pitch": self.pitch.to_json(),
            "trailing_off": None if self.trailing is None else self.trailing.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Coaching:
        kind = data.get("kind")
        structure = data.get("structure")
        question = data.get("question")
        trailing = data.get("trailing_off")
        return cls(
            kind=kind if kind in KINDS else None,
            words=int(data.get("words", 0)),
            structure=None if structure is None else Structure.from_json(structure),
            result_quantified=bool(data["result_quantified"]),
            i_we=IWe.from_json(data["i_we"]),
            hedges=tuple(Hedge.from_json(h) for h in data["hedges"]["events"]),
            repeats=tuple(Repeat.from_json(r) for r in data.get("repeats", ())),
            question=None if question is None else QuestionCheck.from_json(question),
            points=tuple(PointCheck.from_json(p) for p in data.get("talking_points", ())),
            pitch=Pitch.from_json(data["pitch"]),
            trailing=None if trailing is None else TrailingOff.from_json(trailing),
            headline=str(data.get("headline", "")),
            headline_rule=str(data.get("headline_rule", "")),
        )


class ScoredPart(Protocol):
    """A part of the delivery score (``feedback.ScorePart``)."""

    @property
    def name(self) -> str: ...
    @property
    def points(self) -> float: ...
    @property
    def max_points(self) -> float: ...
    @property
    def note(self) -> str: ...


def choose_headline(coaching: Coaching, delivery: Sequence[ScoredPart] = ()) -> tuple[str, str]:
    """The headline and the name of the rule that chose it (see the module docstring)."""
    for rule, text in _candidates(coaching, delivery):
        if text:
            return text, rule
    return "", ""


def _candidates(c: Coaching, delivery: Sequence[ScoredPart]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if c.words < SHORTEST_WORDS:
        out.append(("too-short", "Say more: a few words are too few to coach."))
    q = c.question
    if q is not None:
        if not q.asked:
            out.append(
                (
                    "no-question",
                    "End your turn on one clear question; this one ended without one."
                    if q.count == 0
                    else "Stop once you have asked: words after the question bury it.",
                )
            )
        if q.stacked:
            out.append(("stacked", f"Ask one question at a time: you asked {q.count} in one go."))
        if q.long_preamble and q.preamble_s is not None:
            out.append(
                (
                    "long-preamble",
                    f"Get to the question sooner: the lead-in took {q.preamble_s:.0f} s.",
                )
            )
        if q.kind == "closed":
            out.append(
                (
                    "closed",
                    "Open the question: 'What…' or 'How…' gets a story, 'Do you…' a yes or no.",
                )
            )
    s = c.structure
    if s is not None:
        for part, text in (
            ("result", "Finish with the result: what changed because of what you did."),
            ("action", "Say what you did: the answer has no actions of your own."),
            ("situation", "Set the scene in a sentence before the actions."),
        ):
            if part in s.missing:
                out.append((f"missing-{part}", text))
        for part in s.too_long:
            share, budget = s.shares[part], BUDGET[part]
            out.append(
                (
                    f"long-{part}",
                    f"Cut the {part}: it took {share:.0%} of the answer (aim for about "
                    f"{budget:.0%}).",
                )
            )
        if "result" not in s.missing and not c.result_quantified:
            out.append(
                (
                    "unquantified",
                    "Put a number on the result: time saved, a percentage, money, people.",
                )
            )
        if c.i_we.we_heavy:
            out.append(
                (
                    "we-heavy",
                    f"Say 'I' for your part: 'we' {c.i_we.we} times, 'I' {c.i_we.i} after the "
                    "scene.",
                )
            )
    weak = [p for p in delivery if p.max_points and p.points < p.max_points / 2]
    for scored in sorted(weak, key=lambda p: p.points / p.max_points):
        note = scored.note[:1].upper() + scored.note[1:] + "."
        out.append((f"delivery-{scored.name}", note))
    if len(c.hedges) >= HEDGES_TO_MENTION:
        said = ", ".join(dict.fromkeys(f"'{h.said}'" for h in c.hedges))
        out.append(("hedges", f"Drop the hedges ({said}): say what you did plainly."))
    if c.pitch.flat and c.pitch.range_semitones is not None:
        out.append(
            (
                "flat",
                f"Vary your pitch: it stayed within {c.pitch.range_semitones:.1f} semitones.",
            )
        )
    if c.trailing is not None and c.trailing.trails_off:
        out.append(
            (
                "trailing-off",
                f"Keep your voice up to the end of sentences: {len(c.trailing.fades)} of "
                f"{c.trailing.sentences} faded.",
            )
        )
    if s is not None and "task" in s.missing:
        out.append(("missing-task", "Say what your goal or your job was, before the actions."))
    if c.points and not any(p.mentioned for p in c.points):
        out.append(("no-points", f"Cover the talking points: none of {len(c.points)} came up."))
    for repeat in c.repeats:
        if repeat.count >= REPEATS_TO_MENTION:
            out.append(("repeat", f"Vary your words: '{repeat.text}' came {repeat.count} times."))
            break
    out.append(("good", "Nothing big to change: keep this answer as it is."))
    return out


def with_headline(coaching: Coaching, delivery: Sequence[ScoredPart] = ()) -> Coaching:
    text, rule = choose_headline(coaching, delivery)
    return replace(coaching, headline=text, headline_rule=rule)
