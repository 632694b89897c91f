"""Repeated starts the transcript left out: "I, I applied" written as "I applied"."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from benchmarks.accuracy import synthesize
from benchmarks.accuracy.truth import Segment, Truth
from practice.analysis.audio import load_audio
from practice.analysis.events import AUDIO, REPETITION, TRANSCRIPT, FillerEvent
from practice.analysis.hesitations import find_hesitations
from practice.analysis.pauses import speaking_frames, true_runs
from practice.analysis.restarts import find_restarts
from practice.analysis.signal import detect_activity
from practice.analysis.transcript import Transcriber, Word

_RESTART = "The first thing was hard, {and|repeat} and the second was harder."
_OTHER_WORD = "The first thing was hard, {honestly|actually} and the second was harder."
_HELD = "The first thing was hard, {uh} and the second was harder."


def _timed(segment: Segment) -> list[Word]:
    """The segment's words, its time shared out by their letters (as an engine times them)."""
    texts = segment.text.split()
    weights = np.array([len(text) + 1 for text in texts], dtype=float)
    edges = segment.start + np.concatenate(([0.0], np.cumsum(weights))) / weights.sum() * (
        segment.end - segment.start
    )
    return [
        Word(text, float(a), float(b))
        for text, (a, b) in zip(texts, itertools.pairwise(edges), strict=True)
    ]


def _render(
    markup: str, tmp_path: Path, voice: str = "espeak-us"
) -> tuple[np.ndarray, Truth, float | None]:
    truth = synthesize(markup, voice, tmp_path / "answer.wav")
    samples = load_audio(tmp_path / "answer.wav")
    return samples, truth, detect_activity(samples).threshold_db


def _words(truth: Truth, *, copy: bool = False) -> list[Word]:
    """The words as an engine writes them: the filler left out unless ``copy``."""
    return [
        word
        for segment in truth.segments
        if segment.kind == "words" or (copy and segment.kind == "filler")
        for word in _timed(segment)
    ]


def test_a_dropped_first_copy_is_heard(tmp_path: Path) -> None:
    samples, truth, threshold = _render(_RESTART, tmp_path)
    [copy] = truth.fillers
    [event] = find_restarts(samples, _words(truth), (), threshold)
    assert event.type == REPETITION and event.source == AUDIO and event.counted
    assert event.start == pytest.approx(copy.start, abs=0.05)
    assert event.end == pytest.approx(copy.end, abs=0.05)
    assert event.words == ()


def _heard_despite(tmp_path: Path, retime: Callable[[list[Word], Segment], None]) -> None:
    """The restart is still found after ``retime`` moves some of the words' edges (as Whisper's
    are often a few tens of ms off) around its first copy."""
    samples, truth, threshold = _render(_RESTART, tmp_path)
    [copy] = truth.fillers
    words = _words(truth)
    retime(words, copy)
    [event] = find_restarts(samples, words, (), threshold)
    assert event.counted and event.start == pytest.approx(copy.start, abs=0.05)


def _said_again(words: list[Word], copy: Segment) -> int:
    return next(index for index, word in enumerate(words) if word.start > copy.end)


def test_a_word_said_again_timed_a_little_early_leaves_the_copy_unexplained(
    tmp_path: Path,
) -> None:
    def early(words: list[Word], copy: Segment) -> None:
        said = _said_again(words, copy)
        start = copy.end - 0.2 * (copy.end - copy.start)
        words[said] = Word(words[said].text, start, words[said].end)

    _heard_despite(tmp_path, early)


def test_a_copy_the_word_before_reaches_into_is_still_heard(tmp_path: Path) -> None:
    def into(words: list[Word], copy: Segment) -> None:
        before = max(index for index, word in enumerate(words) if word.end <= copy.start)
        end = copy.start + 0.6 * (copy.end - copy.start)
        words[before] = Word(words[before].text, words[before].start, end)

    _heard_despite(tmp_path, into)


def test_a_word_stretched_over_both_copies_is_heard(tmp_path: Path) -> None:
    def stretched(words: list[Word], copy: Segment) -> None:
        said = _said_again(words, copy)
        words[said] = Word(words[said].text, copy.start, words[said].end)

    _heard_despite(tmp_path, stretched)


def test_a_released_stop_belongs_to_its_copy(tmp_path: Path) -> None:
    # espeak-ng releases the t of "but" after a silent closure: the copy is two islands.
    samples, truth, threshold = _render(
        "That was fine, {but|repeat} but not what I wanted.", tmp_path
    )
    [copy] = truth.fillers
    islands = true_runs(speaking_frames(samples, threshold))
    assert sum(copy.start <= start * 0.01 < copy.end for start, _end in islands) == 2
    [event] = find_restarts(samples, _words(truth), (), threshold)
    assert event.counted
    assert event.start == pytest.approx(copy.start, abs=0.05)
    assert event.end == pytest.approx(copy.end, abs=0.05)


def test_a_copy_said_alone_is_heard_despite_its_drawn_out_end(tmp_path: Path) -> None:
    # "I" said alone glides all the way and fades; run into "applied" it does not.
    markup = "There was another opening. {I|repeat} I applied for a data job in May."
    samples, truth, threshold = _render(markup, tmp_path, "espeak-gb")
    [copy] = truth.fillers
    [event] = find_restarts(samples, _words(truth), (), threshold)
    assert event.counted and event.start == pytest.approx(copy.start, abs=0.05)


