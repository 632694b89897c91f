"""Reports for people: one answer as terminal text (and, later, sessions as Markdown/HTML/JSON)."""

from __future__ import annotations

from practice.analysis.feedback import AnswerReport, Mark


def clock(seconds: float) -> str:
    """``83.4`` → ``1:23.4``."""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def mark_text(mark: Mark) -> str:
    """A transcript piece as plain text: fillers in brackets, pauses and sounds as markers."""
    if mark.kind in {"filler", "likely"}:
        return f"[{mark.text}{'?' if mark.kind == 'likely' else ''}]"
    if mark.kind == "sound":
        return f"[{mark.text}]"
    if mark.kind == "pause":
        return f"({mark.text})"
    return mark.text


def answer_text(report: AnswerReport, title: str | None = None) -> str:
    """A readable plain-text report of one answer."""
    head = title or report.file or "answer"
    lines = [
        f"{head}  ·  {report.duration_s:.1f} s  ·  {report.engine} {report.model}",
        f"Score {report.score}/100",
    ]
    if report.no_speech:
        lines.append("  no speech detected")
        return "\n".join(lines)
    for part in report.parts:
        lines.append(f"  {part.name:<8} {part.points:4.0f}/{part.max_points:<3.0f} {part.note}")
    pace = report.pace
    if not pace.judged:
        lines.append(f"  pace     not judged (under 20 s or 40 words): {pace.wpm:.0f} wpm")
    lines.append("")
    lines.append("Transcript ([filler], [filler?] likely, (⏸ long pause)):")
    lines.append("  " + " ".join(mark_text(mark) for mark in report.marked_transcript()))
    lines.append("")
    if report.speech is not None:
        start, end = report.speech
        lines.append(f"Speech     {clock(start)} to {clock(end)} ({report.speaking_seconds:.1f} s)")
    lines.append(
        f"Pace       {pace.wpm:.0f} wpm over {pace.words} words; articulation "
        f"{pace.articulation_sps:.1f} syllables/s"
    )
    if len(pace.windows) > 1:
        trend = "  ".join(f"{clock(w.start)} {w.wpm:.0f}" for w in pace.windows)
        lines.append(f"  by 15 s   {trend}")
    by_type = ", ".join(f"{name} {count}" for name, count in report.fillers_by_type.items())
    likely = f" (+{len(report.likely_fillers)} likely)" if report.likely_fillers else ""
    lines.append(
        f"Fillers    {len(report.counted_fillers)}{likely}, "
        f"{report.fillers_per_minute:.1f}/min" + (f": {by_type}" if by_type else "")
    )
    long = report.long_pauses
    where = ", ".join(f"{clock(p.start)} {p.duration:.1f} s" for p in long)
    lines.append(
        f"Pauses     {len(report.pauses)} (≥ 0.25 s), median {report.median_pause_s:.2f} s; "
        f"{len(long)} long (≥ {report.targets.long_pause_s:g} s)" + (f": {where}" if where else "")
    )
    return "\n".join(lines)
