"""Synthesis to WAV: the cache, trimmed silence, voices, clear errors (no sound device needed)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from practice.speech import voice as voice_module
from practice.speech.voice import UnknownVoiceError, Voice, VoiceError, list_voices


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


class EmptyFirst:
    """Stands in for ``subprocess.run`` in the voice module: the first ``empty`` runs of the
    synthesis subprocess write an empty file and exit 0 (what pyttsx3 does now and then on a busy
    machine); later ones really run."""

    def __init__(self, empty: int) -> None:
        self.empty = empty
        self.calls = 0
        self.real = subprocess.run

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls += 1
        if self.calls <= self.empty:
            Path(command[3]).write_bytes(b"")
            return subprocess.CompletedProcess(command, 0, "", "")
        return self.real(command, **kwargs)


def test_an_empty_file_from_pyttsx3_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = EmptyFirst(empty=1)
    monkeypatch.setattr(subprocess, "run", flaky)
    path = Voice(tmp_path).synthesize("Why do you want this job?")
    assert flaky.calls == 2
    assert soundfile.info(str(path)).duration > 1.0


def test_when_espeak_keeps_failing_the_natural_voice_speaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = EmptyFirst(empty=voice_module.ESPEAK_TRIES)
    monkeypatch.setattr(subprocess, "run", broken)
    path = Voice(tmp_path).synthesize("Why do you want this job?")
    assert broken.calls == voice_module.ESPEAK_TRIES
    assert soundfile.info(str(path)).samplerate == 22050  # Piper's


def test_when_no_voice_works_the_error_gives_the_true_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subprocess, "run", EmptyFirst(empty=99))
    monkeypatch.setattr(voice_module, "natural_voice_installed", lambda: False)
    with pytest.raises(VoiceError) as caught:
        Voice(tmp_path).synthesize("Hello.")
    message = str(caught.value)
    assert "wrote no audio 3 times in a row (espeak-ng is installed" in message
    assert "apt-get" not in message  # the library is there: do not send the user to install it


def test_an_unknown_voice_is_not_replaced_by_another(tmp_path: Path) -> None:
    with pytest.raises(UnknownVoiceError, match="unknown voice 'nobody'"):
        Voice(tmp_path, voice="nobody").synthesize("Hello.")
