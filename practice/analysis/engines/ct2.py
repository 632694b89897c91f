"""A CTranslate2 Whisper ``model.bin``, read without CTranslate2 (the layout of
``ctranslate2.specs.model_spec.ModelSpec._serialize``) and converted into an openai-whisper
checkpoint: the weights renamed and split into openai-whisper's layout, the dimensions read off
them, and the alignment heads that word timestamps need taken from the model's ``config.json``.
torch is imported only when a weight is read.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practice.analysis.transcript import TranscriptionError

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
