"""The words of the prompted decoding checked against an unprompted decoding of the same audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from practice.analysis.audio import load_audio
from practice.analysis.engines.faster import FasterWhisperTranscriber
from practice.analysis.transcript import (
    DecodeOptions,
    Word,
    checked_words,
    digest,
    needs_check,
    unprompted,
)

JFK = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "jfk.flac"


def _words(*spec: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, start + 0.3, probability) for text, start, probability in spec]


def test_where_the_two_decodings_differ_on_words_the_unprompted_words_stand() -> None:
    prompted = _words(("Montreal?", 0.5, 0.8), ("Horst?", 1.5, 0.5), ("Horst,", 2.5, 0.9))
    prompted += _words(("a", 3.0, 0.8), ("liner.", 3.3, 0.9))
    plain = _words(("Montreal,", 0.5, 0.8), ("forced,", 1.4, 0.7), ("forced,", 2.4, 0.9))
    plain += _words(("a", 3.0, 0.6), ("liner.", 3.3, 0.8))
    checked = checked_words(prompted, plain)
    assert [w.text for w in checked] == ["Montreal?", "forced,", "forced,", "a", "liner."]
    # each unprompted word takes the time of the word its own time touches
    assert (checked[1].start, checked[1].end) == pytest.approx((1.5, 1.8))
    assert (checked[2].start, checked[2].end) == pytest.approx((2.5, 2.8))


def test_unprompted_words_timed_outside_the_words_they_replace_are_laid_over_them() -> None:
    prompted = _words(("Mon,", 0.0, 0.3), ("triol,", 2.4, 0.3), ("forced", 5.2, 0.8))
    plain = _words(("Montréal,", 5.0, 0.5), ("forced", 5.3, 0.8))  # over the silence
    checked = checked_words(prompted, plain)
    assert [w.text for w in checked] == ["Montréal,", "forced"]
    assert (checked[0].start, checked[0].end) == pytest.approx((0.0, 2.7))


def test_hesitations_and_repeats_only_the_prompted_decoding_wrote_are_kept() -> None:
    prompted = _words(("I,", 0.0, 0.9), ("I", 0.4, 0.9), ("um,", 0.8, 0.6), ("went", 1.5, 0.9))
    plain = _words(("I", 0.2, 0.9), ("uh", 0.8, 0.5), ("went", 1.5, 0.9))
    assert [w.text for w in checked_words(prompted, plain)] == ["I,", "I", "um,", "went"]


def test_words_only_the_unprompted_decoding_wrote_are_not_added() -> None:
    prompted = _words(("so", 0.0, 0.9), ("here", 1.0, 0.9))
    plain = _words(("so", 0.0, 0.9), ("here", 1.0, 0.9), ("Thank", 2.0, 0.3), ("you.", 2.3, 0.3))
    assert [w.text for w in checked_words(prompted, plain)] == ["so", "here"]


def test_only_unsure_decodings_are_checked_hesitation_sounds_left_out() -> None:
    sure = _words(("This", 0.0, 0.95), ("is", 0.3, 0.9), ("um,", 0.6, 0.1), ("fine", 1.0, 0.9))
    unsure = _words(("Montreal", 0.0, 0.9), ("Horst", 0.5, 0.5), ("liner", 1.0, 0.6))
    assert not needs_check(sure)
    assert needs_check(unsure)
    assert not needs_check(_words(("um", 0.0, 0.2)))


@pytest.mark.skipif(not JFK.is_file(), reason="../shared/data/jfk.flac is absent")
def test_a_window_decoded_again_without_the_prompt_reuses_its_encoder_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from faster_whisper import WhisperModel

    samples = load_audio(JFK)
    passes: list[int] = []
    encode = WhisperModel.encode

    def counted(self: WhisperModel, features: np.ndarray) -> object:
        passes.append(features.shape[-1])
        return encode(self, features)

    monkeypatch.setattr(WhisperModel, "encode", counted)
    engine = FasterWhisperTranscriber()
    engine.load()
    assert passes == [3000]  # the padding's own, for short calls (DecodeOptions.short_window)
    passes.clear()
    options = DecodeOptions()
    engine._words(samples, digest(samples), options, None)
    assert len(passes) == 1
    plain, sure = engine._words(samples, digest(samples), unprompted(options), None)
    assert len(passes) == 1  # the same window: its encoder output was kept
    other = FasterWhisperTranscriber()
    other.load()
    alone, _sure = other._words(samples, digest(samples), unprompted(options), None)
    assert len(passes) == 3  # another engine encodes for itself (its padding, the window)
    assert [w.text for w in plain] == [w.text for w in alone]
    assert sure  # JFK's clear speech passes Whisper's own limits at the first temperature
    assert "fellow" in " ".join(w.text for w in plain).lower()
