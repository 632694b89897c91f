"""When the recorder thinks speech has started and how long it has been silent."""

from __future__ import annotations

import numpy as np

from practice.speech.recorder import SILENT_DBFS, SpeechDetector, dbfs

BLOCK = 0.05


def _feed(detector: SpeechDetector, level: float, seconds: float) -> None:
    for _ in range(round(seconds / BLOCK)):
        detector.feed(level)


def test_dbfs_of_full_scale_sine_and_silence() -> None:
    t = np.arange(16000) / 16000
    assert abs(dbfs(np.sin(2 * np.pi * 440 * t)) - (-3.01)) < 0.05
    assert dbfs(np.zeros(800)) == SILENT_DBFS
    assert dbfs(np.zeros(0)) == SILENT_DBFS


def test_speech_starts_after_a_short_run_above_the_noise_floor() -> None:
    detector = SpeechDetector(BLOCK)
    _feed(detector, -70.0, 2.0)  # a quiet room
    assert detector.speech_started_at is None
    detector.feed(-30.0)  # a click is not speech
    _feed(detector, -70.0, 0.5)
    assert detector.speech_started_at is None
    _feed(detector, -28.0, 1.0)
    assert detector.speech_started_at is not None
    assert abs(detector.speech_started_at - 2.55) < 1e-6
    assert detector.silent_for() == 0.0
    _feed(detector, -70.0, 3.0)
    assert abs(detector.silent_for() - 3.0) < 1e-6


def test_a_noisy_room_raises_the_threshold() -> None:
    detector = SpeechDetector(BLOCK)
    _feed(detector, -45.0, 3.0)  # fan noise, louder than a quiet room's speech threshold
    assert detector.speech_started_at is None
    assert detector.threshold_dbfs > -45.0
    _feed(detector, -22.0, 0.5)
    assert detector.speech_started_at is not None


def test_silence_is_not_counted_before_speech() -> None:
    detector = SpeechDetector(BLOCK)
    _feed(detector, SILENT_DBFS, 10.0)
    assert detector.silent_for() == 0.0
