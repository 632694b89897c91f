"""Settings: defaults, saving and loading, and one-line errors for bad files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from practice import workspace
from practice.settings import Settings, SettingsError, load_settings, save_settings


@pytest.fixture
def place(isolated_home: Path) -> workspace.Workspace:
    return workspace.resolve()


def test_no_file_gives_the_defaults(place: workspace.Workspace) -> None:
    assert not place.config_file.exists()
    settings = load_settings(place)
    assert settings == Settings()
    assert settings.rate == 175
    assert settings.silence_stop_seconds == 4.0
    assert settings.engine == "faster-whisper"
    assert settings.voice is None


def test_save_then_load_round_trips_and_writes_only_changes(place: workspace.Workspace) -> None:
    changed = dataclasses.replace(
        Settings(), rate=150, input_device="USB mic", natural_voice=True, volume=0.5
    )
    save_settings(place, changed)
    assert load_settings(place) == changed
    text = place.config_file.read_text()
    assert 'input_device = "USB mic"' in text
    assert "engine" not in text  # defaults are not written
    assert [p.name for p in place.config_file.parent.iterdir()] == ["config.toml"]


def test_saving_replaces_the_file_atomically(place: workspace.Workspace) -> None:
    save_settings(place, dataclasses.replace(Settings(), rate=150))
    before = place.config_file.stat().st_ino
    save_settings(place, dataclasses.replace(Settings(), rate=160))
    assert place.config_file.stat().st_ino != before  # a new file renamed over the old one
    assert load_settings(place).rate == 160


def _write(place: workspace.Workspace, text: str) -> None:
    place.config_file.parent.mkdir(parents=True, exist_ok=True)
    place.config_file.write_text(text)


def _error(place: workspace.Workspace) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(place)
    message = str(caught.value)
    assert "\n" not in message
    assert str(place.config_file) in message
    return message


def test_invalid_toml_names_the_file_and_line(place: workspace.Workspace) -> None:
    _write(place, 'rate = 150\nvoice = "en\n')
    assert f"{place.config_file}:2:" in _error(place)


def test_unknown_key_suggests_the_right_one(place: workspace.Workspace) -> None:
    _write(place, "rate = 150\n\nsilence_stop_second = 3\n")
    message = _error(place)
    assert message.startswith(f"{place.config_file}:3: silence_stop_second: ")
    assert "unknown setting 'silence_stop_second'" in message
    assert "did you mean 'silence_stop_seconds'" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('rate = "fast"', "rate: must be a whole number"),
        ("rate = true", "rate: must be a whole number"),
        ("natural_voice = 1", "natural_voice: must be true or false"),
        ("volume = 3.0", "volume: must be between 0.0 and 1.0"),
        ("pace_low = 200", "pace_low: (200) must be below pace_high (165)"),
        ("voice = 3", "voice: must be text"),
    ],
)
def test_bad_values_name_the_line_and_field(
    place: workspace.Workspace, line: str, expected: str
) -> None:
    _write(place, f"# my settings\n{line}\n")
    message = _error(place)
    assert message.startswith(f"{place.config_file}:2: ")
    assert expected in message


def test_integers_are_accepted_for_decimal_settings(place: workspace.Workspace) -> None:
    _write(place, "silence_stop_seconds = 0\nvolume = 1\n")
    settings = load_settings(place)
    assert settings.silence_stop_seconds == 0
    assert settings.volume == 1


def test_invalid_settings_cannot_be_built() -> None:
    with pytest.raises(SettingsError, match="rate must be between"):
        dataclasses.replace(Settings(), rate=5)
