"""Edit the settings: one line per setting, checked by :class:`Settings` itself on save."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from practice.errors import PracticeError
from practice.settings import Settings, SettingsError
from practice.text import printable

# (field, label): what the dialog edits, in order. Text fields left empty mean "the default".
EDITED = (
    ("voice", "Voice (empty: default)"),
    ("rate", "Voice rate, words/min"),
    ("natural_voice", "Natural voice (Piper), yes/no"),
    ("input_device", "Microphone (empty: default)"),
    ("output_device", "Speaker (empty: default)"),
    ("engine", "Speech engine"),
    ("model", "Model (empty: tiny.en)"),
    ("auto_record", "Record when asked, yes/no"),
    ("silence_stop_seconds", "Stop after silence, s (0: never)"),
    ("max_answer_seconds", "Longest answer, s"),
    ("pace_low", "Pace band from, wpm"),
    ("pace_high", "Pace band to, wpm"),
    ("long_pause_seconds", "Long pause from, s"),
    ("keep_audio", "Keep recordings, yes/no"),
)
APPLY_LATER = ("voice", "rate", "natural_voice", "input_device", "output_device", "engine", "model")
"""Settings that take effect the next time practice starts (they shape the services)."""
_KINDS = {field.name: str(field.type) for field in fields(Settings)}


_YES_NO = {"yes": True, "y": True, "true": True, "on": True}
_YES_NO |= {"no": False, "n": False, "false": False, "off": False}


def shown_value(value: object) -> str:
    """A setting as the dialog shows it: booleans as yes/no, None as empty."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def parse(name: str, text: str) -> Any:
    """A field's text as the value :class:`Settings` expects."""
    kind = _KINDS[name]
    text = text.strip()
    if kind == "bool":
        answer = _YES_NO.get(text.casefold())
        if answer is None:
            raise SettingsError(f"{name} must be yes or no, not {text!r}")
        return answer
    if kind == "str | None":
        return text or None
    if kind == "str":
        return text
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        noun = "a whole number" if kind == "int" else "a number"
        raise SettingsError(f"{name} must be {noun}, not {text!r}") from None


class SettingsScreen(ModalScreen[Settings | None]):
    """Dismisses with the new settings (not yet saved), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="settings"):
            yield Label("Settings  (ctrl+s saves, Esc cancels)", classes="dialog-title")
            with VerticalScroll(id="settings-fields"):
                for name, label in EDITED:
                    value = getattr(self.settings, name)
                    with Horizontal(classes="setting"):
                        yield Label(label, classes="setting-label")
                        yield Input(shown_value(value), id=name, compact=True)
            yield Label(
                "Voice, devices and the speech model apply when practice next starts.",
                classes="setting-note",
            )
            yield Label("", id="settings-error", classes="error")

    def edited(self) -> Settings:
        """The settings as the fields say (raises PracticeError naming the bad field)."""
        values = {
            name: parse(name, self.query_one(f"#{name}", Input).value) for name, _label in EDITED
        }
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
