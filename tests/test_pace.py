"""Pace as README.md defines it."""

from __future__ import annotations

import pytest

from practice.analysis.pace import measure_pace, syllables
from practice.analysis.pauses import Pause
from practice.analysis.transcript import Word
from tests.words import spoken


def test_wpm_counts_non_filler_words_over_first_to_last_word() -> None:
    words = spoken(" ".join(["word"] * 60), seconds_per_word=0.5)  # 60 words in 30 s
    pace = measure_pace(words, fillers=[])
    assert pace.wpm == pytest.approx(120.0)
    without_ten = measure_pace(words, fillers=range(20, 30))
    assert without_ten.words == 50
    assert without_ten.wpm == pytest.approx(100.0)


def test_fillers_before_the_first_word_and_after_the_last_are_not_in_the_span() -> None:
    words = spoken(" ".join(["word"] * 60), seconds_per_word=0.5)  # 60 words in 30 s
    pace = measure_pace(words, fillers=[0, 1, 59])  # "Um, so … word, so."
    assert pace.words == 57
    assert pace.span_s == pytest.approx(28.5)
    assert pace.wpm == pytest.approx(57 / (28.5 / 60))


def test_span_is_trimmed_to_the_speech_on_the_signal() -> None:
    # Whisper stretched the first word back to 0.0; the signal says speech starts at 2 s.
    words = [Word("Hello", 0.0, 2.4), *spoken("there " * 39, start=2.4, seconds_per_word=0.4)]
    pace = measure_pace(words, [], speech=(2.0, words[-1].end))
    assert pace.span_s == pytest.approx(words[-1].end - 2.0)
    assert pace.wpm == pytest.approx(40 / (pace.span_s / 60))


def test_articulation_rate_excludes_pauses() -> None:
    words = spoken("communication " * 40, seconds_per_word=0.5)  # 5 syllables each, 20 s
    pace = measure_pace(words, [], pauses=[Pause(5.0, 7.0), Pause(10.0, 12.0)])
    assert pace.speaking_s == pytest.approx(16.0)
    assert pace.articulation_sps == pytest.approx(40 * 5 / 16.0)


def test_windows_show_speeding_up() -> None:
    slow = spoken("a " * 30, seconds_per_word=0.5)  # 0-15 s: 120 wpm
    fast = spoken("b " * 45, start=15.0, seconds_per_word=1 / 3)  # 15-30 s: 180 wpm
    pace = measure_pace(slow + fast, [])
    assert [round(window.wpm) for window in pace.windows] == [120, 180]


def test_a_short_tail_joins_the_last_window() -> None:
    tail = measure_pace(spoken("a " * 36, seconds_per_word=0.5), [])  # 18 s: a 3 s tail
    assert [(w.start, w.end) for w in tail.windows] == [(0.0, 18.0)]
    split = measure_pace(spoken("a " * 44, seconds_per_word=0.5), [])  # 22 s: a 7 s window
    assert [(w.start, w.end) for w in split.windows] == [(0.0, 15.0), (15.0, 22.0)]


def test_short_answers_are_not_judged() -> None:
    assert not measure_pace(spoken("a " * 39, seconds_per_word=0.6), []).judged
    assert not measure_pace(spoken("a " * 60, seconds_per_word=0.3), []).judged  # 18 s
    assert measure_pace(spoken("a " * 60, seconds_per_word=0.4), []).judged


def test_no_words() -> None:
    pace = measure_pace([], [])
    assert (pace.wpm, pace.articulation_sps, pace.windows) == (0.0, 0.0, ())


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("I", 1),
        ("the", 1),
        ("made", 1),
        ("cable", 2),
        ("wanted", 2),
        ("interview", 3),
        ("communication", 5),
        ("Okay,", 2),
        ("2024", 2),
        ("—", 0),
    ],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count
