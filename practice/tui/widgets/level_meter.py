"""A live input level meter: a bar from -60 dBFS (empty) to 0 dBFS (full)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget

FLOOR_DBFS = -60.0


class LevelMeter(Widget):
    """Shows the latest level; the screen sets :attr:`level` from a timer, never from a queue."""

    DEFAULT_CSS = """
    LevelMeter {
        height: 1;
        width: 1fr;
    }
    """

    level: reactive[float | None] = reactive(None)

    def render(self) -> str:
        width = max(self.size.width - 17, 4)  # "level  " and " -21 dBFS"
        if self.level is None:
            return "level  " + "·" * width
        fraction = min(1.0, max(0.0, (self.level - FLOOR_DBFS) / -FLOOR_DBFS))
        filled = round(fraction * width)
        colour = "$error" if self.level > -3 else "$success"
        bar = f"[{colour}]{'█' * filled}[/]{'░' * (width - filled)}"
        shown = "  silent" if self.level <= FLOOR_DBFS else f"{self.level:4.0f} dBFS"
        return f"level  {bar} {shown}"
