"""How much of a window the faster-whisper engine encodes (``EncoderSpan``): the whole 30 s
window by default, or only a piece's audio and a margin, the rest of the encoder output filled
in with the padding's own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.engines.faster import (
    SHORT_SPAN,
    WHOLE_WINDOW,
    EncoderSpan,
    FasterWhisperTranscriber,
)
from practice.analysis.transcript import DecodeOptions
from practice.analysis.verdict import VERDICT_DECODING

JFK_WORDS = (
    "and so my fellow americans ask not what your country can do for you "
    "ask what you can do for your country"
)
SHORT = SHORT_SPAN


def test_the_span_is_the_audio_and_its_margin_rounded_up_never_past_the_window() -> None:
    assert EncoderSpan(pad_seconds=1.0).frames(500) == 600
    assert EncoderSpan(pad_seconds=1.0).frames(501) == 602  # an even number of frames
    assert EncoderSpan(pad_seconds=0.0, step_seconds=10.0).frames(500) == 1000
    assert EncoderSpan(pad_seconds=1.0, step_seconds=10.0).frames(1000) == 2000
    assert EncoderSpan(pad_seconds=2.0).frames(2900) == 3000
    assert WHOLE_WINDOW.frames(200) == 3000
    assert EncoderSpan(pad_seconds=1.0).frames(0) == 100  # an empty window: its margin


def _encoded_frames(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The frames of every encoder pass from now on (faster-whisper's ``encode``)."""
    from faster_whisper import WhisperModel

    frames: list[int] = []
    encode = WhisperModel.encode

    def counted(self: WhisperModel, features: np.ndarray) -> object:
        frames.append(features.shape[-1])
        return encode(self, features)

    monkeypatch.setattr(WhisperModel, "encode", counted)
    return frames


def _text(engine: FasterWhisperTranscriber, samples: np.ndarray) -> str:
    words = engine.transcribe(samples, options=DecodeOptions()).words
    return " ".join("".join(c for c in w.text.lower() if c.isalpha()) for w in words)


def test_pieces_are_encoded_whole_and_the_verdicts_stretches_short(
    jfk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = _encoded_frames(monkeypatch)
    engine = FasterWhisperTranscriber()
    engine.load()
    assert engine.span == WHOLE_WINDOW
    assert frames == [3000]  # the padding's own encoder output, for the short calls
    cut = load_audio(jfk)[: 5 * SAMPLE_RATE]
    assert _text(engine, cut).startswith("and so my fellow americans")
    assert frames[1:] == [3000]  # a piece: the whole window
    assert VERDICT_DECODING.short_window
    words = engine.transcribe(cut[: 2 * SAMPLE_RATE], options=VERDICT_DECODING).words
    assert frames[2:] == [SHORT_SPAN.frames(201)] == [1000]  # 2 s: encoded in 10 s
    text = " ".join(w.text.lower().strip(",.") for w in words)
    assert text.startswith("and so")
    assert all(0 <= w.start <= w.end <= 2.1 for w in words)


def test_a_short_span_encodes_the_audio_and_keeps_words_and_times(
    jfk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = _encoded_frames(monkeypatch)
    samples = load_audio(jfk)  # 11.0 s: 1101 frames (faster-whisper pads 160 samples)
    engine = FasterWhisperTranscriber(span=SHORT)
    engine.load()
    assert frames == [3000]  # the padding's own encoder output, once, while loading
    assert _text(engine, samples) == JFK_WORDS
    assert frames[1:] == [2000]  # the audio, in 20 s
    assert _text(engine, samples[: 5 * SAMPLE_RATE]).startswith("and so my fellow americans")
    assert frames[2:] == [1000]
    whole = FasterWhisperTranscriber(span=WHOLE_WINDOW)
    theirs = whole.transcribe(samples).words
    ours = engine.transcribe(samples).words
    assert frames[3:] == [3000, 3000]  # its padding while loading, its pass; ours was kept
    assert [w.text.strip(",.").lower() for w in ours] == [
        w.text.strip(",.").lower() for w in theirs
    ]
    shift = np.array([[w.start, w.end] for w in ours]) - [[w.start, w.end] for w in theirs]
    assert np.median(np.abs(shift)) <= 0.02  # Whisper's 20 ms steps
    assert np.max(np.abs(shift)) <= 0.3
