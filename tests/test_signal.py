"""The answer's signal measured block by block equals one pass over the whole of it (issue 14).

On real speech (../shared/data/real, skipped when absent), fed in blocks of odd sizes: the
levels, the VAD's probabilities and the frame features equal whole-array references (faster-
whisper's own VAD call on the whole levelled recording, every frame's features at once), and the
formants and pitch measured per block equal those measured on the whole within float tolerance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from practice.analysis import frames as frames_module
from practice.analysis.audio import Samples, load_audio
from practice.analysis.coaching import voice
from practice.analysis.frames import WINDOW_REACH, VowelQuality, frame_rows
from practice.analysis.pauses import envelope_db, levelled
from practice.analysis.signal import FeatureStream, detect_activity, measure
from tests.conftest import SHARED_DATA

REAL = SHARED_DATA / "real"


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """Two real talks and a stretch of one again: 69 s, over several blocks of every kind."""
    paths = [REAL / "talkbank" / "test.mp3", REAL / "monologue" / "acoustic_corpus.wav"]
    for path in paths:
        if not path.is_file():
            pytest.skip(f"the real speech sample {path} is absent")
    first, second = (load_audio(path) for path in paths)
    return np.concatenate([first, second, first[: 14 * 16000 + 123]])


def _fed(samples: np.ndarray, block: int) -> FeatureStream:
    stream = FeatureStream()
    for start in range(0, len(samples), block):
        stream.feed(samples[start : start + block])
        assert stream.levels.size == (start + len(samples[start : start + block])) // 160
    return stream


def test_samples_keep_16_bit_audio_exactly_and_read_any_stretch() -> None:
    rng = np.random.default_rng(0)
    values = (rng.integers(-32768, 32768, size=1_000_000) / 32768).astype(np.float32)
    held = Samples()
    start = 0
    while start < values.size:
        size = int(rng.integers(1, 200_000))
        held.append(values[start : start + size])
        start += size
    assert len(held) == values.size
    assert np.array_equal(held.read(), values)
    for first, stop in [(-5, 10), (262_140, 262_150), (999_990, 1_000_010), (300_000, 900_000)]:
        expected = np.zeros(stop - first, np.float32)
        inside = slice(max(0, first), min(stop, values.size))
        expected[inside.start - first : inside.stop - first] = values[inside]
        assert np.array_equal(held.read(first, stop), expected)


def test_float_samples_are_rounded_to_16_bits_and_clipped() -> None:
    held = Samples.of(np.array([0.1, -2.0, 2.0, 1.0 / 65536 * 0.9], np.float32))
    assert held.read().tolist() == [3277 / 32768, -1.0, 32767 / 32768, 0.0]


@pytest.mark.parametrize("block", [800, 1123, 160_000])
def test_measured_in_blocks_equals_the_whole_answer_at_once(speech: np.ndarray, block: int) -> None:
    signal = _fed(speech, block).finish()
    levels = envelope_db(speech)
    assert np.array_equal(signal.levels, levels)

    from faster_whisper.vad import get_vad_model

    heard = levelled(speech, levels)
    whole_vad = get_vad_model()(np.pad(heard, (0, -len(heard) % 512)))
    assert signal.probabilities.shape == whole_vad.shape
    assert np.allclose(signal.probabilities, whole_vad, atol=1e-5)

    count = len(speech) // 160
    padded = np.concatenate([np.zeros(WINDOW_REACH, np.float32), speech, np.zeros(512, np.float32)])
    level, voicing, cepstra, nasal, hiss = frame_rows(padded, count)
    frames = signal.frames
    assert len(frames) == count
    for mine, whole in [
        (frames.level_db, level),
        (frames.voicing, voicing),
        (frames.cepstra, cepstra),
        (frames.nasal_db, nasal),
        (frames.hiss, hiss),
    ]:
        assert np.allclose(mine, whole, rtol=1e-5, atol=1e-4)
    assert frames.loud_db == pytest.approx(float(np.percentile(level, 98)), abs=1e-4)
    assert detect_activity(signal) == detect_activity(speech)


def test_a_long_recordings_features_live_in_a_file_and_read_the_same(
    speech: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _fed(speech, 1123).finish().frames
    monkeypatch.setattr(frames_module, "SPILL_FRAMES", 500)  # as if the answer were 10 minutes
    spilled = _fed(speech, 1123).finish().frames
    assert len(spilled) >= 500
    for name in ("level_db", "voicing", "cepstra", "nasal_db", "hiss"):
        mine, theirs = getattr(spilled, name), getattr(kept, name)
        assert isinstance(mine, np.memmap) and not isinstance(theirs, np.memmap), name
        assert mine.shape == theirs.shape and np.array_equal(mine, theirs), name
    assert spilled.loud_db == kept.loud_db
    assert np.array_equal(spilled.steadiness, kept.steadiness)


def test_vowel_formants_in_blocks_equal_those_of_the_whole_answer(
    speech: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    signal = measure(speech)
    everywhere = np.ones(len(signal.frames), dtype=bool)
    stretches = [
        (150, 190),
        (995, 1010),
        (2400, 2440),
        (len(signal.frames) - 30, len(signal.frames)),
    ]
    blockwise = VowelQuality(signal.samples, signal.frames, everywhere)
    measured = [blockwise.of(start, end) for start, end in stretches]
    monkeypatch.setattr(frames_module, "FRAME_BLOCK", 10**9)  # one block: the whole answer
    whole = VowelQuality(signal.samples, signal.frames, everywhere)
    for mine, (start, end) in zip(measured, stretches, strict=True):
        assert mine.keys() == {"openness", "frontness"}
        assert mine == pytest.approx(whole.of(start, end), abs=1e-5)


def test_pitch_tracked_in_blocks_is_that_of_the_whole_answer(
    speech: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    signal = measure(speech)
    monkeypatch.setattr(voice, "PITCH_BLOCK_S", 20.0)
    assert len(voice.pitch_blocks(signal.levels, len(speech))) == 4
    blockwise = voice.measure_pitch(signal)
    monkeypatch.setattr(voice, "PITCH_BLOCK_S", 1000.0)
    whole = voice.measure_pitch(signal)
    assert blockwise.range_semitones is not None and whole.range_semitones is not None
    assert blockwise.range_semitones == pytest.approx(whole.range_semitones, abs=0.1)
    assert blockwise.median_hz == pytest.approx(whole.median_hz, rel=0.005)
    assert blockwise.voiced_s == pytest.approx(whole.voiced_s, rel=0.01)


def test_a_recording_shorter_than_a_frame_has_no_measures(tmp_path: Path) -> None:
    signal = measure(np.full(100, 0.1, np.float32))
    assert signal.levels.size == 0 and signal.probabilities.size == 0 and len(signal.frames) == 0
    assert not detect_activity(signal).has_speech
