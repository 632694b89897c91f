"""How the engines' segments become words (practice.analysis.transcript.collect_words)."""

from __future__ import annotations

from types import SimpleNamespace

from practice.analysis.transcript import Word, collect_words


def _segment(*words: tuple[str, float, float, float], no_speech: float = 0.0) -> SimpleNamespace:
    return SimpleNamespace(
        no_speech_prob=no_speech,
        avg_logprob=-0.3,
        words=[SimpleNamespace(word=w, start=s, end=e, probability=p) for w, s, e, p in words],
    )


def test_a_word_written_without_a_space_continues_the_word_before() -> None:
    # faster-whisper's words for "a lot of non-profits lost" (the hyphen starts a token).
    segment = _segment(
        (" a", 0.0, 0.2, 0.9),
        (" lot", 0.2, 0.4, 0.9),
        (" of", 0.4, 0.5, 0.9),
        (" non", 0.5, 0.8, 0.8),
        ("-profits", 0.8, 1.3, 0.6),
        (" lost", 1.3, 1.6, 0.9),
    )
    words = list(collect_words([segment], None))
    assert [word.text for word in words] == ["a", "lot", "of", "non-profits", "lost"]
    assert words[3] == Word("non-profits", 0.5, 1.3, 0.6)


def test_each_segments_first_word_stands_alone_and_made_up_segments_are_skipped() -> None:
    first = _segment((" Maaan", 0.0, 1.0, 0.5), ("-tree", 1.0, 1.4, 0.4), ("-all", 1.4, 2.0, 0.3))
    second = _segment(("-so", 2.5, 2.8, 0.9), (" yes.", 2.8, 3.0, 0.9))
    silence = _segment((" Thank", 4.0, 4.2, 0.2), (" you.", 4.2, 4.4, 0.2), no_speech=0.9)
    silence.avg_logprob = -1.5
    words = list(collect_words([first, second, silence], None))
    assert [word.text for word in words] == ["Maaan-tree-all", "-so", "yes."]
    assert (words[0].start, words[0].end, words[0].probability) == (0.0, 2.0, 0.3)
