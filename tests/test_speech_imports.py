"""speech/ and settings keep to DESIGN.md's table, and the CLI stays light until audio is used."""

import subprocess
import sys


def _loaded_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_speech_never_loads_textual_or_analysis() -> None:
    loaded = _loaded_after(
        "import practice.settings, practice.speech.devices, practice.speech.voice, "
        "practice.speech.player, practice.speech.recorder, practice.speech.wavfile"
    )
    assert "textual" not in loaded
    assert not {name for name in loaded if name.startswith("practice.analysis")}


def test_the_cli_and_the_recordings_sweep_do_not_load_sounddevice() -> None:
    loaded = _loaded_after(
        "import practice.cli, practice.speech.wavfile; practice.cli.build_parser()"
    )
    assert not {"sounddevice", "numpy", "pyttsx3", "piper"} & loaded
