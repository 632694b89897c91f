"""The openai-whisper engine (PyTorch), offline on the bundled weights.

openai-whisper reads its own checkpoint format (a ``.pt`` file with ``dims`` and
``model_state_dict``). The bundled tiny.en model is in CTranslate2 format, so on first use this
module converts it (``engines/ct2.py``), checks the result by loading it strictly, and writes the
checkpoint atomically into the user cache folder. The alignment heads that word timestamps need
travel in the checkpoint under ``alignment_heads``.

``--model`` takes the bundled ``tiny.en``, another CTranslate2 Whisper folder, an openai-whisper
model name (downloaded once, where there is internet) or a ``.pt`` checkpoint; every checkpoint is
read with ``torch.load(weights_only=True)``. torch and whisper are imported only when the model
loads.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import os
import pickle
import threading
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, BinaryIO

import numpy as np

from practice.analysis.engines.ct2 import convert_ct2
from practice.analysis.transcript import (
    BUNDLED_MODEL,
    Cancelled,
    DecodeOptions,
    Transcript,
    TranscriptionError,
    Word,
    bundled_model_path,
    checked_words,
    collect_words,
    default_threads,
    needs_check,
    unprompted,
)
from practice.errors import one_line
from practice.files import write_atomic

_LOOPING_COMPRESSION = 2.4
"""Whisper's own compression-ratio limit: a segment past it loops."""
CONVERSION_VERSION = 1
"""Bump when the conversion changes, so that cached checkpoints are rebuilt."""

DOWNLOAD_TIMEOUT = 15.0
"""Seconds to wait for the download server before giving up."""

COMPUTE_TYPES = ("float32",)
"""openai-whisper on a CPU computes in float32 only."""


def _cache_key(folder: Path) -> str:
    """Changes when the model files or the conversion change (cheap: no hashing of weights)."""
    parts = [f"v{CONVERSION_VERSION}", str(folder.resolve())]
    for name in ("model.bin", "config.json"):
        with contextlib.suppress(FileNotFoundError):
            stat = (folder / name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def converted_checkpoint(folder: Path, cache_dir: Path, name: str) -> Path:
    """The cached openai-whisper checkpoint for a CTranslate2 folder, converted if missing."""
    target = cache_dir / "openai-whisper" / f"{name}-ct2-{_cache_key(folder)}.pt"
    if target.is_file():
        return target
    checkpoint = convert_ct2(folder)
    _build_model(checkpoint, folder / "model.bin")  # strict check before anything is written
    _write_atomically(target, lambda file: _torch_save(checkpoint, file))
    return target


def _torch_save(checkpoint: dict[str, Any], file: BinaryIO) -> None:
    import torch

    torch.save(checkpoint, file)


def _write_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, write)
    except OSError as error:
        raise TranscriptionError(
            f"cannot write to the cache folder {target.parent}: {error}"
        ) from error


def downloaded_checkpoint(name: str, cache_dir: Path) -> Path:
    """An official openai-whisper model: from a cache, or downloaded (SHA-256 checked)."""
    import whisper

    url: str = whisper._MODELS[name]
    digest = url.split("/")[-2]
    own = cache_dir / "openai-whisper" / f"{name}.pt"
    default_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "whisper"
    for candidate in (own, default_root / f"{name}.pt"):
        if candidate.is_file() and _sha256(candidate) == digest:
            return candidate

    def download(file: BinaryIO) -> None:
        hasher = hashlib.sha256()
        try:
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
                while chunk := response.read(1 << 20):
                    hasher.update(chunk)
                    file.write(chunk)
        except OSError as error:
            reason = getattr(error, "reason", error)
            raise TranscriptionError(
                f"cannot download the openai-whisper model {name!r} (no internet?): {reason}; "
                f"use the bundled {BUNDLED_MODEL} or a .pt file"
            ) from error
        if hasher.hexdigest() != digest:
            raise TranscriptionError(f"the download of {name!r} is corrupt (SHA-256 mismatch)")

    _write_atomically(own, download)
    return own


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def read_checkpoint(path: Path) -> dict[str, Any]:
    """A checkpoint file, read with ``weights_only=True``; anything else is refused."""
    import torch

    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if "Unsupported global" in str(error):
            raise TranscriptionError(
                f"{path}: refused, it holds Python objects beyond weights (weights_only=True)"
            ) from error
        raise TranscriptionError(f"{path}: not a readable PyTorch checkpoint") from error
    except Exception as error:  # torch raises RuntimeError, EOFError, ... for a damaged file
        raise TranscriptionError(
            f"{path}: not a readable PyTorch checkpoint: {one_line(error)}"
        ) from error
    if not (
        isinstance(checkpoint, dict)
        and isinstance(checkpoint.get("dims"), dict)
        and isinstance(checkpoint.get("model_state_dict"), Mapping)
    ):
        raise TranscriptionError(
            f"{path}: not an openai-whisper checkpoint (no 'dims' and 'model_state_dict')"
        )
    return checkpoint


