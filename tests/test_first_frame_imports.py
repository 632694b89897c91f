"""The studio's first screen imports nothing heavy (issue 14: first frame under 500 ms).

numpy and the speech engines load later: numpy with the first recording or report, faster-whisper
when the model loads. PortAudio (sounddevice) is the one exception, on purpose: starting it points
fd 2 at /dev/null for a moment, and the UI draws on fd 2, so it starts before the app takes the
terminal (about 0.07 s; tests/test_tui_terminal.py shows Home is lost otherwise).
"""

import json
import subprocess
import sys
from pathlib import Path

HEAVY = {
    "numpy",
    "faster_whisper",
    "ctranslate2",
    "soundfile",
    "soxr",
    "av",
    "torch",
}

FIRST_FRAME = """
import asyncio, json, sys
from practice import workspace
from practice.tui.app import make_app
from practice.tui.screens.home import HomeScreen

seen = {}

def drawn(screen):  # Home starts its device check once it has been drawn: look instead
    seen["modules"] = sorted(sys.modules)
    seen["banks"] = screen.query_one("#banks").row_count

HomeScreen._check_devices = drawn

async def main():
    app = make_app(workspace.resolve())
    async with app.run_test(size=(80, 24)) as pilot:
        while "modules" not in seen:
            await pilot.pause(0.01)
asyncio.run(main())
print(json.dumps(seen))
"""


def test_home_is_drawn_before_anything_heavy_is_imported(isolated_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, check=True, timeout=60
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert not HEAVY & set(seen["modules"])
    assert "textual" in seen["modules"]
    assert seen["banks"] >= 1  # Home was drawn: the built-in banks are on screen
