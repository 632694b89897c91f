"""Coaching on what was said and how it sounded: rules and signal measures a person can check.

:func:`coach` reads an answer's timed words (and, when given, its samples) and returns a
:class:`Coaching`: STAR structure for ``star`` answers, the question asked for ``asking`` ones,
and for every answer the specifics (a quantified result, "I" against "we", repeated phrases),
hedges, talking points, pitch variety and trailing off, plus one headline. No language model, no
network: each rule is in the docstring of its module. :func:`coach_typed` coaches a typed answer
(words only, no voice).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from practice.analysis.coaching.asking import check_question
from practice.analysis.coaching.hedges import find_hedges
from practice.analysis.coaching.specifics import i_we, measured_change, quantities, repeats
from practice.analysis.coaching.structure import Part, find_structure
from practice.analysis.coaching.summary import Brief, Coaching, ScoredPart, with_headline
from practice.analysis.coaching.talking_points import check_points
from practice.analysis.coaching.tokens import Token, sentences, tokens
from practice.analysis.coaching.voice import Pitch, measure_pitch, trailing_off
from practice.analysis.transcript import Word
from practice.banks import KINDS, Kind

if TYPE_CHECKING:  # numpy loads with the first answer coached, not before the studio's first frame
    import numpy as np

    from practice.analysis.signal import Signal


def coach(
    words: Sequence[Word],
    samples: np.ndarray | Signal | None = None,
    brief: Brief | None = None,
    *,
    earlier_pitch: Sequence[float] = (),
    delivery: Sequence[ScoredPart] = (),
    pitch: Pitch | None = None,
) -> Coaching:
    """Coach one answer. ``samples`` (16 kHz mono) enable the voice checks; ``earlier_pitch`` are
    the pitch ranges of the speaker's earlier answers; ``delivery`` the parts of the score;
    ``pitch``, when given, is ``measure_pitch(samples, earlier_pitch)`` measured already."""
    brief = brief or Brief()
    said = sentences(words)
    every = tokens(words)
    structure = find_structure(said) if brief.kind == "star" else None
    if structure is not None and "result" not in structure.missing:
        result = _within(every, [p for p in structure.parts if p.part == "result"])
        quantified = bool(quantities(result)) or measured_change(every)
    elif structure is not None:
        quantified = False
    else:
        quantified = bool(quantities(every[len(every) * 2 // 3 :])) or measured_change(every)
    # "I" against "we" is counted after the scene (task, actions and result): where the actions
    # end and the result begins moves with a sentence break, the count after the scene does not.
    # An answer that never says "I" and tells its actions with "we" is we-heavy however short.
    told = structure is not None and "action" not in structure.missing
    after_scene = (
        _within(every, [p for p in structure.parts if p.part != "situation"])
        if structure is not None and told
        else every
    )
    actions = (
        _within(every, [p for p in structure.parts if p.part == "action"])
        if structure is not None and told
        else ()
    )
    measured, pitch = pitch, Pitch(None, None, 0.0, None)
    trailing = None
    if samples is not None and len(words):
        pitch = measured or measure_pitch(samples, earlier_pitch)
        trailing = trailing_off(samples, said)
    coaching = Coaching(
        kind=brief.kind,
        words=len(words),
        structure=structure,
        result_quantified=quantified,
        i_we=i_we(after_scene, actions, every),
        hedges=find_hedges(said),
        repeats=repeats(every),
        question=check_question(said) if brief.kind == "asking" else None,
        points=check_points(brief.talking_points, every, brief.synonyms),
        pitch=pitch,
        trailing=trailing,
    )
    return with_headline(coaching, delivery)


TYPED_WORD_S = 0.4
"""A typed answer's words are timed as if said at 150 words a minute."""


def coach_typed(text: str, brief: Brief | None = None) -> Coaching:
    """Coach a typed answer: everything that needs only words (structure, specifics, hedges, the
    question asked, talking points), each word timed as if said at 150 words a minute, so shares
    and the lead-in read as for speech; no voice checks (pitch none)."""
    words = [
        Word(text_, round(at * TYPED_WORD_S, 3), round((at + 1) * TYPED_WORD_S, 3))
        for at, text_ in enumerate(text.split())
    ]
    return coach(words, None, brief)


def prepare() -> None:
    """Load the lemma dictionary and the pitch tracker now (a few tenths of a second on first
    use), so that the first answer's feedback is not slower than the rest."""
    from practice.analysis.coaching.tokens import lemma
    from practice.analysis.coaching.voice import praat

    praat()
    lemma("prepared")


def _within(every: Sequence[Token], spans: Sequence[Part]) -> tuple[Token, ...]:
    """The tokens said inside the spans."""
    ranges = [span.words for span in spans]
    return tuple(t for t in every if any(first <= t.word <= last for first, last in ranges))


__all__ = ["KINDS", "Brief", "Coaching", "Kind", "coach", "coach_typed", "prepare"]
