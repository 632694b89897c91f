"""How fast history opens with 1,000 saved sessions.

Makes 1,000 sessions of 5 analysed answers each (about 150 words an answer) in a temporary
folder, then times: rebuilding the index from the folders, listing history from an up-to-date
index, listing after one session changed, loading one session, and ``practice history --json``
as a fresh process. Run: ``python benchmarks/sessions.py [--sessions N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practice.records import Attempt, QuestionRef
from practice.sessions import SessionStore
from tests.sample_reports import make_report

ANSWER = (
    "so um in my last role I led a team of five through a migration that had stalled "
    "and uh the first thing I did was talk to each engineer about what was blocking them "
) * 5


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _make_sessions(root: Path, count: int) -> list[str]:
    store = SessionStore(root)
    questions = [QuestionRef(f"q{n}", f"Question {n}?", "behavioural", 90) for n in range(5)]
    template = store.create("behavioural", "Behavioural", questions)
    for n in range(5):
        report = make_report(ANSWER, pause_after=20, likely=40)
        attempt = Attempt(n, 1, template.started, None, report, latency_s=1.0)
        template = store.add_attempt(template, attempt)
    data = template.to_json()
    ids = []
    for number in range(count):
        day, second = divmod(number, 86400)
        session_id = f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T{second // 3600:02d}-" + (
            f"{second // 60 % 60:02d}-{second % 60:02d}-bank{number % 4}"
        )
        folder = root / session_id
        folder.mkdir(mode=0o700)
        data["id"] = session_id
        data["bank"] = {"id": f"bank{number % 4}", "name": f"Bank {number % 4}"}
        data["started"] = session_id[:10] + "T" + session_id[11:19].replace("-", ":") + "+00:00"
        (folder / "session.json").write_text(json.dumps(data))
        ids.append(session_id)
    store.delete(template.id)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        home = Path(temporary)
        root = home / "recordings"
        started = time.perf_counter()
        ids = _make_sessions(root, args.sessions)
        size = sum(f.stat().st_size for f in root.glob("*/session.json")) / len(ids)
        print(
            f"{len(ids)} sessions, session.json {size / 1024:.0f} KiB each, "
            f"made in {time.perf_counter() - started:.1f} s"
        )
        store = SessionStore(root)

        def rebuild() -> None:
            store.index_path.unlink(missing_ok=True)
            store.history()

        print(f"rebuild the index from the folders   {median_ms(rebuild, 3):8.1f} ms")
        store.history()
        rows = store.history()
        assert len(rows) == len(ids) and all(row.damaged is None for row in rows)
        print(f"history from an up-to-date index     {median_ms(store.history, 20):8.1f} ms")

        changed = root / ids[len(ids) // 2] / "session.json"

        def one_changed() -> None:
            os.utime(changed, ns=(time.time_ns(), time.time_ns()))
            store.history()

        print(f"history after one session changed    {median_ms(one_changed, 20):8.1f} ms")
        load = median_ms(lambda: store.load(ids[7]), 20)
        print(f"load one session                     {load:8.1f} ms")
        command = [sys.executable, "-m", "practice", "--home", str(home), "history", "--json"]

        def process() -> None:
            subprocess.run(command, check=True, capture_output=True)

        print(f"`practice history --json` (process)  {median_ms(process, 5):8.1f} ms")


if __name__ == "__main__":
    main()
