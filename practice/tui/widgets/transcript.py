"""The transcript with fillers and hedges highlighted and long pauses marked where they happened."""

from __future__ import annotations

from collections.abc import Sequence

from textual.markup import escape

from practice.analysis.feedback import Mark

_STYLES = {
    "filler": "$text-warning on $warning-muted",
    "likely": "$text-warning",
    "sound": "$text-warning on $warning-muted",
    "pause": "$text-accent",
    "hedge": "underline $text-secondary",
}


def transcript_markup(marks: Sequence[Mark], selected: tuple[float, float] | None = None) -> str:
    """Textual markup for :meth:`AnswerReport.marked_transcript`'s pieces.

    Counted fillers are highlighted, likely ones are coloured with a ``?``, hedges underlined,
    sounds heard with no word of their own are shown in brackets, and long pauses as ``⏸1.8s``.
    The marker (filler or pause) inside the ``selected`` span, from and to seconds, is shown
    reversed.
    """
    pieces = []
    for mark in marks:
        text = escape(mark.text)
        if mark.kind == "pause":
            text = text.replace(" ", "")  # "⏸1.8s": Textual wraps at any space
        elif mark.kind == "likely":
            text += "?"
        elif mark.kind == "sound":
            text = f"({text})"
        style = _STYLES.get(mark.kind)
        if style and selected is not None and mark.start < selected[1] and mark.end > selected[0]:
            style += " reverse"
        pieces.append(f"[{style}]{text}[/]" if style else text)
    return " ".join(pieces)
