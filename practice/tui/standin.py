"""TEMPORARY: default settings until ``practice.settings`` is merged (then ``load_settings``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DefaultSettings:
    voice: str | None = None
    rate: int = 175
    input_device: str | None = None
    output_device: str | None = None
    engine: str = "faster-whisper"
    model: str | None = None
    compute_type: str = "int8"
    silence_stop_seconds: float = 4.0
    auto_record: bool = True
    max_answer_seconds: int = 300
    pace_low: int = 120
    pace_high: int = 165
    long_pause_seconds: float = 1.0
    keep_audio: bool = True
