"""The recorder's live outputs through the real audio stack: the blocks it hands on while the
answer is spoken, and the input overflows it counts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from practice.analysis.audio import Samples, load_audio
from practice.speech.recorder import Recorder, StopReason
from tests.pulse import PrivatePulse
from tests.signals import RATE, answer

pytestmark = pytest.mark.audio


def play_while_recording(
    pulse: PrivatePulse, tmp_path: Path, recorder: Recorder, **options: Any
) -> tuple[Any, list[np.ndarray]]:
    """Play a 3 s answer into the microphone while ``recorder`` records; stop once it is over."""
    samples, _silences = answer([0.3, ("s", 1.2), 0.4, ("s", 0.8), 0.3])
    played = tmp_path / "played.wav"
    soundfile.write(played, samples, RATE, subtype="PCM_16")
    blocks: list[np.ndarray] = []
    stop = threading.Event()
    started = threading.Event()

    def on_level(_level: float) -> None:
        started.set()

    def play() -> None:
        started.wait(10)
        pulse.play_into_mic(played).wait(timeout=20)
        threading.Timer(0.3, stop.set).start()

    player = threading.Thread(target=play)
    player.start()
    result = recorder.record(
        tmp_path / "recorded.wav",
        max_seconds=30,
        stop=stop,
        on_level=on_level,
        on_block=blocks.append,
        **options,
    )
    player.join()
    return result, blocks


@pytest.mark.parametrize("rate", [None, 48000, 44100])
def test_the_blocks_handed_on_are_the_saved_recording_decoded(
    pulse: PrivatePulse, tmp_path: Path, rate: int | None
) -> None:
    result, blocks = play_while_recording(pulse, tmp_path, Recorder(samplerate=rate))
    assert result.stop_reason is StopReason.REQUESTED
    assert result.samplerate == (rate or 16000)
    assert result.overflows == 0
    streamed = np.concatenate(blocks)
    decoded = load_audio(result.path)
    assert streamed.dtype == decoded.dtype == np.float32
    # As the analysis holds them (16-bit, practice.analysis.audio.Samples), the blocks are the
    # saved file decoded: a live answer and its file are analysed on the same samples.
    assert np.array_equal(Samples.of(streamed).read(), decoded)
    assert np.abs(streamed - decoded).max() <= 1 / 32768
    assert np.abs(streamed).max() > 0.05  # the answer was heard, not only silence
    assert len(blocks) > 20  # handed on as it came, not at the end


def overflow_on(monkeypatch: pytest.MonkeyPatch, calls: set[int]) -> None:
    """Make the real input stream's status say "input overflow" on these callback calls."""
    import sounddevice

    real_stream = sounddevice.InputStream

    def overflowing_stream(*, callback: Any, **options: Any) -> Any:
        count = 0

        def with_overflows(indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
            nonlocal count
            count += 1
            if count in calls:
                status = sounddevice.CallbackFlags()
                status.input_overflow = True
            callback(indata, frames, time, status)

        return real_stream(callback=with_overflows, **options)

    monkeypatch.setattr(sounddevice, "InputStream", overflowing_stream)


def test_input_overflows_are_counted(
    pulse: PrivatePulse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PortAudio reports an overflow in the callback's status; every one is counted."""
    overflow_on(monkeypatch, {3, 7, 8})
    result, blocks = play_while_recording(pulse, tmp_path, Recorder())
    assert result.overflows == 3
    assert np.array_equal(np.concatenate(blocks), load_audio(result.path))


def test_practice_record_says_when_sound_was_lost(
    pulse: PrivatePulse,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from practice.cli import main

    overflow_on(monkeypatch, {2, 5})
    out = isolated_home / "lost.wav"
    assert main(["record", str(out), "--seconds", "1", "--quiet"]) == 0
    assert "some sound was lost 2 times (input overflow)" in capsys.readouterr().err
    assert soundfile.info(str(out)).duration == 1.0
