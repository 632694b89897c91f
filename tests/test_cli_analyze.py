"""`practice analyze` end to end with the bundled model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from practice.cli import main

pytestmark = pytest.mark.model


def test_jfk_has_two_long_pauses_and_no_fillers(
    jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--json", str(jfk)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    report = json.loads(line)
    assert report["fillers"]["total"] == 0
    assert report["pauses"]["long"] == 2
    long = [p for p in report["pauses"]["events"] if p["long"]]
    # After "Americans" and after "ask not".
    assert [round(p["start"]) for p in long] == [2, 4]
    text = report["transcript"].lower()
    assert "ask not what your country can do for you" in text.replace(",", "")
    assert report["engine"] == {"name": "faster-whisper", "model": "tiny.en"}


def test_readable_report(jfk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(jfk)]) == 0
    out = capsys.readouterr().out
    assert "Score " in out
    # The first pause ends "Americans" at its last burst (2.1 s: the signal and the VAD).
    assert "(⏸ 1.2 s) ask not (⏸ 1.1 s) what" in out
    assert "2 long (≥ 1 s)" in out


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    assert main(["analyze", "--json", str(bad), str(jfk)]) == 1
    captured = capsys.readouterr()
    first, second = (json.loads(line) for line in captured.out.splitlines())
    assert first == {"file": str(bad), "error": f"{bad}: not an audio file this program can read"}
    assert second["file"] == str(jfk)
    assert captured.err.strip() == f"practice: {bad}: not an audio file this program can read"


def test_an_hour_of_silence_is_no_speech_in_bounded_memory(tmp_path: Path) -> None:
    hour = tmp_path / "hour.wav"
    rng = np.random.default_rng(0)
    with soundfile.SoundFile(hour, "w", 16_000, 1, "PCM_16") as sound:
        for _ in range(60):  # a faint noise floor, a minute at a time
            sound.write((rng.standard_normal(16_000 * 60) * 1e-4).astype(np.float32))
    # VmHWM, not getrusage: Linux carries ru_maxrss over from the forking parent (pytest,
    # with models loaded) into the child.
    code = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from practice.cli import main\n"
        f"code = main(['analyze', '--json', {str(hour)!r}])\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) // 1024, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    report = json.loads(result.stdout)
    assert report["no_speech"] is True
    assert report["score"]["notes"] == ["no speech detected"]
    assert report["duration_s"] == pytest.approx(3600)
    peak_mib = int(result.stderr.strip().splitlines()[-1])
    # The 16 kHz samples alone are 220 MiB; a decoder that held a second copy, or the file at
    # its own rate, would pass 450 MiB.
    assert peak_mib < 450, peak_mib


def test_unknown_engine_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", "--engine", "nope", "x.wav"])
    assert exit_.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_a_model_folder_that_is_not_a_model(
    tmp_path: Path, jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--model", str(tmp_path), str(jfk)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"practice: {tmp_path}: not a CTranslate2 Whisper model folder (no model.bin)"
    )


@pytest.mark.slow
def test_the_openai_whisper_engine_from_the_command_line(
    jfk: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--json", "--engine", "openai-whisper", str(jfk)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["engine"] == {"name": "openai-whisper", "model": "tiny.en"}
    assert report["pauses"]["long"] == 2
    assert report["fillers"]["total"] == 0
    assert "ask not what your country can do for you" in report["transcript"].lower().replace(
        ",", ""
    )
