"""DESIGN.md's dependency table: the services never load Textual or sounddevice."""

import subprocess
import sys


def _loaded_after_import(modules: str) -> set[str]:
    code = f"import sys, {modules}; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_services_do_not_load_textual() -> None:
    loaded = _loaded_after_import(
        "practice.analysis.transcribe, practice.workspace, practice.errors, practice.compare"
    )
    assert "textual" not in loaded
    assert "sounddevice" not in loaded


def test_cli_help_is_light() -> None:
    loaded = _loaded_after_import("practice.cli")
    assert not {"textual", "faster_whisper", "ctranslate2", "torch"} & loaded
