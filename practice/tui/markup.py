"""Textual markup built from text: shown as it is, and the transcript with fillers and hedges
highlighted and long pauses marked where they happened."""

from __future__ import annotations

from collections.abc import Sequence

from practice.analysis.scoring import Mark

_STYLES = {
    "filler": "$text-warning on $warning-muted",
    "likely": "$text-warning",
    "sound": "$text-warning on $warning-muted",
    "pause": "$text-accent",
    "hedge": "underline $text-secondary",
}


def literal(text: str) -> str:
    """``text`` as markup that shows it as it is. Textual's ``escape`` leaves ``[So]`` and a lone
    ``[`` alone (it escapes only what looks like a lower-case tag), yet its parser reads ``[So]``
    as a tag: every ``[`` is escaped here."""
    return text.replace("[", "\\[")


def transcript_markup(marks: Sequence[Mark], selected: tuple[float, float] | None = None) -> str:
    """Textual markup for :meth:`AnswerReport.marked_transcript`'s pieces.

    Fillers are written as in every report, ``[um]`` (a sound heard with no word of its own too)
    and ``[like?]`` for a likely one, and here also coloured: counted ones highlighted, likely
    ones in the warning colour. Hedges are underlined. Long pauses are ``⏸1.8s``. The marker
    (filler or pause) inside the ``selected`` span, from and to seconds, is shown reversed.
    """
    pieces = []
    for mark in marks:
        if mark.kind == "pause":
            text = literal(mark.text.replace(" ", ""))  # "⏸1.8s": Textual wraps at any space
        elif mark.kind in {"filler", "sound"}:
            text = literal(f"[{mark.text}]")
        elif mark.kind == "likely":
            text = literal(f"[{mark.text}?]")
        else:
            text = literal(mark.text)
        style = _STYLES.get(mark.kind)
        if style and selected is not None and mark.start < selected[1] and mark.end > selected[0]:
            style += " reverse"
        pieces.append(f"[{style}]{text}[/]" if style else text)
    return " ".join(pieces)
