"""How an answer is cut into pieces for the engine, and which of its words are kept."""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest

from practice.analysis.answer import analyze_samples
from practice.analysis.pauses import Activity, Pause
from practice.analysis.pieces import MAX_PIECE_SECONDS, speech_pieces
from practice.analysis.transcript import Transcript, Word
from tests.signals import answer


def _activity(speech: list[tuple[float, float]]) -> Activity:
    pauses = tuple(Pause(a[1], b[0]) for a, b in itertools.pairwise(speech))
    return Activity(tuple(speech), pauses, -40.0)


def test_a_short_answer_is_one_piece_with_its_margins() -> None:
    assert speech_pieces(_activity([(1.0, 5.0), (5.5, 9.0)]), 12.0) == [(0.5, 9.5)]
    assert speech_pieces(_activity([]), 12.0) == []


def test_a_long_answer_is_cut_in_its_longest_pauses_into_single_windows() -> None:
    # Speech 0.5-70 s with a short pause every 4 s and a long one at 20 s and at 45 s.
    speech, t = [], 0.5
    while t < 70:
        speech.append((t, t + 3.7))
        t += 4.0 if round(t + 4.0 - 0.5) not in (20, 44) else 4.9
    pieces = speech_pieces(_activity(speech), 75.0)
    assert all(end - start <= MAX_PIECE_SECONDS for start, end in pieces)
    assert pieces[0][0] == pytest.approx(0.0) and pieces[-1][1] == pytest.approx(
        speech[-1][1] + 0.5
    )
    for (_s, cut), (again, _e) in itertools.pairwise(pieces):
        assert cut == again  # one after the other, nothing left out
        assert any(p.start < cut < p.end for p in _activity(speech).pauses)  # in a pause


class _Engine:
    """Writes a sure word over the speech and two words in the silence after it."""

    name, model = "fake", "fake"

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(self, samples: np.ndarray, cancel: threading.Event | None = None) -> Transcript:
        return Transcript(
            (
                Word("Quietly", 0.5, 2.0, 0.05),  # over speech: kept, however doubted
                Word("Thank", 2.9, 3.1, 0.02),  # mostly after the speech, doubted: made up
                Word("you.", 3.3, 3.5, 0.9),  # wholly in silence, away from speech: made up
            )
        )


def test_words_over_speech_are_kept_and_doubted_ones_after_it_dropped() -> None:
    samples, _ = answer([1.0, ("s", 2.0), 3.0])
    report = analyze_samples(samples, _Engine())
    assert [word.text for word in report.words] == ["Quietly"]
