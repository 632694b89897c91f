"""AnswerReports built from chosen words, through the real analysis functions, with no model."""

from __future__ import annotations

from practice.analysis.answer import build_report
from practice.analysis.events import FillerEvent
from practice.analysis.fillers import find_fillers
from practice.analysis.pauses import Pause
from practice.analysis.scoring import AnswerReport
from practice.analysis.transcript import Word

WORD_SECONDS = 0.4


def make_report(
    text: str,
    *,
    pause_after: int | None = None,
    pause_s: float = 1.5,
    likely: int | None = None,
    file: str | None = None,
) -> AnswerReport:
    """A report of ``text`` spoken at 150 WPM from 0.5 s, with one long pause after word
    ``pause_after`` and word ``likely`` marked as a likely (uncertain) filler."""
    words: list[Word] = []
    pauses: list[Pause] = []
    clock = 0.5
    for index, token in enumerate(text.split()):
        words.append(Word(token, round(clock, 3), round(clock + WORD_SECONDS - 0.05, 3)))
        clock += WORD_SECONDS
        if index == pause_after:
            pauses.append(Pause(round(clock - 0.05, 3), round(clock + pause_s, 3)))
            clock += pause_s
    fillers = find_fillers(words)
    if likely is not None:
        word = words[likely]
        fillers.append(FillerEvent("like", word.start, word.end, "transcript", 0.3, (likely,)))
    return build_report(
        words,
        pauses,
        (words[0].start, words[-1].end),
        duration_s=round(clock + 0.5, 3),
        engine=("fake", "fixed-words"),
        file=file,
        fillers=fillers,
    )