def _build_model(
    checkpoint: dict[str, Any], source: Path, official_heads: bytes | None = None
) -> Any:
    """An openai-whisper model from a checkpoint dict, loaded with strict checking.

    Its alignment heads come from the checkpoint, else from openai's table for a model name,
    else they stay openai-whisper's default (every head of the upper half of the decoder).
    """
    import torch
    from whisper.model import ModelDimensions, Whisper

    try:
        dims = ModelDimensions(**checkpoint["dims"])
        model = Whisper(dims)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TranscriptionError(
            f"{source}: the model dimensions are not openai-whisper's: {one_line(error)}"
        ) from error
    state = checkpoint["model_state_dict"]
    expected = set(model.state_dict())
    missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
    if missing or unexpected:
        example = (missing or unexpected)[0]
        raise TranscriptionError(
            f"{source}: the weights do not fit openai-whisper: {len(missing)} missing, "
            f"{len(unexpected)} unexpected (e.g. {example})"
        )
    for key, tensor in model.state_dict().items():
        given = state[key]
        if not isinstance(given, torch.Tensor) or given.shape != tensor.shape:
            shape = tuple(given.shape) if isinstance(given, torch.Tensor) else type(given).__name__
            raise TranscriptionError(
                f"{source}: {key} has shape {shape}, expected {tuple(tensor.shape)}"
            )
    model.load_state_dict(state, strict=True)
    heads = checkpoint.get("alignment_heads")
    if heads:
        model.set_alignment_heads(_alignment_dump(heads, dims.n_text_layer, dims.n_text_head))
    elif official_heads:
        model.set_alignment_heads(official_heads)
    return model.eval()


def _alignment_dump(heads: list[list[int]], layers: int, per_layer: int) -> bytes:
    """Encode (layer, head) pairs the way ``Whisper.set_alignment_heads`` reads them."""
    mask = np.zeros((layers, per_layer), dtype=bool)
    try:
        for layer, head in heads:
            mask[layer, head] = True
    except (IndexError, TypeError, ValueError) as error:
        raise TranscriptionError(f"alignment heads {heads} do not fit the model") from error
    return base64.b85encode(gzip.compress(mask.tobytes()))


