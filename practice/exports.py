"""Reports for people: one answer as terminal text; a session as text, Markdown, HTML or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from html import escape

from practice.analysis.coaching import Coaching
from practice.analysis.scoring import AnswerReport, Mark, ScorePart, tenths
from practice.records import Attempt, QuestionRef, Session
from practice.text import points_text
from practice.times import clock, when


def mark_text(mark: Mark) -> str:
    """A transcript piece as plain text: fillers in brackets, pauses and sounds as markers."""
    if mark.kind in {"filler", "likely"}:
        return f"[{mark.text}{'?' if mark.kind == 'likely' else ''}]"
    if mark.kind == "sound":
        return f"[{mark.text}]"
    if mark.kind == "pause":
        return f"({mark.text})"
    if mark.kind == "hedge":
        return f"<{mark.text}>"
    return mark.text


def coaching_rows(coaching: Coaching, *, spoken: bool = True) -> list[tuple[str, str]]:
    """The coaching of one answer as (name, what was found) rows, headline first; a typed answer
    (not ``spoken``) is shown without times."""
    rows = [("headline", coaching.headline)]
    structure = coaching.structure
    if structure is not None:
        shares = " · ".join(
            f"{part} {share:.0%}" for part, share in structure.shares.items() if share
        )
        missing = ", ".join(structure.missing) or "none"
        long = f"; too long: {', '.join(structure.too_long)}" if structure.too_long else ""
        rows.append(("structure", f"{shares}; missing: {missing}{long}"))
    if coaching.kind != "asking":
        rows.append(("result", "quantified" if coaching.result_quantified else "no number"))
        heavy = " (we-heavy)" if coaching.i_we.we_heavy else ""
        rows.append(("I / we", f"{coaching.i_we.i} / {coaching.i_we.we}{heavy}"))
    hedges = ", ".join(
        f"'{h.said}' {clock(h.start, tenths=True)}" if spoken else f"'{h.said}'"
        for h in coaching.hedges
    )
    rows.append(("hedges", f"{len(coaching.hedges)}" + (f": {hedges}" if hedges else "")))
    if coaching.repeats:
        rows.append(("repeats", ", ".join(f"'{r.text}' ×{r.count}" for r in coaching.repeats)))
    question = coaching.question
    if question is not None:
        if question.count:
            preamble = (
                f", after {question.preamble_s:.0f} s" if question.preamble_s and spoken else ""
            )
            said = (
                f"{'ends in' if question.asked else 'does not end in'} a question; "
                f"{question.count} asked, {question.kind}{preamble}"
            )
        else:
            said = "no question asked"
        rows.append(("question", said))
    if coaching.points:
        covered = sum(point.mentioned for point in coaching.points)
        each = "; ".join(
            f"{'✓' if p.mentioned else '✗'} {p.point}"
            + (f" ({', '.join(p.found)})" if p.found else "")
            for p in coaching.points
        )
        rows.append(("points", f"{covered} of {len(coaching.points)} covered: {each}"))
    pitch = coaching.pitch
    if pitch.range_semitones is not None:
        flat = ", flat" if pitch.flat else ""
        rows.append(("pitch", f"range {pitch.range_semitones:.1f} semitones{flat}"))
    trailing = coaching.trailing
    if trailing is not None and trailing.sentences:
        faded = f"{len(trailing.fades)} of {trailing.sentences} sentence ends faded"
        rows.append(("trailing", faded + (" (trailing off)" if trailing.trails_off else "")))
    return rows


def _md_coaching(rows: list[tuple[str, str]]) -> list[str]:
    """Coaching rows as Markdown: the headline, then a list."""
    return [
        "",
        f"**Coaching:** {_md(rows[0][1])}",
        "",
        *(f"- **{_md(name)}** {_md(value)}" for name, value in rows[1:]),
    ]


def _html_coaching(rows: list[tuple[str, str]]) -> list[str]:
    """Coaching rows as HTML: the headline, then a list."""
    items = "".join(
        f"<li><strong>{escape(name)}</strong> {escape(value)}</li>" for name, value in rows[1:]
    )
    return [f'<p class="headline">{escape(rows[0][1])}</p>', f'<ul class="coaching">{items}</ul>']


def answer_text(report: AnswerReport, title: str | None = None) -> str:
    """A readable plain-text report of one answer."""
    head = title or report.file or "answer"
    lines = [
        f"{head}  ·  {report.duration_s:.1f} s  ·  {report.engine} {report.model}",
        report.headline,
    ]
    if report.no_speech:
        return "\n".join(lines)
    for part in report.parts:
        lines.append(f"  {part.name:<8} {points(report, part):>7} {part.note}")
    pace = report.pace
    if not pace.judged:
        lines.append(f"  pace     not judged (under 20 s or 40 words): {pace.wpm:.0f} wpm")
    if report.coaching is not None:
        lines.append("")
        for name, value in coaching_rows(report.coaching):
            lines.append(f"  {name:<10} {value}" if name != "headline" else f"Coaching: {value}")
    lines.append("")
    lines.append("Transcript ([filler], [filler?] likely, <hedge>, (⏸ long pause)):")
    lines.append("  " + " ".join(mark_text(mark) for mark in report.marked_transcript()))
    lines.append("")
    if report.speech is not None:
        start, end = report.speech
        lines.append(
            f"Speech     {clock(start, tenths=True)} to {clock(end, tenths=True)} "
            f"({report.speaking_seconds:.1f} s)"
        )
    lines.append(
        f"Pace       {pace.wpm:.0f} wpm over {pace.words} words; articulation "
        f"{pace.articulation_sps:.1f} syllables/s"
    )
    if len(pace.windows) > 1:
        trend = "  ".join(f"{clock(w.start, tenths=True)} {w.wpm:.0f}" for w in pace.windows)
        lines.append(f"  by 15 s   {trend}")
    by_type = ", ".join(f"{name} {count}" for name, count in report.fillers_by_type.items())
    likely = f" (+{len(report.likely_fillers)} likely)" if report.likely_fillers else ""
    lines.append(
        f"Fillers    {len(report.counted_fillers)}{likely}, "
        f"{report.fillers_per_minute:.1f}/min" + (f": {by_type}" if by_type else "")
    )
    long = report.long_pauses
    where = ", ".join(f"{clock(p.start, tenths=True)} {tenths(p.duration)} s" for p in long)
    lines.append(
        f"Pauses     {len(report.pauses)} (≥ 0.25 s), median {report.median_pause_s:.2f} s; "
        f"{len(long)} long (≥ {report.targets.long_pause_s:g} s)" + (f": {where}" if where else "")
    )
    return "\n".join(lines)


def points(report: AnswerReport, part: ScorePart) -> str:
    """A part's points as shown (``27/30``); ``–/30`` when the answer is too short to score."""
    if report.score is None:
        return f"–/{part.max_points:g}"
    return points_text(part.points, part.max_points)


