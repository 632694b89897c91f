"""The studio's header: Textual's Header, with a title that follows the screen without delay."""

from __future__ import annotations

from textual.events import Mount
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class StudioHeader(Header):
    """Textual's ``Header`` (icon, title and sub-title), its title kept up to date at once.

    Textual's own (8.x) ended the app with ``NoMatches`` on ``HeaderTitle`` when a screen was
    popped, or the app closed, a few turns of the event loop after the screen was pushed (a test
    that ends as the feedback opens, the studio closed as a screen opens), two ways:

    - it watches the app's and the screen's ``title`` and ``sub_title`` with an async callback,
      whose calls are queued (on the app, the screen or the header) to run later, and nothing
      checks that the header is still there when they run: the header and its children could be
      gone by then;
    - a header mounted while its screen is being removed has no children at all (Textual mounts
      nothing into a widget being removed), and its first title update looked for one.

    Here the watchers are plain methods, which Textual runs at the change itself (and no longer
    once the header is being removed), so no call is left over for after the header is gone;
    and a header without its title widget (one that never got its children) has nothing to show.
    """

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # Textual calls each class's handler: stop before Header's
        Widget._on_mount(self, event)  # (and Widget's, called here)
        for node in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self._show_title, init=False)
        self._show_title()

    def _show_title(self) -> None:
        for title in self.query_children(HeaderTitle):
            title.update(self.format_title())
