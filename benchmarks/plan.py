"""How long the practice plan, the progress by question and the meeting sheet take to work out.

Nothing is stored for them: each is worked out from every saved session whenever it is shown (Home
does it each time it comes back). This saves the test history of 20 sessions over 30 days
(tests/practice_history.py: benchmark answer scripts through the real analysis functions), then
copies it, a month earlier each time, to 100 and 500 sessions, and times reading the sessions,
the plan, the tracks by question and the sheet. Run: ``python benchmarks/plan.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.sessions import median_ms
from practice import banks, workspace
from practice.kit import build_kit, kit_html
from practice.plan import make_plan, read_sessions, tracks
from practice.sessions import SESSION_FILE, SessionStore
from tests.practice_history import build_history


def _shifted(stamp: str, days: int) -> str:
    return (datetime.fromisoformat(stamp) - timedelta(days=days)).isoformat(timespec="seconds")


def _copy_earlier(root: Path, originals: list[Path], copy: int) -> None:
    """The original sessions again, ``31 * copy`` days earlier."""
    days = 31 * copy
    for folder in originals:
        data = json.loads((folder / SESSION_FILE).read_text())
        data["started"] = _shifted(data["started"], days)
        data["finished"] = _shifted(data["finished"], days)
        for attempt in data["attempts"]:
            attempt["recorded_at"] = _shifted(attempt["recorded_at"], days)
        stamp = datetime.fromisoformat(data["started"]).strftime("%Y-%m-%dT%H-%M-%S")
        data["id"] = f"{stamp}-{data['bank']['id']}"
        target = root / data["id"]
        target.mkdir(mode=0o700)
        (target / SESSION_FILE).write_text(json.dumps(data))


def _row(store: SessionStore, found: dict[str, banks.Bank], runs: int) -> str:
    """One table row: the sessions, their attempts and the median times."""
    sessions = read_sessions(store)
    attempts = sum(len(session.attempts) for session in sessions)
    bank = found["informational-asking"]
    read = median_ms(lambda: read_sessions(store), runs)
    plan = median_ms(lambda: make_plan(sessions, found.values()), runs)
    by_question = median_ms(lambda: tracks(sessions), runs)
    sheet = median_ms(lambda: kit_html(build_kit(bank, sessions, banks=found.values())), runs)
    return (
        f"| {len(sessions)} | {attempts} | {read:.0f} ms | {plan:.0f} ms | "
        f"{by_question:.0f} ms | {sheet:.0f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100, 500])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        found = banks.discover(workspace.resolve(home)).banks
        root = home / "recordings"
        store = SessionStore(root)
        build_history(store, found)
        originals = sorted(p for p in root.iterdir() if p.is_dir())
        copies = 0
        print("| sessions | attempts | read sessions | plan | by question | sheet (HTML) |")
        print("|---|---|---|---|---|---|")
        for size in sorted(args.sizes):
            while len(originals) * (copies + 1) < size:
                copies += 1
                _copy_earlier(root, originals, copies)
            print(_row(store, found, args.runs))


if __name__ == "__main__":
    main()