class OpenAIWhisperTranscriber:
    """openai-whisper (PyTorch) engine, float32 on the CPU."""

    name = "openai-whisper"

    def __init__(
        self,
        model: str | None = None,
        compute_type: str = "float32",
        options: DecodeOptions | None = None,
        cpu_threads: int = 0,
        cache_dir: Path | None = None,
    ) -> None:
        if compute_type not in COMPUTE_TYPES:
            raise TranscriptionError(
                f"openai-whisper computes in float32 on the CPU, not {compute_type!r}"
            )
        self.model = model or BUNDLED_MODEL
        self.compute_type = compute_type
        self.options = options or DecodeOptions()
        self._cpu_threads = cpu_threads
        self._cache_dir = cache_dir
        self._whisper: Any = None
        self._lock = threading.Lock()
        self._busy = threading.Lock()

    @property
    def cache_dir(self) -> Path:
        if self._cache_dir is None:
            from practice.workspace import resolve

            self._cache_dir = resolve().cache_dir
        return self._cache_dir

    def checkpoint_path(self) -> Path:
        """The ``.pt`` file this engine loads (converting or downloading it if needed)."""
        if self.model == BUNDLED_MODEL:
            return converted_checkpoint(bundled_model_path(), self.cache_dir, BUNDLED_MODEL)
        path = Path(self.model).expanduser()
        if path.is_dir():
            if not (path / "model.bin").is_file():
                raise TranscriptionError(
                    f"{path}: not a model folder (no CTranslate2 model.bin); "
                    "give a .pt checkpoint or an openai-whisper model name"
                )
            return converted_checkpoint(path, self.cache_dir, path.name)
        if path.is_file():
            return path
        import whisper

        if self.model in whisper.available_models():
            return downloaded_checkpoint(self.model, self.cache_dir)
        raise TranscriptionError(
            f"no model {self.model!r}: not a file or folder, nor an openai-whisper model name "
            f"({', '.join(whisper.available_models())})"
        )

    def load(self) -> None:
        with self._lock:
            if self._whisper is not None:
                return
            try:
                import torch
                import whisper
            except ImportError as error:
                raise TranscriptionError(
                    "the openai-whisper engine is not installed: pip install "
                    "'practice[openai-whisper]' (install the CPU build of torch first)"
                ) from error
            path = self.checkpoint_path()
            official = whisper._ALIGNMENT_HEADS.get(self.model)  # for a downloaded model
            model = _build_model(read_checkpoint(path), path, official)
            _compile_word_alignment()  # first, as numba's first parallel run resets torch's threads
            torch.set_num_threads(self._cpu_threads or default_threads())
            self._whisper = model

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        self.load()

        def stop_if_cancelled(_module: Any, _inputs: Any) -> None:
            if cancel is not None and cancel.is_set():
                raise Cancelled("transcription cancelled")

        options = options or self.options
        words, _sure = self._decode(samples, options, stop_if_cancelled, cancel)
        if options.initial_prompt is not None and options.check_words and needs_check(words):
            # No encoder pass to share here: the check costs a whole decoding more.
            plain, sure = self._decode(samples, unprompted(options), stop_if_cancelled, cancel)
            if sure:
                words = checked_words(words, plain)
        return Transcript(words)

    def _decode(
        self,
        samples: np.ndarray,
        options: DecodeOptions,
        stop_if_cancelled: Any,
        cancel: threading.Event | None,
    ) -> tuple[tuple[Word, ...], bool]:
        """The words, and whether every segment's text is free of loops (as the faster-whisper
        engine's)."""
        import whisper

        with self._busy:  # whisper installs its key/value cache hooks on the shared model
            stop_if_cancelled(None, None)
            # Runs before every decoder step, so that a cancel takes effect within a token.
            hook = self._whisper.decoder.register_forward_pre_hook(stop_if_cancelled)
            try:
                result = whisper.transcribe(
                    self._whisper,
                    np.ascontiguousarray(samples, dtype=np.float32),
                    verbose=None,
                    language="en",
                    task="transcribe",
                    temperature=options.temperatures,  # the same fallback ladder and thresholds
                    beam_size=options.beam_size if options.beam_size > 1 else None,
                    best_of=5,  # faster-whisper's default; used only above temperature 0
                    initial_prompt=options.initial_prompt,
                    word_timestamps=True,
                    condition_on_previous_text=False,
                    fp16=False,
                )
            finally:
                hook.remove()
        words = tuple(collect_words(_segments(result), cancel))
        sure = all(
            segment["compression_ratio"] <= _LOOPING_COMPRESSION for segment in result["segments"]
        )
        return words, sure


def _segments(result: dict[str, Any]) -> Iterator[SimpleNamespace]:
    """openai-whisper's segment dicts, shaped like faster-whisper's segments."""
    for segment in result["segments"]:
        yield SimpleNamespace(
            no_speech_prob=segment["no_speech_prob"],
            avg_logprob=segment["avg_logprob"],
            words=[SimpleNamespace(**word) for word in segment.get("words", ())],
        )


def _compile_word_alignment() -> None:
    """Run whisper's numba-compiled alignment once, so the first answer does not pay for it."""
    from whisper.timing import dtw_cpu

    dtw_cpu(np.zeros((2, 2), dtype=np.float32))
