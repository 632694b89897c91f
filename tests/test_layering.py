"""DESIGN.md's dependency table, checked in fresh interpreters."""

import subprocess
import sys

ANALYSIS = (
    "practice.analysis.audio, practice.analysis.transcribe, practice.analysis.fillers, "
    "practice.analysis.hesitations, practice.analysis.pace, practice.analysis.pauses, "
    "practice.analysis.feedback, practice.analysis.answer, practice.analysis.openai_engine"
)
SPEECH = (
    "practice.speech.devices, practice.speech.voice, practice.speech.player, "
    "practice.speech.recorder, practice.speech.wavfile"
)


def _loaded_after_import(modules: str) -> set[str]:
    code = f"import sys, {modules}; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_analysis_banks_sessions_and_reports_load_neither_textual_nor_sounddevice() -> None:
    loaded = _loaded_after_import(
        f"{ANALYSIS}, practice.banks, practice.sessions, practice.exports, practice.compare, "
        "practice.settings, practice.workspace, practice.errors, practice.plan, practice.kit"
    )
    assert not {"textual", "sounddevice"} & loaded


def test_speech_loads_neither_textual_nor_the_analysis() -> None:
    loaded = _loaded_after_import(SPEECH)
    assert "textual" not in loaded
    assert not {name for name in loaded if name.startswith("practice.analysis")}


def test_heavy_engines_load_lazily() -> None:
    loaded = _loaded_after_import(ANALYSIS)
    assert not {"faster_whisper", "ctranslate2", "torch", "whisper"} & loaded


def test_cli_help_is_light() -> None:
    loaded = _loaded_after_import("practice.cli")
    assert not {"textual", "faster_whisper", "ctranslate2", "torch", "sounddevice"} & loaded
