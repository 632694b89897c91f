"""Synthesis to WAV: the cache, trimmed silence, voices, clear errors (no sound device needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from practice.speech.voice import Voice, VoiceError, list_voices


def test_synthesis_is_cached_by_voice_rate_and_text(tmp_path: Path) -> None:
    voice = Voice(tmp_path)
    first = voice.synthesize("Why do you want this job?")
    modified = first.stat().st_mtime_ns
    assert voice.synthesize("Why  do you want\nthis job?") == first  # same words, same file
    assert first.stat().st_mtime_ns == modified
    assert Voice(tmp_path, rate=140).synthesize("Why do you want this job?") != first
    assert voice.synthesize("Why do you want that job?") != first
    slow = soundfile.info(str(Voice(tmp_path, rate=120).synthesize("Why do you want this job?")))
    assert slow.duration > soundfile.info(str(first)).duration * 1.2


def test_silence_around_the_words_is_trimmed(tmp_path: Path) -> None:
    samples, rate = soundfile.read(str(Voice(tmp_path).synthesize("Hello.")))
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    assert loud[0] / rate <= 0.06
    assert (len(samples) - loud[-1]) / rate <= 0.06


def test_the_natural_voice_is_a_different_engine(tmp_path: Path) -> None:
    natural = Voice(tmp_path, natural=True)
    assert natural.engine == "piper"
    path = natural.synthesize("Tell me about yourself.")
    assert path != Voice(tmp_path).synthesize("Tell me about yourself.")
    assert soundfile.info(str(path)).samplerate == 22050


def test_voices_can_be_listed_and_chosen(tmp_path: Path) -> None:
    voices = dict(list_voices())
    assert "gmw/en-us" in voices
    assert Voice(tmp_path, voice="en-us").synthesize("Hello.").is_file()
    with pytest.raises(VoiceError, match="unknown voice 'no-such-voice'"):
        Voice(tmp_path, voice="no-such-voice").synthesize("Hello.")


def test_empty_text_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="nothing to say"):
        Voice(tmp_path).synthesize("  \n ")
