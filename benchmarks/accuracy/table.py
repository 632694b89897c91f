"""The benchmark's printed table: one column per split (dev, held-out test)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from benchmarks.accuracy.score import Counts, Summary

_LABEL = 30
_COLUMN = 22


def _prf(counts: Counts | None) -> str:
    if counts is None:
        return "-"
    return f"{counts.precision:.3f} {counts.recall:.3f} {counts.f1:.3f}"


def _row(label: str, cells: list[str]) -> str:
    return f"{label:<{_LABEL}}" + "".join(f"{cell:<{_COLUMN}}" for cell in cells).rstrip()


def format_table(summaries: Mapping[str, Summary | None]) -> str:
    """Render summaries keyed by split name (columns, in order); ``None`` means no answers."""
    splits = list(summaries)
    present = [summary for summary in summaries.values() if summary is not None]

    def cells(value: Callable[[Summary], str]) -> list[str]:
        return [value(s) if s is not None else "-" for s in summaries.values()]

    lines = [
        _row("", [f"{name} ({s.answers if s else 0} answers)" for name, s in summaries.items()]),
        _row("fillers P R F1", cells(lambda s: _prf(s.fillers))),
        _row("  type-agnostic P R F1", cells(lambda s: _prf(s.fillers_any_type))),
        _row("  hesitations alone P R F1", cells(lambda s: _prf(s.hesitations))),
        _row("  count error, mean |diff|", cells(lambda s: f"{s.count_error_mean_abs:.2f}")),
        _row("pauses >= 1 s P R F1", cells(lambda s: _prf(s.pauses))),
        _row(
            "WPM error median / max",
            cells(lambda s: f"{s.wpm_error_median:.1%} / {s.wpm_error_max:.1%}"),
        ),
        _row("WER", cells(lambda s: f"{s.wer:.1%}")),
        _row("analysis s/answer median/max", cells(_seconds)),
        _row("analysis s per audio minute", cells(_per_minute)),
        "",
        _row("fillers by voice (P R F1)", ["" for _ in splits]),
    ]
    voices = sorted({voice for s in present for voice in s.by_voice})
    for voice in voices:
        lines.append(_row(f"  {voice}", cells(_voice_cell(voice))))
    lines += ["", _row("fillers by type (P R F1 n)", ["" for _ in splits])]
    kinds: list[str] = []
    for summary in present:
        kinds += [kind for kind in summary.by_type if kind not in kinds]
    for kind in kinds:
        lines.append(_row(f"  {kind}", cells(_type_cell(kind))))
    return "\n".join(lines)


def _voice_cell(voice: str) -> Callable[[Summary], str]:
    return lambda summary: _prf(summary.by_voice.get(voice))


def _type_cell(kind: str) -> Callable[[Summary], str]:
    def cell(summary: Summary) -> str:
        counts = summary.by_type.get(kind)
        return "-" if counts is None else f"{_prf(counts)} {counts.tp + counts.fn}"

    return cell


def _seconds(summary: Summary) -> str:
    if summary.seconds_median is None or summary.seconds_max is None:
        return "not timed"
    return f"{summary.seconds_median:.2f} / {summary.seconds_max:.2f}"


def _per_minute(summary: Summary) -> str:
    return (
        "not timed" if summary.seconds_per_minute is None else f"{summary.seconds_per_minute:.2f}"
    )
