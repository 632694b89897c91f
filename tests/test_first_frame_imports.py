"""The studio's first screen imports nothing heavy (issue 14: first frame under 500 ms).

``practice`` is started with no arguments in a pseudo-terminal, as a person starts it, and the
modules loaded when Home has been drawn are noted (Home checks the devices once it is drawn: the
test looks instead, and closes the studio). numpy and the speech engines load later: numpy with
the first recording or report, faster-whisper when the model loads. What only later screens and
commands use loads with them: the coaching, the report and its scoring, the practice plan (and
fsrs), drills, comparisons, exports and the other screens; the recent sessions and today's plan
are read in workers started after the first frame. PortAudio (sounddevice) is the one exception,
on purpose: starting it points fd 2 at /dev/null for a moment, and the UI draws on fd 2, so it
starts before the app takes the terminal, on a thread while the app is imported
(tests/test_tui_terminal.py shows Home is drawn whole). What was made before the app ran is left
out of the garbage collector's passes (``gc.freeze``).
"""

import json
import os
import sys
import time
from pathlib import Path

from tests.test_tui_terminal import ROOT, Terminal

HEAVY = {"numpy", "faster_whisper", "ctranslate2", "soundfile", "soxr", "av", "torch"}
LATER = {
    "fsrs",
    "practice.analysis.coaching",
    "practice.analysis.scoring",
    "practice.compare",
    "practice.drills",
    "practice.exports",
    "practice.kit",
    "practice.plan",
}
FIRST_SCREEN = {"practice.tui.screens.base", "practice.tui.screens.home"}

FIRST_FRAME = """
import gc, json, sys
from practice.cli import main
from practice.tui.screens.home import HomeScreen

def drawn(screen):
    seen = {
        "modules": sorted(sys.modules),
        "banks": screen.query_one("#banks").row_count,
        "frozen": gc.get_freeze_count(),
    }
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(seen, out)
    screen.app.exit()

HomeScreen._check_devices = drawn
sys.exit(main([]))
"""


def test_home_is_drawn_before_anything_heavy_is_imported(
    isolated_home: Path, tmp_path: Path
) -> None:
    noted = tmp_path / "first-frame.json"
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    terminal = Terminal([sys.executable, "-c", FIRST_FRAME, str(noted)], env, 80, 24)
    deadline = time.monotonic() + 60
    status = None
    while status is None and time.monotonic() < deadline:
        terminal.read(0.1)
        done, code = os.waitpid(terminal.pid, os.WNOHANG)
        status = os.waitstatus_to_exitcode(code) if done else None
    if status is None:
        os.kill(terminal.pid, 9)
        os.waitpid(terminal.pid, 0)
    os.close(terminal.fd)
    assert status == 0, terminal.text
    seen = json.loads(noted.read_text(encoding="utf-8"))
    modules = set(seen["modules"])
    assert not HEAVY & modules
    early = {name for name in modules for later in LATER if f"{name}.".startswith(f"{later}.")}
    assert not early, "loaded before Home was drawn"
    screens = {name for name in modules if name.startswith("practice.tui.screens.")}
    assert screens == FIRST_SCREEN
    assert "textual" in modules
    assert seen["banks"] >= 1  # Home was drawn: the built-in banks are on screen
    # What was made before the app ran (Textual, the studio's modules) is out of the garbage
    # collector's passes for good (practice/tui/garbage.py).
    assert seen["frozen"] > 20_000