# Sessions ------------------------------------------------------------------------------------


def session_text(session: Session) -> str:
    """A whole session as terminal text (``practice show``)."""
    lines = [
        f"{session.bank_name}  ·  {when(session.started)}  ·  session {session.id}",
        "  ".join(f"{name} {value}" for name, value in _session_numbers(session)),
    ]
    for index, question in enumerate(session.questions):
        lines += ["", f"Q{index + 1}. {question.text}"]
        attempts = session.attempts_at(index)
        if not attempts:
            lines.append("  not answered")
        for attempt in attempts:
            lines.append(f"  Attempt {attempt.number} · {_attempt_status(session, attempt)}")
            if attempt.report is not None:
                body = answer_text(attempt.report, f"Attempt {attempt.number}")
                lines += [("    " + line).rstrip() for line in body.splitlines()[1:]]
            elif attempt.typed_text is not None:
                lines.append(f"    {attempt.typed_text}")
                if attempt.coaching is not None:
                    for name, value in coaching_rows(attempt.coaching, spoken=False):
                        head = "Coaching:" if name == "headline" else f"  {name:<10}"
                        lines.append(f"    {head} {value}")
        if question.tips and attempts:
            lines.append(f"  Tip: {question.tips}")
    return "\n".join(lines)


def session_json(session: Session) -> str:
    """A session as JSON: ``session.json``'s content plus the session's summary numbers."""
    data = session.to_json()
    data["summary"] = {
        "score": session.score,
        "answers": session.answers,
        "wpm": _rounded(session.wpm, 1),
        "fillers_per_minute": _rounded(session.fillers_per_minute, 2),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#])")


def _md(text: str) -> str:
    """Text escaped for Markdown (inline, never at the start of a line)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_mark(mark: Mark) -> str:
    if mark.kind in {"filler", "sound", "likely"}:
        # written as in the terminal ([um], [like?]), and emphasised
        text = _md(mark_text(mark))
        return f"*{text}*" if mark.kind == "likely" else f"**{text}**"
    text = _md(mark.text)
    if mark.kind == "pause":
        return f"_({text})_"
    if mark.kind == "hedge":
        return f"<u>{text}</u>"
    return text


def _md_table(rows: Sequence[tuple[str, str]]) -> list[str]:
    return [
        "| " + " | ".join(_md(name) for name, _ in rows) + " |",
        "|" + "---|" * len(rows),
        "| " + " | ".join(_md(value) for _, value in rows) + " |",
    ]


def session_markdown(session: Session) -> str:
    """A session as Markdown: the numbers, and every attempt's highlighted transcript."""
    lines = [
        f"# Practice session: {_md(session.bank_name)}",
        "",
        f"Started {_md(when(session.started))} · session `{session.id}` · "
        f"practice {_md(session.app_version)}",
        "",
        *_md_table(_session_numbers(session)),
        "",
        "Transcripts: **\\[filler]**, *\\[likely filler?]*, <u>hedge</u>, _(⏸ long pause)_.",
    ]
    for index, question in enumerate(session.questions):
        lines += ["", f"## {index + 1}. {_md(question.text)}"]
        about = _question_about(question)
        if about:
            lines += ["", f"*{_md(about)}*"]
        attempts = session.attempts_at(index)
        if not attempts:
            lines += ["", "Not answered."]
        for attempt in attempts:
            lines += [
                "",
                f"### Attempt {attempt.number} · {_md(_attempt_status(session, attempt))}",
            ]
            report = attempt.report
            if report is not None and not report.no_speech:
                lines += ["", *_md_table(_attempt_numbers(attempt, report)), ""]
                lines += [
                    f"- **{_md(p.name)}** {points(report, p)}: {_md(p.note)}" for p in report.parts
                ]
                if report.coaching is not None:
                    lines += _md_coaching(coaching_rows(report.coaching))
                marks = " ".join(_md_mark(mark) for mark in report.marked_transcript())
                lines += ["", f"**Transcript:** {marks}"]
            elif report is not None:
                lines += ["", "No speech detected."]
            elif attempt.typed_text is not None:
                lines += ["", f"**Typed answer:** {_md(attempt.typed_text)}"]
                if attempt.coaching is not None:
                    lines += _md_coaching(coaching_rows(attempt.coaching, spoken=False))
        if question.tips and attempts:
            lines += ["", f"> **Tip:** {_md(question.tips)}"]
    return "\n".join(lines) + "\n"


_CSS = """
:root { color-scheme: light dark; --muted: #666; --line: #ccc; --filler: #ffd9a8;
  --likely: #fff3b0; --pause: #cfe3ff; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; --filler: #7a4a10;
  --likely: #5c5210; --pause: #1d3f6e; } }
body { font: 16px/1.55 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-bottom: .4rem; }
.meta, .about, .legend { color: var(--muted); }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; }
th { font-weight: 600; }
ul.parts { padding-left: 1.2rem; margin: .4rem 0; }
.transcript { border-left: 3px solid var(--line); padding-left: .8rem; }
.tip { border-left: 3px solid var(--pause); padding-left: .8rem; }
.filler, .sound { background: var(--filler); border-radius: 3px; padding: 0 .15em;
  font-weight: 600; }
.likely { background: var(--likely); border-radius: 3px; padding: 0 .15em; }
.pause { background: var(--pause); border-radius: 3px; padding: 0 .25em; font-size: .9em; }
.hedge { text-decoration: underline wavy; text-underline-offset: 3px; }
.headline { font-weight: 600; }
""".strip()

_HTML_TITLE = {
    "filler": "filler",
    "likely": "likely filler",
    "sound": "filler sound",
    "pause": "long pause",
    "hedge": "hedge",
}


def _html_mark(mark: Mark) -> str:
    text = escape(mark.text)
    if mark.kind not in _HTML_TITLE:
        return text
    return (
        f'<span class="{mark.kind}" title="{_HTML_TITLE[mark.kind]} at '
        f'{clock(mark.start, tenths=True)}">{text}</span>'
    )


def _html_table(rows: Sequence[tuple[str, str]]) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in rows)
    body = "".join(f"<td>{escape(value)}</td>" for _, value in rows)
    return f"<table><tr>{head}</tr><tr>{body}</tr></table>"


