"""Home: the banks, how to pick the questions, recent sessions, folders and settings."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Footer, Static

from practice.banks import Bank
from practice.errors import PracticeError
from practice.settings import Settings, save_settings
from practice.text import printable
from practice.times import when
from practice.tui.messages import DevicesChecked, HistoryLoaded, PlanLoaded, SettingsSaved
from practice.tui.screens.base import StudioScreen, one_line, shown
from practice.tui.services import START_ORDERS, Services, Start, StartOrder
from practice.tui.widgets.header import StudioHeader
from practice.tui.widgets.today import TodayPanel

if TYPE_CHECKING:  # the plan, drills and other screens load after the first frame
    from practice.drills import Drill, DrillKind
    from practice.plan import Plan

RECENT = 5
DEFAULT_RANDOM_COUNT = 5
_ORDER_WORDS: dict[StartOrder, str] = {
    "in-order": "in order",
    "shuffle": "shuffled",
    "random": "{count} at random",
    "category": "one category: {category}",
}


def absence_lines(absent: dict[str, str]) -> list[str]:
    """What the device check found, short: ``role: what`` on one line, each hint once."""
    if not absent:
        return []
    heads, hints = [], []
    for role, why in absent.items():
        head, _, hint = why.partition(": ")
        heads.append(f"{role}: {head}")
        if hint and hint not in hints:
            hints.append(hint)
    return [" · ".join(heads), *hints, "you can still type answers (t) or import recordings (i)"]


class HomeScreen(StudioScreen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        Binding("d", "due", "Today"),
        Binding("o", "order", "Order"),
        Binding("plus,equals_sign", "count(1)", "More", key_display="+"),
        Binding("minus", "count(-1)", "Fewer", key_display="-"),
        Binding("c", "category", "Category"),
        Binding("x", "drill", "Drill"),
        Binding("s", "settings", "Settings"),
        Binding("h", "history", "History"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.order: StartOrder = "in-order"
        self.count = DEFAULT_RANDOM_COUNT
        self.category_index = 0
        self.plan: Plan | None = None
        self.drill: Drill | None = None
        """The drill the next session is run as (x cycles: none, timed, clean)."""

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        with Vertical(id="home"):
            yield Static(id="notices", classes="notice")
            yield TodayPanel(id="today")
            yield DataTable(id="banks", cursor_type="row", zebra_stripes=True)
            yield Static(id="options")
            with Horizontal(id="home-bottom"):
                with VerticalScroll(id="recent-panel", classes="panel"):
                    yield Static(id="recent")
                with VerticalScroll(id="folders-panel", classes="panel"):
                    yield Static(id="folders")
        yield Footer()

    def opened(self) -> None:
        self._show_notices()
        if self.services.probe is not None:  # once drawn: it loads PortAudio
            self.call_after_refresh(self._check_devices)
        table = self.query_one("#banks", DataTable)
        table.add_columns("Bank", "Questions", "From")
        for bank in self.services.banks:
            source = "built-in" if bank.builtin else shown(bank.source)
            table.add_row(escape(bank.name), str(len(bank.questions)), source, key=bank.id)
        self.query_one("#banks", DataTable).border_title = "Question banks"
        self.query_one("#recent-panel").border_title = "Recent sessions"
        self.query_one("#folders-panel").border_title = "Folders and settings"
        self.query_one("#folders", Static).update(self._folders())
        self._show_options()  # the recent sessions load when resumed, which follows

    def _show_notices(self) -> None:
        notices = [*self.services.notices, *absence_lines(self.services.absent)]
        self.query_one("#notices", Static).update(
            "\n".join(f"⚠ {escape(printable(n))}" for n in notices)
        )
        self.query_one("#notices").display = bool(notices)

    @work(thread=True, exclusive=True, exit_on_error=False, group="devices")
    def _check_devices(self) -> None:
        assert self.services.probe is not None
        self.post_message(DevicesChecked(self.services.probe()))

    def on_devices_checked(self, message: DevicesChecked) -> None:
        self.services.absent.update(message.absent)
        self._show_notices()

    def resumed(self) -> None:
        # Once drawn: reading the sessions and making the plan stay out of the first frame.
        self.call_after_refresh(self._load_recent)
        self.call_after_refresh(self._load_plan)

    # Today's plan ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def _load_plan(self) -> None:
        from practice.plan import make_plan, read_sessions

        plan = make_plan(read_sessions(self.services.store), self.services.banks)
        self.post_message(PlanLoaded(plan))

    def on_plan_loaded(self, message: PlanLoaded) -> None:
        first = self.plan is None
        self.plan = message.plan
        panel = self.query_one(TodayPanel)
        panel.show(self.plan)
        table = self.query_one("#banks", DataTable)
        untouched = self.app.focused is table and table.cursor_row == 0
        if first and panel.display and untouched:
            panel.focus()  # on opening, Enter rehearses today's questions
        self.refresh_bindings()

    def action_due(self) -> None:
        chosen = None if self.plan is None else self.plan.next_session()
        if chosen is None:
            return
        bank_id, ids = chosen
        self._open_interview(Start(bank_id, questions=ids))

    # The selected bank and the start options ---------------------------------------------------

    @property
    def bank(self) -> Bank | None:
        table = self.query_one("#banks", DataTable)
        if not self.services.banks or table.row_count == 0:
            return None
        return self.services.banks[table.cursor_row]

    def _categories(self) -> list[str]:
        bank = self.bank
        if bank is None:
            return []
        return sorted({q.category for q in bank.questions if q.category})

    @property
    def how_many(self) -> int:
        """How many questions "N at random" asks: never more than the bank has."""
        bank = self.bank
        return min(self.count, len(bank.questions)) if bank else self.count

    @property
    def category(self) -> str | None:
        categories = self._categories()
        return categories[self.category_index % len(categories)] if categories else None

    def start_options(self) -> Start | None:
        bank = self.bank
        if bank is None:
            return None
        return Start(
            bank.id,
            order=self.order,
            count=self.how_many if self.order == "random" else None,
            category=self.category if self.order == "category" else None,
        )

    def _show_options(self) -> None:
        words = _ORDER_WORDS[self.order].format(count=self.how_many, category=self.category)
        bank = self.bank
        chosen = f"  ·  {escape(bank.name)}" if bank else ""
        drill = f"  ·  drill: [b]{self.drill.label}[/b]" if self.drill else ""
        self.query_one("#options", Static).update(
            f"Questions: [b]{escape(words)}[/b]{chosen}{drill}"
        )

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.category_index = 0
        self._show_options()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"start", "order"}:
            return bool(self.services.banks)
        if action == "due":
            return self.plan is not None and bool(self.plan.today)
        if action == "count":
            return self.order == "random"
        if action == "category":
            return self.order == "category" and len(self._categories()) > 1
        return True

    def action_order(self) -> None:
        orders = list(START_ORDERS)
        if not self._categories():
            orders.remove("category")
        self.order = orders[(orders.index(self.order) + 1) % len(orders)]
        self._show_options()
        self.refresh_bindings()

    def action_count(self, step: int) -> None:
        self.count = max(1, self.how_many + step)
        self._show_options()

    def action_drill(self) -> None:
        from practice.drills import KINDS, Drill

        kinds: list[DrillKind | None] = [None, *KINDS]
        now = None if self.drill is None else self.drill.kind
        following = kinds[(kinds.index(now) + 1) % len(kinds)]
        self.drill = None if following is None else Drill(following)
        self._show_options()

    def action_category(self) -> None:
        self.category_index += 1
        self._show_options()

    def action_start(self) -> None:
        if self.query_one(TodayPanel).has_focus:
            self.action_due()
            return
        start = self.start_options()
        if start is not None:
            self._open_interview(start)

    def _open_interview(self, start: Start) -> None:
        try:
            bank, questions = self.services.questions(start)
        except PracticeError as error:
            self.notify(one_line(error), severity="error")
            return
        from practice.tui.screens.interview import InterviewScreen

        self.app.push_screen(InterviewScreen(self.services, bank, questions, self.drill))

    def action_history(self) -> None:
        from practice.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.services))

    # Settings ----------------------------------------------------------------------------------

    def action_settings(self) -> None:
        from practice.tui.screens.settings import SettingsScreen

        self.app.push_screen(
            SettingsScreen(self.services.settings, self.services.choices), self._edited
        )

    def _edited(self, settings: Settings | None) -> None:
        if settings is not None and settings != self.services.settings:
            self._save_settings(settings)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def _save_settings(self, settings: Settings) -> None:
        save_settings(self.services.place, settings)
        self.post_message(SettingsSaved(settings))

    def on_settings_saved(self, message: SettingsSaved) -> None:
        from practice.tui.screens.settings import APPLY_LATER

        old = self.services.settings
        self.services = replace(self.services, settings=message.settings)
        self.services.store.keep_audio = message.settings.keep_audio  # from the next answer on
        self.query_one("#folders", Static).update(self._folders())
        later = [
            name for name in APPLY_LATER if getattr(old, name) != getattr(message.settings, name)
        ]
        verb = "applies" if len(later) == 1 else "apply"
        note = f"; {', '.join(later)} {verb} when practice next starts" if later else ""
        self.notify(f"Settings saved in {shown(self.services.place.config_file)}{note}")

    # Recent sessions, folders and settings -----------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _load_recent(self) -> None:
        recent = self.services.store.history()[:RECENT]
        self.post_message(HistoryLoaded(recent))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        lines = []
        for past in message.sessions:
            started = when(past.started)
            if past.damaged:
                lines.append(f"{started}  damaged: {escape(past.damaged)}")
                continue
            score = "—" if past.score is None else f"{past.score}/100"
            lines.append(f"{started}  {score:>7}  {escape(past.bank_name)}")
        self.query_one("#recent", Static).update(
            "\n".join(lines) or "No sessions yet: pick a bank and press Enter."
        )

    def _folders(self) -> str:
        place, settings = self.services.place, self.services.settings
        model = settings.model or "bundled tiny.en"
        silence = (
            f"after {settings.silence_stop_seconds:g} s of silence"
            if settings.silence_stop_seconds
            else "never"
        )
        rows = [
            ("Workspace", shown(place.home)),
            ("Recordings", shown(place.recordings_dir)),
            ("Your banks", shown(place.banks_dir)),
            ("Settings", shown(place.config_file)),
            ("Voice", f"{settings.voice or 'default'}, {settings.rate} wpm"),
            ("Microphone", settings.input_device or "system default"),
            ("Speaker", settings.output_device or "system default"),
            ("Speech model", f"{settings.engine} {model}"),
            ("Recording", ("starts by itself" if settings.auto_record else "Space starts")),
            ("Auto-stop", silence),
            ("Pace band", f"{settings.pace_low}–{settings.pace_high} wpm"),
        ]
        return "\n".join(f"[b]{label:<13}[/b]{escape(value)}" for label, value in rows)
