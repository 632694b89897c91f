"""The S/T/A/R bar: how a behavioural answer's time split between its parts, against the budget."""

from __future__ import annotations

from textual.widget import Widget

from practice.analysis.coaching.structure import BUDGET, PARTS, Structure

COLOURS = {
    "situation": "$primary",
    "task": "$secondary",
    "action": "$success",
    "result": "$warning",
}


def bar_markup(structure: Structure, width: int) -> str:
    """Two lines: the parts as coloured blocks in the order spoken (each as wide as its share
    of the time, with its letter), then each part's share against its budget."""
    spans = [(p.part, p.end - p.start) for p in structure.parts]
    total = sum(seconds for _part, seconds in spans) or 1.0
    cells: list[str] = []
    used = 0
    for index, (part, seconds) in enumerate(spans):
        size = width - used if index == len(spans) - 1 else round(width * seconds / total)
        size = max(1, min(size, width - used))
        used += size
        if size <= 0:
            break
        letter = part[0].upper()
        label = (f" {letter} " if size >= 3 else letter[:size]).ljust(size)
        cells.append(f"[{COLOURS[part]} reverse]{label}[/]")
    shares = []
    for part in PARTS:
        letter = part[0].upper()
        if part in structure.missing:
            shares.append(f"[$error]{letter} missing[/]")
        else:
            long = " [$error]long[/]" if part in structure.too_long else ""
            share = structure.shares.get(part, 0.0)
            shares.append(f"{letter} {share:.0%}/{BUDGET[part]:.0%}{long}")
    return "".join(cells) + "\n" + " · ".join(shares) + "  [$text-muted](share/budget)[/]"


class StarBar(Widget):
    """Shows one answer's STAR structure (see :func:`bar_markup`)."""

    DEFAULT_CSS = """
    StarBar {
        height: 2;
        width: 1fr;
    }
    """

    def __init__(self, structure: Structure, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.structure = structure

    def render(self) -> str:
        return bar_markup(self.structure, max(self.size.width, 8))
