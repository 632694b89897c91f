"""The studio's Select: Textual's, safe to remove as it opens."""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import Select

from practice.tui.widgets.opening import Opening

SelectType = TypeVar("SelectType")


class StudioSelect(Opening, Select[SelectType]):
    """Textual's ``Select``, whose own Mount handler (8.x) looks for its option list, which a
    Select removed as it opens (its dialog closed as it opened) never got: that ended the studio
    with ``NoMatches`` on ``SelectOverlay``. Here a Select being removed skips it."""
