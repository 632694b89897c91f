"""The moments of an answer worth hearing again: each filler and each long pause, in time order."""

from __future__ import annotations

from dataclasses import dataclass

from practice.analysis.scoring import AnswerReport

MARGIN_S = 1.0
"""A moment is played from this long before it to this long after it."""


@dataclass(frozen=True, slots=True)
class Moment:
    label: str
    """What happened: a filler's type ("um"), with "?" when only likely, or "pause 1.3 s"."""
    start: float
    end: float

    @property
    def span(self) -> tuple[float, float]:
        """What to play: from ``MARGIN_S`` before the moment to ``MARGIN_S`` after it."""
        return max(0.0, self.start - MARGIN_S), self.end + MARGIN_S


def moments(report: AnswerReport) -> tuple[Moment, ...]:
    found = [Moment(event.type, event.start, event.end) for event in report.counted_fillers]
    found += [Moment(f"{event.type}?", event.start, event.end) for event in report.likely_fillers]
    found += [
        Moment(f"pause {pause.duration:.1f} s", pause.start, pause.end)
        for pause in report.long_pauses
    ]
    return tuple(sorted(found, key=lambda moment: (moment.start, moment.end)))
