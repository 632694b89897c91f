"""DESIGN.md's dependency table: third-party modules checked in fresh interpreters, and the
edges inside the package read from the source (lazy and type-checking imports included), as
import-linter's layers and independence contracts would."""

import ast
import subprocess
import sys
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path

import practice

ANALYSIS = (
    "practice.analysis.audio, practice.analysis.transcript, practice.analysis.transcribe, "
    "practice.analysis.fillers, practice.analysis.hesitations, practice.analysis.pace, "
    "practice.analysis.pauses, practice.analysis.scoring, practice.analysis.answer, "
    "practice.analysis.engines.faster, practice.analysis.engines.openai, "
    "practice.analysis.engines.ct2"
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
        "practice.settings, practice.workspace, practice.errors, practice.plan, practice.kit, "
        "practice.drills, practice.doctor, practice.tomlfile, practice.times, practice.text, "
        "practice.records"
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


# Inside the package -------------------------------------------------------------------------

LAYERS: tuple[tuple[str, ...], ...] = (
    ("practice.errors", "practice.text", "practice.times"),
    ("practice.files",),
    ("practice.workspace", "practice.tomlfile"),
    ("practice.settings", "practice.banks"),
    ("practice.speech", "practice.analysis"),
    ("practice.records",),
    ("practice.sessions",),
    ("practice.compare", "practice.exports", "practice.drills", "practice.plan"),
    ("practice.kit",),
    ("practice.doctor",),
    ("practice.tui",),
    ("practice.cli",),
    ("practice.__main__",),
)
"""Bottom first. A module may import its own layer's modules and those below, never above; a
package (``practice.analysis``) stands for all its modules. Every module must be in a layer."""

INDEPENDENT: tuple[tuple[str, ...], ...] = LAYERS[0], LAYERS[3], LAYERS[4], LAYERS[7]
"""Within these layers no part imports another (the sound hardware and the analysis know
nothing of each other; nor do the banks and the settings)."""

ROOT = Path(practice.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}
PARTS = [module for module in MODULES if module != "practice"]  # the package's own __init__


def _imports(module: str) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of a practice module in ``module``, wherever it is."""
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}:{node.lineno}: the package imports absolutely"
            base = node.module or ""
            names = [f"{base}.{alias.name}" for alias in node.names]  # a module, or a name in one
        else:
            continue
        for name in names:
            found = name
            while found not in MODULES and "." in found:
                found = found.rpartition(".")[0]
            if found in MODULES and found not in {module, "practice"}:
                yield node.lineno, found


def _part(module: str) -> str:
    """The layer entry ``module`` belongs to (itself, or its package)."""
    for layer in LAYERS:
        for part in layer:
            if module == part or module.startswith(part + "."):
                return part
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and DESIGN.md's table")


def _rank(part: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if part in layer)


def test_every_module_is_in_a_layer() -> None:
    for module in PARTS:
        _part(module)


def test_no_module_imports_one_from_a_layer_above() -> None:
    upward = [
        f"{MODULES[module].relative_to(ROOT.parent)}:{line}: {module} imports {target}"
        for module in PARTS
        for line, target in _imports(module)
        if _rank(_part(target)) > _rank(_part(module))
    ]
    assert not upward, "\n".join(upward)


def test_independent_parts_do_not_import_each_other() -> None:
    crossing = [
        f"{MODULES[module].relative_to(ROOT.parent)}:{line}: {module} imports {target}"
        for layer in INDEPENDENT
        for one, other in permutations(layer, 2)
        for module in PARTS
        if _part(module) == one
        for line, target in _imports(module)
        if _part(target) == other
    ]
    assert not crossing, "\n".join(crossing)


def test_the_import_reader_sees_lazy_and_type_checking_imports() -> None:
    """The contracts above are only as good as the reader: these edges exist only inside a
    function or under TYPE_CHECKING."""
    assert "practice.tui.app" in {target for _, target in _imports("practice.cli.common")}  # lazy
    speech = {
        target
        for module in MODULES
        if module.startswith("practice.speech.")
        for _, target in _imports(module)
    }
    assert "practice.settings" in speech  # under TYPE_CHECKING in speech/voice.py


# Inside the analysis -------------------------------------------------------------------------

ANALYSIS_LAYERS: tuple[tuple[str, ...], ...] = (
    ("transcript", "events", "audio", "heap"),
    ("engines", "pauses", "filler_words", "filler_scan"),
    ("frames", "signal", "transcribe", "pieces"),
    ("fillers", "hesitations", "restarts", "verdict", "pace", "coaching"),
    ("scoring",),
    ("answer", "coaching.pipeline"),
    ("stream",),
)
"""``practice.analysis`` inside, bottom first (names below ``practice.analysis.``): the shared
types and the C library's heap; the engines, the signal's speech and silence, and the lexical
channel's reading of words; the frame features, the engine registry and the cutting of an answer
into pieces for the engine; the channels and the coaching checks; the scoring; the pipeline; the
answer analysed as it is spoken. The most specific entry holds
(``coaching.pipeline`` is not ``coaching``)."""

CHANNELS = ANALYSIS_LAYERS[3]
"""No channel imports another: each reads the words and the audio on its own."""


def _analysis_part(module: str) -> str:
    name = module.removeprefix("practice.analysis.")
    found = [
        part
        for layer in ANALYSIS_LAYERS
        for part in layer
        if name == part or name.startswith(part + ".")
    ]
    assert found, f"{module} is in no layer of ANALYSIS_LAYERS"
    return max(found, key=len)


def _analysis_rank(part: str) -> int:
    return next(i for i, layer in enumerate(ANALYSIS_LAYERS) if part in layer)


ANALYSIS_PARTS = [module for module in PARTS if module.startswith("practice.analysis.")]


def test_every_analysis_module_is_in_an_analysis_layer() -> None:
    for module in ANALYSIS_PARTS:
        _analysis_part(module)


def test_no_analysis_module_imports_one_from_a_layer_above() -> None:
    upward = [
        f"{MODULES[module].relative_to(ROOT.parent)}:{line}: {module} imports {target}"
        for module in ANALYSIS_PARTS
        for line, target in _imports(module)
        if target.startswith("practice.analysis.")
        and _analysis_rank(_analysis_part(target)) > _analysis_rank(_analysis_part(module))
    ]
    assert not upward, "\n".join(upward)


def test_the_channels_do_not_import_each_other() -> None:
    crossing = [
        f"{MODULES[module].relative_to(ROOT.parent)}:{line}: {module} imports {target}"
        for module in ANALYSIS_PARTS
        for line, target in _imports(module)
        if target.startswith("practice.analysis.")
        and _analysis_part(module) in CHANNELS
        and _analysis_part(target) in CHANNELS
        and _analysis_part(target) != _analysis_part(module)
    ]
    assert not crossing, "\n".join(crossing)


def test_the_analysis_order_is_checked() -> None:
    """The check above sees an upward edge: the scoring is above the transcript."""
    assert _analysis_rank(_analysis_part("practice.analysis.scoring")) > _analysis_rank(
        _analysis_part("practice.analysis.transcript")
    )
    assert _analysis_part("practice.analysis.coaching.pipeline") == "coaching.pipeline"
    assert _analysis_part("practice.analysis.engines.openai") == "engines"
