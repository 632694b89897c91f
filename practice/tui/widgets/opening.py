"""What a screen or widget does as it opens, done only when it stays: never in one being removed
as it opens, whose widgets may never have mounted."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.events import Mount


def closing(node: DOMNode) -> bool:
    """Whether ``node`` is being removed: popped or dismissed, inside a widget or screen being
    removed, or the studio closing (Textual has no public word for it)."""
    return node._pruning or node._closing or node._closed or not node.is_attached


class Opening:
    """Mixed in before a Textual screen or widget class: its opening work (filling in its
    widgets, starting its workers and timers) is in :meth:`opened`, called from ``on_mount`` only
    when it is not :func:`closing`; one being removed runs no Mount handler at all, Textual's own
    (of the classes after this one) included. A subclass defines ``opened``, never ``on_mount``
    (a test checks). (A plain class, not a Widget: Textual takes a widget's CSS type names and
    default CSS from its first Widget base only.)

    Textual (8.x) sends Mount even to a widget removed as it opens (a screen popped, or the studio
    closed, within a few turns of the event loop after the push): its ``compose`` runs, but
    Textual mounts nothing into a widget being removed, so the containers it composed may be
    empty, and a handler looking for a widget inside them ended the studio with ``NoMatches``
    (Home on ``#notices`` or ``#recent-panel``, History's trends on ``#trend-score``, Textual's
    Select on its option list). One being removed does nothing here, so it also starts no worker,
    timer or callback whose result would look for its widgets. What runs later finds them:
    Textual removes a widget's children only once the widget has handled its last message, and a
    widget not being removed at its Mount had every widget it composed mounted by then.
    """

    def on_mount(self, event: Mount) -> None:
        assert isinstance(self, DOMNode)
        if closing(self):
            event.prevent_default()  # the handlers of the classes after this one neither
        else:
            self.opened()

    def opened(self) -> None:
        """What the widget does once open, its widgets all mounted (nothing by default)."""