def test_copies_the_transcript_has_are_the_lexical_channels(tmp_path: Path) -> None:
    samples, truth, threshold = _render(_RESTART, tmp_path)
    assert find_restarts(samples, _words(truth, copy=True), (), threshold) == []
    [copy] = truth.fillers
    written = FillerEvent(REPETITION, copy.start + 0.2, copy.end + 0.3, TRANSCRIPT, 0.9, (7,))
    assert find_restarts(samples, _words(truth), [written], threshold) == []


def test_a_different_word_left_out_is_no_repetition(tmp_path: Path) -> None:
    samples, truth, threshold = _render(_OTHER_WORD, tmp_path)
    assert [e for e in find_restarts(samples, _words(truth), (), threshold) if e.counted] == []


def test_a_held_uh_before_the_word_is_a_hesitation_not_a_repetition(tmp_path: Path) -> None:
    samples, truth, threshold = _render(_HELD, tmp_path)
    words = _words(truth)
    heard = find_hesitations(samples, words, (), threshold)
    assert [event.type for event in heard] == ["uh"]
    assert find_restarts(samples, words, heard, threshold) == []


def test_fluent_speech_has_no_restarts(tmp_path: Path) -> None:
    markup = (
        "I led the migration last spring, and it went well. Then we moved the rest of it, "
        "and I applied what we learned to the next project. It took about three months."
    )
    samples, truth, threshold = _render(markup, tmp_path)
    assert find_restarts(samples, _words(truth), (), threshold) == []


def test_silence_and_no_words_give_nothing() -> None:
    silence = np.zeros(16_000, dtype=np.float32)
    assert find_restarts(silence, [], (), None) == []
    assert find_restarts(np.zeros(0, dtype=np.float32), [], ()) == []


_FLUENT = (
    "The first thing was hard, and the second was harder, not because of the work, but "
    "because of the people."
)


# Piper's joe saying "Not not because" is no longer a case here: prompted for verbatim text,
# Whisper writes its first "Not" as "Nah," and neither channel takes "Nah, not" for a restart
# (README: what is still missed).
@pytest.mark.parametrize(("voice", "markup"), [("espeak-us", _RESTART)])
def test_whisper_dropped_restarts_are_counted(
    voice: str, markup: str, tmp_path: Path, transcriber: Transcriber
) -> None:
    from practice.analysis.answer import analyze_file

    truth = synthesize(markup, voice, tmp_path / "restarts.wav")
    report = analyze_file(tmp_path / "restarts.wav", transcriber)
    [true] = truth.fillers
    [found] = [event for event in report.counted_fillers if event.type == REPETITION]
    assert found.start < true.end + 0.3 and true.start < found.end + 0.3

    synthesize(_FLUENT, voice, tmp_path / "fluent.wav")
    report = analyze_file(tmp_path / "fluent.wav", transcriber)
    assert [event for event in report.fillers if event.type == REPETITION] == []


def _laughed(tmp_path: Path) -> tuple[np.ndarray, Truth, float | None]:
    """An answer with a laugh between two sentences ("ha ha ha": sounds alike, one after the
    other), said by espeak-ng as running speech."""
    from benchmarks.accuracy.people import VARIANT_VOICES, render_people

    samples, truth = render_people(
        "I make a list. (laugh) That sounds too simple, but it works.",
        VARIANT_VOICES["espeak-us-inline"],
    )
    return samples, truth, detect_activity(samples).threshold_db


def test_a_laugh_written_as_laughter_is_no_restart(tmp_path: Path) -> None:
    samples, truth, threshold = _laughed(tmp_path)
    [laugh] = [segment for segment in truth.segments if segment.kind == "sound"]
    # as Whisper times them: the first "Ha" late and of no length, the others over the rest
    third = (laugh.end - laugh.start) / 3
    ha = [
        Word("Ha", laugh.start + third, laugh.start + third),
        Word("ha", laugh.start + third, laugh.start + 2 * third),
        Word("ha.", laugh.start + 2 * third, laugh.end),
    ]
    words = sorted([*_words(truth), *ha], key=lambda word: word.start)
    assert find_restarts(samples, words, (), threshold) == []


def test_sounds_alike_that_no_word_explains_are_no_restart(tmp_path: Path) -> None:
    # Whisper wrote nothing for the laugh and stretched the next word a little into it.
    samples, truth, threshold = _laughed(tmp_path)
    [laugh] = [segment for segment in truth.segments if segment.kind == "sound"]
    words = _words(truth)
    after = next(index for index, word in enumerate(words) if word.start >= laugh.end)
    words[after] = Word(words[after].text, laugh.end - 0.03, words[after].end)
    assert find_restarts(samples, words, (), threshold) == []


def test_laughter_is_told_from_words() -> None:
    from practice.analysis.events import is_laughter

    assert all(map(is_laughter, ["Ha", "ha,", "Haha.", "ha-ha", "heh", "hehe", "(laughs)"]))
    assert not any(map(is_laughter, ["he", "hat", "have", "hey", "half", "laughs"]))
