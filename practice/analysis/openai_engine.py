"""The openai-whisper engine (PyTorch), offline on the bundled weights.

openai-whisper reads its own checkpoint format (a ``.pt`` file with ``dims`` and
``model_state_dict``). The bundled tiny.en model is in CTranslate2 format, so on first use this
module converts it: it reads CTranslate2's ``model.bin`` itself (the layout of
``ctranslate2.specs.model_spec.ModelSpec._serialize``), renames and splits the weights into
openai-whisper's layout, checks the result by loading it strictly, and writes the checkpoint
atomically into the user cache folder. The alignment heads that word timestamps need come from
the model's ``config.json`` and travel in the checkpoint under ``alignment_heads``.

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
import json
import os
import pickle
import struct
import threading
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, BinaryIO

import numpy as np

from practice.analysis.transcribe import (
    BUNDLED_MODEL,
    Cancelled,
    DecodeOptions,
    Transcript,
    TranscriptionError,
    _collect_words,
    _one_line,
    bundled_model_path,
    default_threads,
)
from practice.files import write_atomic

CONVERSION_VERSION = 1
"""Bump when the conversion changes, so that cached checkpoints are rebuilt."""

DOWNLOAD_TIMEOUT = 15.0
"""Seconds to wait for the download server before giving up."""

COMPUTE_TYPES = ("float32",)
"""openai-whisper on a CPU computes in float32 only."""

_CT2_BINARY_VERSION = 6
_CT2_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


@dataclass(frozen=True, slots=True)
class _Variable:
    shape: tuple[int, ...]
    dtype: str
    data: bytes


class _CT2Model:
    """The variables of a CTranslate2 ``model.bin``, read without CTranslate2."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data = path.read_bytes()
        self._offset = 0
        self.variables: dict[str, _Variable] = {}
        self.aliases: dict[str, str] = {}
        try:
            self._read()
        except (struct.error, UnicodeDecodeError, IndexError) as error:
            raise TranscriptionError(f"{path}: truncated or corrupt model.bin") from error

    def _unpack(self, fmt: str) -> int:
        (value,) = struct.unpack_from("<" + fmt, self._data, self._offset)
        self._offset += struct.calcsize("<" + fmt)
        return int(value)

    def _string(self) -> str:
        size = self._unpack("H")
        raw = self._data[self._offset : self._offset + size]
        if len(raw) != size or not raw.endswith(b"\0"):
            raise IndexError("string runs past the end")
        self._offset += size
        return raw[:-1].decode("utf-8")

    def _read(self) -> None:
        version = self._unpack("I")
        if version != _CT2_BINARY_VERSION:
            raise TranscriptionError(
                f"{self.path}: CTranslate2 binary version {version} is not supported "
                f"(expected {_CT2_BINARY_VERSION})"
            )
        spec = self._string()
        self._unpack("I")  # the spec's revision; WhisperSpec's layout has not changed with it
        if spec != "WhisperSpec":
            raise TranscriptionError(f"{self.path}: a {spec} model, not Whisper")
        for _ in range(self._unpack("I")):
            name = self._string()
            shape = tuple(self._unpack("I") for _ in range(self._unpack("B")))
            dtype_id = self._unpack("B")
            size = self._unpack("I")
            data = self._data[self._offset : self._offset + size]
            if len(data) != size or dtype_id >= len(_CT2_DTYPES):
                raise IndexError("variable runs past the end")
            self._offset += size
            self.variables[name] = _Variable(shape, _CT2_DTYPES[dtype_id], data)
        for _ in range(self._unpack("I")):
            alias = self._string()
            self.aliases[alias] = self._string()
        if self._offset != len(self._data):
            raise IndexError("trailing bytes")

    def tensor(self, name: str) -> Any:
        """A variable as a torch tensor (a copy, in its stored dtype)."""
        import torch

        try:
            variable = self.variables[name]
        except KeyError:
            raise TranscriptionError(f"{self.path}: no variable {name}") from None
        if variable.dtype not in ("float32", "float16", "bfloat16", "int16", "int8"):
            raise TranscriptionError(f"{self.path}: {name} is {variable.dtype}, not supported")
        if f"{name}_scale" in self.variables:
            raise TranscriptionError(
                f"{self.path}: quantized (int8) weights cannot be converted; "
                "use a float16 or float32 CTranslate2 model"
            )
        dtype = getattr(torch, variable.dtype)
        return torch.frombuffer(bytearray(variable.data), dtype=dtype).reshape(variable.shape)

    def scalar(self, name: str) -> int:
        return int(self.tensor(name).item())

    def count_layers(self, stack: str) -> int:
        count = 0
        while any(key.startswith(f"{stack}/layer_{count}/") for key in self.variables):
            count += 1
        return count


def _split(tensor: Any, parts: int) -> list[Any]:
    return list(tensor.chunk(parts, dim=0))


