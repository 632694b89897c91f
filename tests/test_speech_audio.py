"""End to end through the private PulseAudio virtual devices: speak, record, crash, stop, fail.

practice runs as a subprocess (``python -m practice``), exactly as a user runs it. What it says is
heard on the speaker's monitor; answers are played into the virtual microphone.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from benchmarks.accuracy.score import edit_distance
from practice.analysis.transcript import Transcriber
from practice.speech.wavfile import marker_for
from tests.pulse import PrivatePulse, SpeakerMonitor

pytestmark = pytest.mark.audio

ANSWER = (
    "In my last job I led a small team that rebuilt our billing system. "
    "We moved it to a new database in three months, and customer complaints fell by half."
)


def practice(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "practice", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env=env,
        check=False,
    )


def start_practice(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "practice", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def monitor(pulse: PrivatePulse) -> Iterator[SpeakerMonitor]:
    listening = SpeakerMonitor(pulse)
    listening.wait_until_listening()
    yield listening
    listening.stop()


def voiced_seconds(path: Path) -> float:
    samples, rate = soundfile.read(str(path), always_2d=True)
    loud = np.flatnonzero(np.abs(samples[:, 0]) > 300 / 32768)
    return float((loud[-1] - loud[0]) / rate)


def synthesize_answer(folder: Path, text: str = ANSWER) -> Path:
    """The answer spoken by Piper (a natural voice), as a WAV to play into the microphone."""
    from practice.speech.voice import Voice

    return Voice(folder, natural=True).synthesize(text)


def test_say_is_heard_and_returns_when_the_speech_has_ended(
    isolated_home: Path, monitor: SpeakerMonitor, tmp_path: Path
) -> None:
    from practice.speech.voice import Voice

    question = "Tell me about a time you disagreed with your manager."
    expected = voiced_seconds(Voice(tmp_path / "reference").synthesize(question))
    started = time.monotonic()
    done = practice("say", question)
    returned = time.monotonic()
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert monitor.loud, "nothing was heard on the speaker"
    first, last = monitor.loud[0], monitor.loud[-1]
    assert first > started
    assert abs((last - first) - expected) < 0.5
    assert returned >= last - 0.05  # it did not return while still speaking
    assert returned - last < 1.5


def wer(reference: str, hypothesis: str) -> float:
    ref = _words(reference)
    return edit_distance(ref, _words(hypothesis)) / len(ref)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def test_wer_helper() -> None:
    assert wer("a b c d", "a b c d") == 0
    assert wer("a b c d", "a x c") == 0.5


def meter_levels(stderr: str) -> list[float]:
    return [float(level) for level in re.findall(r"level\s+(-?[\d.]+) dBFS", stderr)]


def read_meter_until(process: subprocess.Popen[str], seconds: float) -> str:
    """The meter lines of ``practice record`` up to the one for ``seconds`` recorded."""
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if f"recording {seconds:5.1f} s" in line:
            return "".join(lines)
    raise AssertionError(f"the recording ended early: {''.join(lines)}")


def test_a_spoken_answer_is_recorded_and_transcribes(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path, transcriber: Transcriber
) -> None:
    answer = synthesize_answer(tmp_path)
    out = tmp_path / "answer.wav"
    recording = start_practice("record", str(out), "--seconds", str(voiced_seconds(answer) + 3))
    before = read_meter_until(recording, 1.0)
    player = pulse.play_into_mic(answer)
    _, stderr = recording.communicate(timeout=60)
    stderr = before + stderr
    player.wait(timeout=10)
    assert recording.returncode == 0, stderr
    samples, rate = soundfile.read(str(out), dtype="float32")
    assert rate == 16000
    transcript = transcriber.transcribe(samples)
    assert wer(ANSWER, transcript.text) <= 0.2, transcript.text
    levels = meter_levels(stderr)
    assert levels[0] < -60  # silence before the answer
    assert max(levels) > -35  # the meter moved while it was spoken


def test_kill_9_loses_at_most_about_a_second(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path
) -> None:
    answer = synthesize_answer(tmp_path)
    out = isolated_home / "recordings" / "session" / "1.wav"
    recording = start_practice("record", str(out), "--seconds", "60")
    player = pulse.play_into_mic(answer)
    read_meter_until(recording, 4.0)
    time.sleep(0.5)  # 4.5 s recorded
    recording.kill()
    recording.wait()
    player.wait(timeout=20)
    assert marker_for(out).exists()
    before_repair = soundfile.info(str(out)).duration  # readable straight away
    assert before_repair >= 4.5 - 1.0
    done = practice("where")  # any command repairs interrupted recordings
    assert f"repaired the interrupted recording {out}" in done.stderr
    assert not marker_for(out).exists()
    samples, _ = soundfile.read(str(out))
    assert len(samples) / 16000 >= before_repair
    assert np.abs(samples).max() > 0.05  # the answer is in it


def test_silence_stops_the_recording_once_the_answer_has_ended(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path
) -> None:
    answer = synthesize_answer(tmp_path, "I would start by listening to the customer.")
    out = tmp_path / "short.wav"
    recording = start_practice("record", str(out), "--seconds", "60", "--silence-stop", "1.5")
    read_meter_until(recording, 2.0)  # silence before speaking does not stop it
    started = time.monotonic()
    pulse.play_into_mic(answer).wait(timeout=20)
    stdout, stderr = recording.communicate(timeout=30)
    assert recording.returncode == 0, stderr
    assert "after 1.5 s of silence" in stdout
    assert time.monotonic() - started < voiced_seconds(answer) + 5
    duration = soundfile.info(str(out)).duration
    assert 2.0 + voiced_seconds(answer) + 1.0 < duration < 2.0 + voiced_seconds(answer) + 3.5


def test_a_recorder_that_hears_only_silence_runs_to_the_maximum(
    pulse: PrivatePulse, tmp_path: Path
) -> None:
    from practice.speech.recorder import Recorder, StopReason

    levels: list[float] = []
    result = Recorder().record(
        tmp_path / "quiet.wav", max_seconds=2.5, silence_stop_seconds=0.5, on_level=levels.append
    )
    assert result.stop_reason is StopReason.MAX_DURATION
    assert result.duration_s == 2.5
    assert result.speech_started_at is None
    assert result.peak_dbfs < -90
    assert len(levels) == 50


def test_recording_stops_when_asked_and_keeps_the_file(pulse: PrivatePulse, tmp_path: Path) -> None:
    from practice.speech.recorder import Recorder, StopReason

    stop = threading.Event()
    levels: list[float] = []

    def on_level(level: float) -> None:
        levels.append(level)
        if len(levels) == 20:  # 1 s recorded
            stop.set()

    result = Recorder().record(tmp_path / "asked.wav", max_seconds=30, stop=stop, on_level=on_level)
    assert result.stop_reason is StopReason.REQUESTED
    assert 1.0 <= result.duration_s < 1.5
    assert soundfile.info(str(result.path)).duration == result.duration_s


def test_sigterm_stops_practice_record_cleanly(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path
) -> None:
    out = tmp_path / "signal.wav"
    recording = start_practice("record", str(out))
    read_meter_until(recording, 1.0)
    recording.terminate()
    stdout, stderr = recording.communicate(timeout=10)
    assert recording.returncode == 0, stderr
    assert "stopped on request" in stdout
    assert not marker_for(out).exists()
    assert soundfile.info(str(out)).duration > 0.5


def test_losing_the_device_keeps_the_recording_and_says_so(tmp_path: Path) -> None:
    own = PrivatePulse(tmp_path / "pulse")
    own.start()
    out = tmp_path / "lost.wav"
    try:
        recording = subprocess.Popen(
            [sys.executable, "-m", "practice", "record", str(out), "--seconds", "60"],
            env={**os.environ, **own.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        read_meter_until(recording, 2.0)
    finally:
        own.stop()
    _, stderr = recording.communicate(timeout=20)
    assert recording.returncode == 1
    assert "Traceback" not in stderr
    assert "went away" in stderr
    assert "recorded so far are in" in stderr
    assert soundfile.info(str(out)).duration >= 2.0


def test_a_span_of_a_file_plays_for_its_length(
    pulse: PrivatePulse, monitor: SpeakerMonitor, tmp_path: Path
) -> None:
    from practice.speech.player import Player

    path = tmp_path / "tone.wav"
    t = np.arange(5 * 16000) / 16000
    soundfile.write(str(path), 0.3 * np.sin(2 * np.pi * 440 * t), 16000)
    started = time.monotonic()
    assert Player().play(path, start=1.0, end=2.5) is True
    assert 1.3 < time.monotonic() - started < 3.0
    assert abs((monitor.loud[-1] - monitor.loud[0]) - 1.5) < 0.3
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    assert Player().play(path, stop=stop) is False
    assert time.monotonic() - started < 1.5


NO_SERVER = {"PULSE_SERVER": "unix:/nonexistent/pulse/native"}


@pytest.mark.parametrize(
    "args",
    [("devices",), ("devices", "--json"), ("say", "Hello"), ("record", "OUT", "--seconds", "1")],
)
def test_without_a_sound_server_every_command_says_so(
    isolated_home: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    args = tuple(str(tmp_path / "out.wav") if arg == "OUT" else arg for arg in args)
    done = practice(*args, env={**os.environ, **NO_SERVER})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("practice:")]
    assert len(lines) == 1, done.stderr
    assert "sound server (PulseAudio or PipeWire) is not running" in lines[0]
    assert not (tmp_path / "out.wav").exists()


def test_doctor_without_a_sound_server_says_what_to_fix(isolated_home: Path) -> None:
    done = practice("doctor", env={**os.environ, **NO_SERVER})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert re.search(
        r"FAIL\s+microphone\s+no audio input device found: the sound server", done.stdout
    )
    assert re.search(r"FAIL\s+speaker\s+no audio output device found", done.stdout)
    assert done.stdout.count("fix:") == 2
    assert re.search(r"ok\s+speech model", done.stdout)
    assert re.search(r"ok\s+recordings", done.stdout)


def test_doctor_with_everything_in_place(isolated_home: Path, pulse: PrivatePulse) -> None:
    done = practice("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    for what in ("settings", "microphone", "speaker", "voice", "speech model", "recordings"):
        assert re.search(rf"^ok\s+{what}", done.stdout, re.MULTILINE), done.stdout
    assert done.stdout.rstrip().endswith("all set")


def test_devices_lists_and_saves_the_choice(isolated_home: Path, pulse: PrivatePulse) -> None:
    import json

    listed = json.loads(practice("devices", "--json").stdout)
    names = [device["name"] for device in listed["devices"]]
    assert "pulse" in names
    chosen = practice("devices", "--input", "puls")
    assert chosen.returncode == 0, chosen.stderr
    assert re.search(r"^inputs\n \*\s+\d+\s+pulse", chosen.stdout, re.MULTILINE)
    after = json.loads(practice("devices", "--json").stdout)
    assert after["chosen"]["input"] == names.index("pulse")
    wrong = practice("devices", "--output", "no such speaker")
    assert wrong.returncode == 1
    assert "no output device named 'no such speaker' (choose one of:" in wrong.stderr


UNDERRUNS = """
import sys, threading, time
if sys.argv[1] == "practice":
    from practice.speech.devices import sounddevice
    sd = sounddevice()
else:
    import sounddevice as sd
calls, done = [0], threading.Event()
def callback(out, frames, when, status):
    calls[0] += 1
    out[:] = 0
    if calls[0] % 10 == 0:
        time.sleep(0.3)  # too slow: the device runs dry
    if calls[0] > 12:
        raise sd.CallbackStop
with sd.OutputStream(samplerate=16000, channels=1, blocksize=160, latency="low",
                     callback=callback, finished_callback=done.set):
    done.wait()
"""


def test_alsa_warnings_do_not_reach_the_terminal(pulse: PrivatePulse) -> None:
    def stderr_of(how: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", UNDERRUNS, how],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stderr

    assert "underrun occurred" in stderr_of("plain sounddevice")
    assert "ALSA lib" not in stderr_of("practice")


def test_an_unwritable_recording_is_a_one_line_error(pulse: PrivatePulse) -> None:
    from practice.speech.recorder import Recorder, RecordingError

    with pytest.raises(RecordingError, match=r"^/proc/practice/1.wav: cannot write the recording"):
        Recorder().record(Path("/proc/practice/1.wav"), max_seconds=1)
