"""Pitch variety on real speech (../shared/data/real; skipped when absent): the range is in the
span documented in the README, and the same voice with its pitch flattened is flagged flat."""

from __future__ import annotations

import numpy as np
import pytest

from practice.analysis.audio import load_audio
from practice.analysis.coaching.voice import measure_pitch
from tests.conftest import SHARED_DATA
from tests.signals import reshaped_pitch

REAL = SHARED_DATA / "real"
TALKS = ["monologue/acoustic_corpus.wav", "talkbank/test.mp3"]


def _real(name: str) -> np.ndarray:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"the real speech sample {path} is absent")
    return load_audio(path)


@pytest.mark.parametrize("name", TALKS)
def test_real_talk_has_a_plausible_lively_range(name: str) -> None:
    pitch = measure_pitch(_real(name))
    assert pitch.range_semitones is not None and pitch.median_hz is not None
    assert 6 <= pitch.range_semitones <= 16
    assert 70 <= pitch.median_hz <= 300
    assert pitch.flat is False


@pytest.mark.parametrize("name", TALKS)
def test_a_real_voice_flattened_is_flat(name: str) -> None:
    samples = _real(name)
    lively = measure_pitch(samples)
    assert lively.range_semitones is not None
    flat = measure_pitch(reshaped_pitch(samples, 0.0))
    assert flat.range_semitones is not None and flat.range_semitones < 2
    assert flat.flat is True
    # Resynthesis itself does not flatten: the voice put back with its own movements is lively.
    again = measure_pitch(reshaped_pitch(samples, 1.0))
    assert again.range_semitones is not None and again.flat is False
    assert again.range_semitones > 0.75 * lively.range_semitones


@pytest.mark.parametrize("name", TALKS)
def test_a_voice_much_flatter_than_its_usual_is_flat_against_it(name: str) -> None:
    samples = _real(name)
    usual = measure_pitch(samples).range_semitones
    assert usual is not None
    quieter_samples = reshaped_pitch(samples, 5.5 / usual)  # about 5 semitones
    quieter = measure_pitch(quieter_samples)
    assert quieter.range_semitones is not None
    assert 4 <= quieter.range_semitones < 6  # above the guard used without earlier answers
    assert quieter.flat is False
    assert measure_pitch(quieter_samples, [usual, usual]).flat is True


def test_whispered_speech_has_no_pitch_figure() -> None:
    pitch = measure_pitch(_real("mfa-clips/whisper.flac"))
    assert pitch.range_semitones is None and pitch.flat is None