def convert_ct2(folder: Path) -> dict[str, Any]:
    """Convert a CTranslate2 Whisper model folder into an openai-whisper checkpoint (a dict)."""
    ct2 = _CT2Model(folder / "model.bin")
    used: set[str] = set()
    state: dict[str, Any] = {}

    def take(name: str) -> Any:
        used.add(name)
        return ct2.tensor(name)

    def put_norm(target: str, source: str) -> None:
        state[f"{target}.weight"] = take(f"{source}/gamma")
        state[f"{target}.bias"] = take(f"{source}/beta")

    def put_linear(target: str, source: str) -> None:
        state[f"{target}.weight"] = take(f"{source}/weight")
        state[f"{target}.bias"] = take(f"{source}/bias")

    def put_attention(target: str, weights: list[Any], biases: list[Any], out: str) -> None:
        query, key, value = weights
        query_bias, key_bias, value_bias = biases
        if bool(key_bias.any()):
            raise TranscriptionError(
                f"{ct2.path}: {target} has a key bias, which openai-whisper does not"
            )
        state[f"{target}.query.weight"], state[f"{target}.query.bias"] = query, query_bias
        state[f"{target}.key.weight"] = key
        state[f"{target}.value.weight"], state[f"{target}.value.bias"] = value, value_bias
        put_linear(f"{target}.out", out)

    def put_self_attention(target: str, source: str) -> None:
        put_norm(f"{target}.attn_ln", f"{source}/layer_norm")
        weights = _split(take(f"{source}/linear_0/weight"), 3)
        biases = _split(take(f"{source}/linear_0/bias"), 3)
        put_attention(f"{target}.attn", weights, biases, f"{source}/linear_1")

    def put_cross_attention(target: str, source: str) -> None:
        put_norm(f"{target}.cross_attn_ln", f"{source}/layer_norm")
        key, value = _split(take(f"{source}/linear_1/weight"), 2)
        key_bias, value_bias = _split(take(f"{source}/linear_1/bias"), 2)
        weights = [take(f"{source}/linear_0/weight"), key, value]
        biases = [take(f"{source}/linear_0/bias"), key_bias, value_bias]
        put_attention(f"{target}.cross_attn", weights, biases, f"{source}/linear_2")

    def put_ffn(target: str, source: str) -> None:
        put_norm(f"{target}.mlp_ln", f"{source}/layer_norm")
        put_linear(f"{target}.mlp.0", f"{source}/linear_0")
        put_linear(f"{target}.mlp.2", f"{source}/linear_1")

    for conv in ("conv1", "conv2"):
        put_linear(f"encoder.{conv}", f"encoder/{conv}")
    state["encoder.positional_embedding"] = take("encoder/position_encodings/encodings")
    encoder_layers = ct2.count_layers("encoder")
    for index in range(encoder_layers):
        put_self_attention(f"encoder.blocks.{index}", f"encoder/layer_{index}/self_attention")
        put_ffn(f"encoder.blocks.{index}", f"encoder/layer_{index}/ffn")
    put_norm("encoder.ln_post", "encoder/layer_norm")

    state["decoder.token_embedding.weight"] = take("decoder/embeddings/weight")
    state["decoder.positional_embedding"] = take("decoder/position_encodings/encodings")
    decoder_layers = ct2.count_layers("decoder")
    for index in range(decoder_layers):
        block, layer = f"decoder.blocks.{index}", f"decoder/layer_{index}"
        put_self_attention(block, f"{layer}/self_attention")
        put_cross_attention(block, f"{layer}/attention")
        put_ffn(block, f"{layer}/ffn")
    put_norm("decoder.ln", "decoder/layer_norm")

    if ct2.aliases.get("decoder/projection/weight") != "decoder/embeddings/weight":
        raise TranscriptionError(
            f"{ct2.path}: the output projection is not tied to the token embedding"
        )
    unused = [
        name for name, variable in ct2.variables.items() if name not in used and variable.shape
    ]
    if unused:
        raise TranscriptionError(
            f"{ct2.path}: {len(unused)} weights have no place in openai-whisper (e.g. {unused[0]})"
        )

    audio_ctx, audio_state = state["encoder.positional_embedding"].shape
    text_ctx, text_state = state["decoder.positional_embedding"].shape
    dims = {
        "n_mels": int(state["encoder.conv1.weight"].shape[1]),
        "n_audio_ctx": int(audio_ctx),
        "n_audio_state": int(audio_state),
        "n_audio_head": ct2.scalar("encoder/num_heads"),
        "n_audio_layer": encoder_layers,
        "n_vocab": int(state["decoder.token_embedding.weight"].shape[0]),
        "n_text_ctx": int(text_ctx),
        "n_text_state": int(text_state),
        "n_text_head": ct2.scalar("decoder/num_heads"),
        "n_text_layer": decoder_layers,
    }
    return {
        "dims": dims,
        "model_state_dict": state,
        "alignment_heads": _config_alignment_heads(folder),
    }


def _config_alignment_heads(folder: Path) -> list[list[int]] | None:
    config = folder / "config.json"
    if not config.is_file():
        return None
    try:
        heads = json.loads(config.read_text(encoding="utf-8")).get("alignment_heads")
        return [[int(layer), int(head)] for layer, head in heads] if heads else None
    except (ValueError, TypeError, AttributeError) as error:
        raise TranscriptionError(f"{config}: unreadable alignment_heads: {error}") from error


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
            f"{path}: not a readable PyTorch checkpoint: {_one_line(error)}"
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
            f"{source}: the model dimensions are not openai-whisper's: {_one_line(error)}"
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

    def transcribe(self, samples: np.ndarray, cancel: threading.Event | None = None) -> Transcript:
        self.load()
        import whisper

        def stop_if_cancelled(_module: Any, _inputs: Any) -> None:
            if cancel is not None and cancel.is_set():
                raise Cancelled("transcription cancelled")

        options = self.options
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
        return Transcript(tuple(_collect_words(_segments(result), cancel)))


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
