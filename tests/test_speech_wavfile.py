"""The crash-safe WAV writer, repair of interrupted recordings, and the sweep."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile

from practice.speech.wavfile import WavWriter, marker_for, repair, sweep


def _tone(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()


def test_the_file_is_a_readable_wav_while_it_is_written(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "answer.wav"
    with WavWriter(path, 16000) as wav:
        wav.write(_tone(0.5))
        assert marker_for(path).exists()
        info = soundfile.info(str(path))
        assert info.frames == 8000
        wav.write(_tone(0.25))
        assert soundfile.info(str(path)).frames == 12000
    assert not marker_for(path).exists()
    samples, rate = soundfile.read(str(path))
    assert rate == 16000
    assert len(samples) == 12000
    assert abs(float(np.max(np.abs(samples))) - 0.3) < 0.01
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "new" / "deeper").stat().st_mode & 0o777 == 0o700


def test_repair_fixes_a_header_that_lags_the_samples(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    with WavWriter(path, 16000) as wav:
        wav.write(_tone(1.0))
    with path.open("ab") as file:  # samples the header does not count yet, and half a sample
        file.write(_tone(0.5) + b"\x01")
    assert soundfile.info(str(path)).frames == 16000
    assert repair(path) == 1.5
    assert soundfile.info(str(path)).frames == 24000


def test_repair_leaves_other_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_bytes(b"not a wav at all")
    assert repair(path) is None
    assert path.read_bytes() == b"not a wav at all"


KILLED_WRITER = """
import sys, time
from pathlib import Path
from practice.speech.wavfile import WavWriter
wav = WavWriter(Path(sys.argv[1]), 16000)
block = bytes(3200)
while True:
    wav.write(block)
    print(wav.frames, flush=True)
    time.sleep(0.01)
"""


def test_sweep_repairs_interrupted_recordings_and_skips_live_ones(tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    dead = recordings / "session-1" / "1.wav"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(dead)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    while int(process.stdout.readline()) < 16000:
        pass
    process.kill()
    process.wait()
    assert marker_for(dead).exists()
    with dead.open("ab") as file:  # as if the header had not caught up with the last block
        file.write(bytes(3200))
    live = recordings / "session-2" / "1.wav"
    with WavWriter(live, 16000) as wav:
        wav.write(_tone(0.5))
        started = time.perf_counter()
        repaired = sweep(recordings)
        elapsed = time.perf_counter() - started
        assert marker_for(live).exists()  # still recording: not touched
    assert [path for path, _ in repaired] == [dead]
    assert not marker_for(dead).exists()
    frames = soundfile.info(str(dead)).frames
    assert frames == (dead.stat().st_size - 44) // 2
    assert repaired[0][1] == frames / 16000
    assert sweep(recordings) == []
    assert elapsed < 1.0


def test_sweep_of_a_missing_folder_does_nothing(tmp_path: Path) -> None:
    assert sweep(tmp_path / "nowhere") == []
