"""``practice banks``: list, show, check and create question banks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from practice import banks, workspace
from practice.cli.common import COLUMN, cut, discover_banks


def add_banks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("banks", help="list, show, check and create question banks")
    group.set_defaults(run=_run_banks_list, json=False)
    actions = group.add_subparsers(title="banks commands", metavar="ACTION")
    listing = actions.add_parser("list", help="the banks found, with where each comes from")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(run=_run_banks_list)
    show = actions.add_parser("show", help="a bank's questions, talking points and tips")
    show.add_argument("id", metavar="ID", help="the bank's id (its file name without .toml)")
    show.set_defaults(run=_run_banks_show)
    check = actions.add_parser(
        "check", help="check bank files (all banks found when none are given); exit 1 on problems"
    )
    check.add_argument("paths", metavar="FILE|DIR", nargs="*", type=Path)
    check.set_defaults(run=_run_banks_check)
    new = actions.add_parser("new", help="write a commented template for a new bank")
    new.add_argument("name", metavar="NAME", help='the bank\'s name, e.g. "Data engineering"')
    new.set_defaults(run=_run_banks_new)


def _run_banks_list(args: argparse.Namespace) -> int:
    found = discover_banks(args)
    if args.json:
        rows = [
            {
                "id": bank.id,
                "name": bank.name,
                "description": bank.description,
                "questions": len(bank.questions),
                "categories": list(bank.categories),
                "answer_seconds": bank.answer_seconds,
                "source": str(bank.source),
                "builtin": bank.builtin,
            }
            for bank in found.banks.values()
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not found.banks:
        print("No question banks found. Write one with: practice banks new NAME")
        return 0
    width_id = min(COLUMN, max(len("ID"), *(len(bank_id) for bank_id in found.banks)))
    names = [cut(bank.name) for bank in found.banks.values()]
    width_name = max(len("NAME"), *(len(name) for name in names))
    print(f"{'ID':<{width_id}}  {'NAME':<{width_name}}  QUESTIONS  SOURCE")
    for bank, name in zip(found.banks.values(), names, strict=True):
        source = f"{bank.source} (built-in)" if bank.builtin else str(bank.source)
        count = len(bank.questions)
        print(f"{bank.id:<{width_id}}  {name:<{width_name}}  {count:>9}  {source}")
    return 0


def _run_banks_show(args: argparse.Namespace) -> int:
    bank = banks.find(discover_banks(args), args.id)
    print(f"{bank.name}  ({bank.id}, {_count(len(bank.questions), 'question')})")
    if bank.description:
        print(bank.description)
    print(f"source: {bank.source}{' (built-in)' if bank.builtin else ''}")
    for number, question in enumerate(bank.questions, start=1):
        about = ", ".join(filter(None, [question.category, f"{question.answer_seconds} s"]))
        print(f"\n{number}. {question.text}  [{about}]")
        for point in question.talking_points:
            print(f"   - {point}")
        if question.tips:
            print(f"   tip: {question.tips}")
        for follow_up in question.follow_ups:
            print(f"   follow-up: {follow_up}")
    return 0


def _run_banks_check(args: argparse.Namespace) -> int:
    good: list[banks.Bank] = []
    problems: list[str] = []
    if not args.paths:
        found = discover_banks(args, warn=False)
        good, problems = list(found.banks.values()), found.problems
    for path in args.paths:
        files = [path]
        if path.is_dir():
            files = banks.bank_files(path)
            if not files:
                problems.append(f"{path}: no .toml bank files in this folder")
        for file in files:
            try:
                good.append(banks.load_bank(file))
            except banks.BankError as error:
                problems.extend(error.problems)
    for bank in good:
        unwritten = banks.placeholders(bank)
        todo = f"; still the template's text: {', '.join(unwritten)}" if unwritten else ""
        print(f"ok  {bank.source}  ({_count(len(bank.questions), 'question')}){todo}")
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(good)} good, {_count(len(problems), 'problem')}")
    return 1 if problems else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _run_banks_new(args: argparse.Namespace) -> int:
    place = workspace.resolve(args.home)
    path = banks.write_new_bank(place, args.name)
    print(f"Wrote {path}")
    builtin = banks.builtin_dir()
    if builtin and builtin.resolve() != path.parent.resolve() and (builtin / path.name).is_file():
        print(f'It replaces the built-in bank "{path.stem}" while it is there.')
    print(f"Edit it, then check it:  practice banks check {path}")
    print(f"and rehearse it:         practice rehearse --bank {path.stem}")
    return 0
