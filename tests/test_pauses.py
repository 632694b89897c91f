"""Pauses measured on the signal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from practice.analysis.audio import load_audio
from practice.analysis.pauses import envelope_db, levelled
from practice.analysis.signal import detect_activity
from tests.signals import RATE, answer, speechlike


def test_finds_each_inserted_silence_and_nothing_else() -> None:
    parts: list[float | tuple[str, float]] = [0.8, ("s", 2.0), 0.3, ("s", 1.5), 1.2]
    parts += [("s", 2.5), 0.6, ("s", 1.0), 2.5, ("s", 1.8), 1.5]
    samples, silences = answer(parts)
    activity = detect_activity(samples)
    inside = silences[1:-1]  # the leading and trailing silences are not pauses
    assert len(activity.pauses) == len(inside)
    for pause, (start, end) in zip(activity.pauses, inside, strict=True):
        assert pause.start == pytest.approx(start, abs=0.03)
        assert pause.end == pytest.approx(end, abs=0.03)
    assert activity.speech_start == pytest.approx(0.8, abs=0.03)
    assert activity.speech_end == pytest.approx(
        sum(p if isinstance(p, float) else p[1] for p in parts[:-1]), abs=0.03
    )


def test_continuous_speech_has_no_pauses() -> None:
    samples, _ = answer([0.5, ("s", 8.0), 0.5])
    activity = detect_activity(samples)
    assert activity.pauses == ()
    assert activity.speech_seconds == pytest.approx(8.0, abs=0.05)


def test_silences_shorter_than_the_minimum_are_not_pauses() -> None:
    samples, _ = answer([("s", 1.0), 0.15, ("s", 1.0), 0.2, ("s", 1.0)])
    assert detect_activity(samples).pauses == ()


@pytest.mark.parametrize("noise_db", [-90.0, -60.0, -35.0])
def test_pauses_hold_over_a_noise_floor(noise_db: float) -> None:
    samples, silences = answer([("s", 2.0), 1.0, ("s", 2.0), 0.5, ("s", 2.0)], noise_db=noise_db)
    pauses = detect_activity(samples).pauses
    assert [(round(p.start, 1), round(p.end, 1)) for p in pauses] == [
        (round(a, 1), round(b, 1)) for a, b in silences
    ]


def test_a_click_does_not_split_a_pause() -> None:
    samples, _ = answer([("s", 2.0), 2.0, ("s", 2.0)])
    click = round(3.0 * RATE)
    samples[click : click + 160] = 0.8  # 10 ms
    pauses = detect_activity(samples).pauses
    assert len(pauses) == 1
    assert pauses[0].duration == pytest.approx(2.0, abs=0.03)


@pytest.mark.parametrize("level", [0.0, 1e-4])
def test_silence_and_faint_noise_have_no_speech(level: float) -> None:
    rng = np.random.default_rng(0)
    samples = (level * rng.standard_normal(RATE * 20)).astype(np.float32)
    activity = detect_activity(samples)
    assert not activity.has_speech
    assert activity.pauses == ()


def test_quiet_speaker_is_still_speech() -> None:
    rng = np.random.default_rng(2)
    quiet = np.concatenate([speechlike(2.0, rng, 0.01), np.zeros(RATE), speechlike(2.0, rng, 0.01)])
    activity = detect_activity(quiet)
    assert len(activity.pauses) == 1
    assert activity.pauses[0].duration == pytest.approx(1.0, abs=0.03)


def test_speech_heard_by_the_vad_below_the_quietest_level_is_speech(jfk: Path) -> None:
    """A real voice whose loudest frames stay under -55 dBFS (whispering, a speaker far from the
    microphone, a low input gain) is speech when the VAD hears it: its words are asked for."""
    speech = load_audio(jfk)
    loudest = float(np.percentile(envelope_db(speech), 98))
    quiet = (speech * 10 ** ((-60 - loudest) / 20)).astype(np.float32)  # loud frames at -60
    loud, soft = detect_activity(speech), detect_activity(quiet)
    assert soft.has_speech
    assert soft.speech_start == pytest.approx(loud.speech_start, abs=0.1)
    assert soft.speech_end == pytest.approx(loud.speech_end, abs=0.3)
    assert soft.speech_seconds > 0.8 * loud.speech_seconds


def test_empty_signal() -> None:
    activity = detect_activity(np.zeros(0, dtype=np.float32))
    assert not activity.has_speech


def test_the_vad_listens_at_a_speaking_level() -> None:
    rng = np.random.default_rng(4)
    loud, quiet = speechlike(3.0, rng, 0.3), speechlike(3.0, rng, 0.3 * 10 ** (-25 / 20))
    samples = np.concatenate([loud, quiet]).astype(np.float32)
    heard = levelled(samples, envelope_db(samples))
    peaks = [float(np.max(np.abs(part))) for part in (heard[RATE : 2 * RATE], heard[4 * RATE :])]
    # Both stretches are brought within a few dB of each other (they were 25 dB apart).
    assert abs(20 * np.log10(peaks[0] / peaks[1])) < 3
    # A room's faint noise is raised by at most 30 dB: it stays far below speech.
    noise = (1e-4 * rng.standard_normal(RATE * 3)).astype(np.float32)
    assert np.max(np.abs(levelled(noise, envelope_db(noise)))) < 0.05
