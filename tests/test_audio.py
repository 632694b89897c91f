"""Decoding files to 16 kHz mono float32, and clear errors for everything else."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import soundfile

from practice.analysis.audio import SAMPLE_RATE, AudioError, load_audio, resample


def tone(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


@pytest.mark.parametrize("fmt", ["WAV", "FLAC", "OGG", "MP3"])
def test_decodes_common_formats_to_16k_mono(tmp_path: Path, fmt: str) -> None:
    stereo = np.stack([tone(440, 2.0, 44_100), tone(440, 2.0, 44_100)], axis=1)
    path = tmp_path / f"answer.{fmt.lower()}"
    soundfile.write(path, stereo, 44_100, format=fmt)
    samples = load_audio(path)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert abs(len(samples) / SAMPLE_RATE - 2.0) < 0.1
    assert rms(samples[1000:-1000]) == pytest.approx(0.5 / np.sqrt(2), rel=0.1)


def test_decodes_what_only_ffmpeg_reads(tmp_path: Path) -> None:
    path = tmp_path / "answer.m4a"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=44_100)
        frame = av.AudioFrame.from_ndarray(
            tone(440, 1.0, 44_100).reshape(1, -1), format="fltp", layout="mono"
        )
        frame.sample_rate = 44_100
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    samples = load_audio(path)
    assert abs(len(samples) / SAMPLE_RATE - 1.0) < 0.1
    assert rms(samples[2000:-2000]) == pytest.approx(0.5 / np.sqrt(2), rel=0.15)


def test_resampling_is_band_limited() -> None:
    """A real resampler keeps a 7 kHz tone and removes a 10 kHz one (linear interpolation would
    fold it to 6 kHz)."""
    kept = resample(tone(7_000, 1.0, 44_100), 44_100)
    removed = resample(tone(10_000, 1.0, 44_100), 44_100)
    assert rms(kept[800:-800]) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)
    assert rms(removed[800:-800]) < 0.01


def test_reads_a_file_cut_short_mid_data(tmp_path: Path) -> None:
    whole = tmp_path / "whole.wav"
    soundfile.write(whole, tone(300, 3.0, SAMPLE_RATE), SAMPLE_RATE, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[: 44 + SAMPLE_RATE * 2])  # header + one second
    assert len(load_audio(cut)) == pytest.approx(SAMPLE_RATE, abs=10)


def _write_bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.wav"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("Tell me about yourself.\n" * 20)
    elif kind == "zero-seconds":
        soundfile.write(path, np.zeros(0, dtype=np.float32), SAMPLE_RATE)
    elif kind == "header-cut":
        soundfile.write(path, tone(300, 1.0, SAMPLE_RATE), SAMPLE_RATE)
        path.write_bytes(path.read_bytes()[:30])
    elif kind == "folder":
        path.mkdir()
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("empty", "the file is empty"),
        ("text", "not an audio file this program can read"),
        ("zero-seconds", "contains no audio (0 seconds)"),
        ("header-cut", "not an audio file this program can read"),
        ("folder", "is a folder, not an audio file"),
        ("missing", "no such file"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path: Path, kind: str, message: str) -> None:
    path = _write_bad(tmp_path, kind)
    with pytest.raises(AudioError) as caught:
        load_audio(path)
    text = str(caught.value)
    assert text == f"{path}: {message}"
    assert "\n" not in text


def test_truncated_compressed_file_is_reported(tmp_path: Path) -> None:
    whole = tmp_path / "whole.flac"
    rng = np.random.default_rng(3)
    soundfile.write(whole, rng.uniform(-0.5, 0.5, SAMPLE_RATE * 4), SAMPLE_RATE)
    cut = tmp_path / "cut.flac"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    try:
        samples = load_audio(cut)
    except AudioError as error:
        assert str(error).startswith(f"{cut}: ")
        assert "truncated" in str(error) or "not an audio file" in str(error)
    else:  # a decoder that recovers must return no more than what is there
        assert len(samples) < SAMPLE_RATE * 4


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions are not enforced for root (CI), so the refusal is simulated."""
    path = tmp_path / "secret.wav"
    soundfile.write(path, tone(300, 1.0, SAMPLE_RATE), SAMPLE_RATE)
    real_open = os.open

    def refuse(name: object, *args: Any, **kwargs: Any) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(AudioError) as caught:
        load_audio(path)
    assert str(caught.value) == f"{path}: cannot read it (Permission denied)"


def test_real_recording(jfk: Path) -> None:
    samples = load_audio(jfk)
    assert len(samples) / SAMPLE_RATE == pytest.approx(11.0, abs=0.05)
    assert 0.3 < float(np.max(np.abs(samples))) <= 1.0
