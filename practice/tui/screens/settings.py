"""Edit the settings: one line per setting, checked by :class:`Settings` itself on save.

Yes/no settings are checkboxes; the voice, the microphone and the speaker are lists of what this
machine has (filled in by a worker: listing them takes a moment), with "default" first; the other
settings are typed. An error names the field by its label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select

from practice.errors import PracticeError
from practice.settings import Settings, SettingsError
from practice.text import printable
from practice.tui.widgets.opening import Opening
from practice.tui.widgets.select import StudioSelect

# (field, label): what the dialog edits, in order. Text fields left empty mean "the default".
EDITED = (
    ("voice", "Voice"),
    ("rate", "Voice rate, words/min"),
    ("natural_voice", "Natural voice (Piper)"),
    ("input_device", "Microphone"),
    ("output_device", "Speaker"),
    ("engine", "Speech engine"),
    ("model", "Model (empty: tiny.en)"),
    ("auto_record", "Record when asked"),
    ("silence_stop_seconds", "Stop after silence, s (0: never)"),
    ("max_answer_seconds", "Longest answer, s"),
    ("pace_low", "Pace band from, wpm"),
    ("pace_high", "Pace band to, wpm"),
    ("long_pause_seconds", "Long pause from, s"),
    ("keep_audio", "Keep recordings"),
)
LABELS = dict(EDITED)
CHOSEN = ("voice", "input_device", "output_device")
"""Settings picked from a list of what the machine has (see :class:`Choices`)."""
Choices = dict[str, Sequence[tuple[str, str]]]
"""Per chosen setting, the (shown, value) options the machine has."""
APPLY_LATER = ("voice", "rate", "natural_voice", "input_device", "output_device", "engine", "model")
"""Settings that take effect the next time practice starts (they shape the services)."""
_KINDS = {field.name: str(field.type) for field in fields(Settings)}


def shown_value(value: object) -> str:
    """A typed setting as the dialog shows it: None as empty."""
    return "" if value is None else str(value)


def parse(name: str, text: str) -> Any:
    """A field's text as the value :class:`Settings` expects (an error names its label)."""
    kind = _KINDS[name]
    text = text.strip()
    label = LABELS.get(name, name)
    if kind == "str | None":
        return text or None
    if kind == "str":
        return text
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        noun = "a whole number" if kind == "int" else "a number"
        raise SettingsError(f"{label}: {noun}, not {text!r}") from None


class ChoicesListed(Message):
    def __init__(self, choices: Choices) -> None:
        super().__init__()
        self.choices = choices


class SettingsScreen(Opening, ModalScreen[Settings | None]):
    """Dismisses with the new settings (not yet saved), or None when cancelled.

    ``choices`` lists what the machine offers for the voice and the devices (slow: a worker
    calls it); without it, only the default and the current value are offered."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, settings: Settings, choices: Callable[[], Choices] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="settings"):
            yield Label("Settings  (ctrl+s saves, Esc cancels)", classes="dialog-title")
            with VerticalScroll(id="settings-fields"):
                for name, label in EDITED:
                    value = getattr(self.settings, name)
                    with Horizontal(classes="setting"):
                        yield Label(label, classes="setting-label")
                        if isinstance(value, bool):
                            yield Checkbox("yes", value, id=name, compact=True)
                        elif name in CHOSEN:
                            yield StudioSelect(
                                self._options(name, ()),
                                prompt="default",
                                value=Select.NULL if value is None else str(value),
                                id=name,
                                compact=True,
                            )
                        else:
                            yield Input(shown_value(value), id=name, compact=True)
            yield Label(
                "Voice, devices and the speech model apply when practice next starts.",
                classes="setting-note",
            )
            yield Label("", id="settings-error", classes="error")

    def _options(self, name: str, offered: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """What the machine offers, and the current value when it is not among them."""
        options = list(offered)
        current = getattr(self.settings, name)
        if current is not None and str(current) not in {value for _shown, value in options}:
            shown = f"{current} (not found now)" if offered else str(current)
            options.insert(0, (shown, str(current)))
        return options

    def opened(self) -> None:
        self.query_one("#voice", Select).focus()  # the first field
        if self.choices is not None:
            self._list_choices(self.choices)

    @work(thread=True, exclusive=True, exit_on_error=False, group="choices")
    def _list_choices(self, choices: Callable[[], Choices]) -> None:
        self.post_message(ChoicesListed(choices()))

    def on_choices_listed(self, message: ChoicesListed) -> None:
        for name in CHOSEN:
            select: Select[str] = self.query_one(f"#{name}", Select)
            value = select.value
            select.set_options(self._options(name, message.choices.get(name, ())))
            if value != Select.NULL:
                select.value = value

    def edited(self) -> Settings:
        """The settings as the fields say (raises PracticeError naming the bad field)."""
        values: dict[str, Any] = {}
        for name, _label in EDITED:
            widget = self.query_one(f"#{name}")
            if isinstance(widget, Checkbox):
                values[name] = widget.value
            elif isinstance(widget, Select):
                values[name] = None if widget.is_blank() else str(widget.value)
            else:
                assert isinstance(widget, Input)
                values[name] = parse(name, widget.value)
        return replace(self.settings, **values)

    def action_save(self) -> None:
        try:
            settings = self.edited()
        except PracticeError as error:
            self.query_one("#settings-error", Label).update(escape(printable(str(error))))
            return
        self.dismiss(settings)

    def action_cancel(self) -> None:
        self.dismiss(None)
