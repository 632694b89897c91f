"""The words taken from Whisper's segments (``practice.analysis.transcript.collect_words``)."""

from __future__ import annotations

from types import SimpleNamespace

from practice.analysis.transcript import collect_words


def _segment(*words: tuple[str, float]) -> SimpleNamespace:
    return SimpleNamespace(
        no_speech_prob=0.05,
        avg_logprob=-0.3,
        words=[
            SimpleNamespace(word=f" {text}", start=at, end=at + 0.3, probability=probability)
            for at, (text, probability) in enumerate(words)
        ],
    )


def test_a_rare_prompt_word_written_without_confidence_is_dropped() -> None:
    """Whisper copies the verbatim prompt's instruction into unclear speech ("I paired with
    Verbatim for two weeks", probability 0.01-0.09): such a word is not the speaker's."""
    words = collect_words(
        [_segment(("I", 0.9), ("paired", 0.8), ("with", 0.9), ("Verbatim", 0.05), ("twice.", 0.9))],
        None,
    )
    assert [w.text for w in words] == ["I", "paired", "with", "twice."]


def test_the_same_word_said_clearly_stays() -> None:
    words = collect_words([_segment(("Quote", 0.9), ("it", 0.9), ("verbatim.", 0.85))], None)
    assert [w.text for w in words] == ["Quote", "it", "verbatim."]


def test_everyday_words_of_the_prompt_stay_at_any_confidence() -> None:
    words = collect_words([_segment(("all", 0.05), ("the", 0.1), ("words", 0.1))], None)
    assert [w.text for w in words] == ["all", "the", "words"]