def session_html(session: Session) -> str:
    """A session as one self-contained HTML page (inline CSS; no scripts, no links)."""
    title = f"Practice session: {session.bank_name}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} · {escape(when(session.started))}</title>",
        f"<style>\n{_CSS}\n</style></head>",
        "<body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Started {escape(when(session.started))} · session '
        f"<code>{escape(session.id)}</code> · practice {escape(session.app_version)}</p>",
        _html_table(_session_numbers(session)),
        '<p class="legend">Transcripts: <span class="filler">filler</span> '
        '<span class="likely">likely filler</span> <span class="hedge">hedge</span> '
        '<span class="pause">⏸ long pause</span></p>',
    ]
    for index, question in enumerate(session.questions):
        out.append(f"<section><h2>{index + 1}. {escape(question.text)}</h2>")
        about = _question_about(question)
        if about:
            out.append(f'<p class="about">{escape(about)}</p>')
        attempts = session.attempts_at(index)
        if not attempts:
            out.append("<p>Not answered.</p>")
        for attempt in attempts:
            status = escape(_attempt_status(session, attempt))
            out.append(f"<h3>Attempt {attempt.number} · {status}</h3>")
            report = attempt.report
            if report is not None and not report.no_speech:
                out.append(_html_table(_attempt_numbers(attempt, report)))
                parts = "".join(
                    f"<li><strong>{escape(p.name)}</strong> {points(report, p)}: "
                    f"{escape(p.note)}</li>"
                    for p in report.parts
                )
                out.append(f'<ul class="parts">{parts}</ul>')
                if report.coaching is not None:
                    out += _html_coaching(coaching_rows(report.coaching))
                marks = " ".join(_html_mark(mark) for mark in report.marked_transcript())
                out.append(f'<p class="transcript">{marks}</p>')
            elif report is not None:
                out.append("<p>No speech detected.</p>")
            elif attempt.typed_text is not None:
                out.append(f'<p class="transcript">{escape(attempt.typed_text)}</p>')
                if attempt.coaching is not None:
                    out += _html_coaching(coaching_rows(attempt.coaching, spoken=False))
        if question.tips and attempts:
            out.append(f'<p class="tip"><strong>Tip:</strong> {escape(question.tips)}</p>')
        out.append("</section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


EXPORTS: dict[str, Callable[[Session], str]] = {
    "md": session_markdown,
    "html": session_html,
    "json": session_json,
}
"""``practice report --format`` → the function that writes the session in that format."""


def _session_numbers(session: Session) -> list[tuple[str, str]]:
    return [
        ("Score", "–" if session.score is None else f"{session.score}/100"),
        ("Answers", f"{session.answers} of {len(session.questions)}"),
        ("Pace", "–" if session.wpm is None else f"{session.wpm:.0f} wpm"),
        (
            "Fillers",
            "–" if session.fillers_per_minute is None else f"{session.fillers_per_minute:.1f}/min",
        ),
    ]


def _attempt_numbers(attempt: Attempt, report: AnswerReport) -> list[tuple[str, str]]:
    likely = f" (+{len(report.likely_fillers)} likely)" if report.likely_fillers else ""
    rows = [
        ("Score", "too short" if report.score is None else f"{report.score}/100"),
        ("Length", f"{report.speaking_seconds:.0f} s"),
        ("Pace", f"{report.pace.wpm:.0f} wpm"),
        (
            "Fillers",
            f"{len(report.counted_fillers)}{likely}, {report.fillers_per_minute:.1f}/min",
        ),
        (
            "Long pauses",
            f"{len(report.long_pauses)}, longest {tenths(report.longest_pause_s)} s",
        ),
    ]
    if attempt.latency_s is not None:
        rows.append(("Time to start", f"{attempt.latency_s:.1f} s"))
    return rows


def _attempt_status(session: Session, attempt: Attempt) -> str:
    """When the attempt was made and what is left of it: audio, typed text, or an error."""
    parts = [when(attempt.recorded_at)]
    if attempt.error is not None:
        parts.append(f"failed: {attempt.error}")
    elif attempt.audio is not None:
        present = (session.folder / attempt.audio).is_file()
        parts.append(f"audio {attempt.audio}" if present else f"audio {attempt.audio} missing")
    elif attempt.report is not None:
        parts.append("audio not kept")
    elif attempt.typed_text is not None:
        parts.append("typed")
    return " · ".join(parts)


def _question_about(question: QuestionRef) -> str:
    parts = [question.category or ""]
    if question.answer_seconds:
        parts.append(f"target {question.answer_seconds} s")
    if question.talking_points:
        parts.append("talking points: " + "; ".join(question.talking_points))
    return " · ".join(part for part in parts if part)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
