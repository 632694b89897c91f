"""What to rehearse: ``rehearse`` (the studio, straight into a session), ``plan`` and ``kit``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from practice import banks
from practice.cli.common import discover_banks, open_store, run_studio
from practice.errors import PracticeError

if TYPE_CHECKING:
    from practice.plan import Plan
    from practice.tui.services import Start


def add_rehearse(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "rehearse",
        help="open the rehearsal studio straight into a session on one bank",
        description="Open the rehearsal studio and start a session on a bank right away.",
    )
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--bank", metavar="ID", help="bank id (practice banks list)")
    chosen.add_argument(
        "--due",
        action="store_true",
        help="today's questions from the practice plan (practice plan), those of the bank at "
        "the top of the queue: a session is on one bank",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--shuffle", action="store_true", help="ask the questions shuffled")
    order.add_argument(
        "--random", action="store_true", help="pick --count questions at random (default 1)"
    )
    parser.add_argument("--count", type=int, metavar="N", help="ask at most N questions")
    parser.add_argument("--category", metavar="C", help="only the questions of this category")
    parser.add_argument("--seed", type=int, metavar="N", help="repeatable shuffle or pick")
    parser.set_defaults(run=run_rehearse)


def run_rehearse(args: argparse.Namespace) -> int:
    from practice.tui.services import Start

    if args.due:
        start = _due_start(args)
        if start is None:
            return 0
    else:
        order: banks.Order = "shuffle" if args.shuffle else "random" if args.random else "in-order"
        start = Start(args.bank, order, args.count, args.category, args.seed)
    return run_studio(args, start)


def add_plan(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "plan",
        help="what to rehearse today, and why; then when each question is due",
        description="The practice plan, worked out from your saved sessions with a "
        "spaced-repetition scheduler (FSRS): today's questions first, weakest and stalest first.",
    )
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--bank", metavar="ID", help="only this bank's questions")
    parser.set_defaults(run=_run_plan)


def _make_plan(args: argparse.Namespace, bank_id: str | None = None) -> Plan:
    from practice.plan import make_plan, read_sessions

    found = discover_banks(args, warn=False)
    if bank_id is not None:
        banks.find(found, bank_id)
    return make_plan(read_sessions(open_store(args)), found.banks.values(), bank_id=bank_id)


def _run_plan(args: argparse.Namespace) -> int:
    from practice.plan import plan_text

    plan = _make_plan(args, args.bank)
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False, indent=2))
    else:
        print(plan_text(plan))
    return 0


def _due_start(args: argparse.Namespace) -> Start | None:
    """The session ``rehearse --due`` starts: today's questions of the bank at the top of the
    queue, at most ``--count``; None (with a line saying so) when nothing is due."""
    from practice.tui.services import Start

    if args.shuffle or args.random or args.category is not None:
        raise PracticeError("rehearse --due asks the plan's questions in the plan's order")
    if args.count is not None and args.count < 1:
        raise PracticeError(f"--count must be at least 1, got {args.count}")
    plan = _make_plan(args)
    chosen = plan.next_session(args.count)
    if chosen is None:
        print("Nothing is due today (practice plan shows what comes next).")
        return None
    bank_id, ids = chosen
    others = len(plan.today) - len(ids)
    if others:
        print(f"practice: {others} more due after this session (practice plan)", file=sys.stderr)
    return Start(bank_id, questions=ids)


def add_kit(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "kit",
        help="a printable meeting sheet made of your own best answers",
        description="One page to take into the meeting: your introduction and your questions in "
        "your own words (best attempts, fillers taken out), the follow-ups, a 15/30-minute time "
        "plan, a thank-you note draft and questions for reviewing the meeting.",
    )
    parser.add_argument("--bank", metavar="ID", help="the bank (default: --session's bank)")
    parser.add_argument("--session", metavar="ID", help="quote only this session's attempts")
    parser.add_argument("--format", choices=["md", "html"], default="md")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=_run_kit)


def _run_kit(args: argparse.Namespace) -> int:
    from practice.kit import FORMATS, build_kit
    from practice.plan import read_sessions

    store = open_store(args)
    only = None if args.session is None else store.load(args.session)
    bank_id = args.bank or (only.bank_id if only is not None else None)
    if bank_id is None:
        raise PracticeError("kit: name the bank with --bank ID (or a session with --session)")
    if only is not None and only.bank_id != bank_id:
        raise PracticeError(f"session {only.id} is on bank '{only.bank_id}', not '{bank_id}'")
    found = discover_banks(args, warn=False)
    bank = banks.find(found, bank_id)
    sessions = [only] if only is not None else read_sessions(store)
    kit = build_kit(
        bank, sessions, banks=found.banks.values(), only_session=None if only is None else only.id
    )
    text = FORMATS[args.format](kit)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    _write_new(Path(args.output), text, force=args.force)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _write_new(target: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``target`` atomically, readable by the user only (0600); an existing
    file is refused unless ``force``."""
    from practice.files import write_atomic

    if target.is_dir():
        raise PracticeError(f"cannot write {target}: it is a folder")
    if target.exists() and not force:
        raise PracticeError(f"{target} already exists; add --force to overwrite it")
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as error:
        raise PracticeError(f"cannot write {target}: {error.strerror or error}") from None
