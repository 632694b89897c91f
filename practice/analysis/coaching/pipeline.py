"""Where coaching joins the answer pipeline: one call after the delivery analysis."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from practice.analysis.answer import analyze_samples
from practice.analysis.audio import load_samples
from practice.analysis.coaching import Brief, coach
from practice.analysis.coaching.voice import Pitch
from practice.analysis.scoring import AnswerReport, Targets
from practice.analysis.signal import Signal, measure
from practice.analysis.transcript import Transcriber


def coach_report(
    report: AnswerReport,
    samples: np.ndarray | Signal | None,
    brief: Brief | None = None,
    earlier_pitch: Sequence[float] = (),
    pitch: Pitch | None = None,
) -> AnswerReport:
    """The report with its coaching (none when there was no speech); ``pitch``, when given, is
    the pitch of ``samples`` measured already (:func:`coach`)."""
    if report.no_speech:
        return report
    coaching = coach(
        report.words,
        samples,
        brief,
        earlier_pitch=earlier_pitch,
        delivery=report.parts,
        pitch=pitch,
    )
    return replace(report, coaching=coaching)


def analyze_answer(
    path: str | Path,
    transcriber: Transcriber,
    targets: Targets | None = None,
    brief: Brief | None = None,
    *,
    earlier_pitch: Sequence[float] = (),
    cancel: threading.Event | None = None,
) -> AnswerReport:
    """Decode, analyse and coach one recorded answer."""
    signal = measure(load_samples(path))
    report = analyze_samples(signal, transcriber, targets, file=str(path), cancel=cancel)
    return coach_report(report, signal, brief, earlier_pitch)
