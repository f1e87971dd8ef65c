"""The dashboard page: the figures the service returned, per role, as tiles and a chart; loading,
refresh, errors in words, and a chart that follows the palette."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
from decimal import Decimal

import pytest
from PySide6.QtCharts import QChart
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from backoffice.errors import DatabaseUnavailable
from backoffice.services.dashboard import (
    DaySessions,
    FinanceDashboard,
    Period,
    RefundsInState,
    TherapistDashboard,
    get_dashboard,
)
from backoffice.services.login import open_session
from backoffice.ui.main_window import MainWindow
from backoffice.ui.pages import registry
from backoffice.ui.pages.dashboard_page import LOADING, DashboardPage
from backoffice.ui.pages.dashboard_sections import money_scale
from backoffice.ui.widgets.bar_chart import BarChart

LOGINS = {
    "admin": ("demo_admin", "demo-admin-pass"),
    "finance": ("demo_finance", "demo-finance-pass"),
    "therapist": ("demo_therapist", "demo-therapist-pass"),
}
LOAD_TIMEOUT_MS = 20_000
MONEY = re.compile(r"^[A-Z]{3} -?\d{1,3}(,\d{3})*\.\d{2}$")


@pytest.fixture
def session_for(demo_database):
    sessions = []

    def open_as(role: str):
        username, password = LOGINS[role]
        session = open_session(demo_database.profile(), username=username, password=password)
        sessions.append(session)
        return session

    yield open_as
    for session in sessions:
        session.close()


def shown_page(qtbot, session, **kwargs) -> tuple[DashboardPage, object]:
    page = DashboardPage(session, **kwargs)
    qtbot.addWidget(page)
    page.resize(1060, 760)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
        page.show()
    return page, blocker.args[0]


def text(page, name: str) -> str:
    label = page.findChild(QLabel, name)
    assert label is not None, f"no label {name}"
    return label.text().replace("\N{NO-BREAK SPACE}", " ")


def chart(page, name: str) -> BarChart:
    view = page.findChild(BarChart, name)
    assert view is not None, f"no chart {name}"
    return view


def same_as_the_service(session, shown) -> None:
    with session.unit_of_work() as uow:
        direct = get_dashboard(uow, session.actor, today=shown.period.today)
    assert dataclasses.replace(direct, period=shown.period) == shown


# --- each role, on the demo clinic --------------------------------------------------------------


def test_an_admin_sees_the_services_counts_and_the_utilisation_chart(qtbot, session_for):
    session = session_for("admin")
    page, d = shown_page(qtbot, session)

    same_as_the_service(session, d)
    assert text(page, "pending_applications_value") == f"{d.pending_applications:,}"
    assert text(page, "high_risk_notes_value") == f"{d.unreviewed_high_risk_notes:,}"
    assert text(page, "transfers_this_month_value") == f"{d.transfers_this_month:,}"
    assert text(page, "busiest_therapist_value") == f"{d.utilisation[0].percent}%"
    value = page.findChild(QLabel, "pending_applications_value")
    assert value.alignment() & Qt.AlignmentFlag.AlignRight
    utilisation = chart(page, "utilisation_chart")
    busiest_on_top = list(reversed(d.utilisation))
    assert utilisation.categories() == [load.name for load in busiest_on_top]
    assert utilisation.set_labels() == ["Booked this week", "Weekly capacity"]
    assert utilisation.values("Booked this week") == [load.booked for load in busiest_on_top]
    assert utilisation.values("Weekly capacity") == [load.capacity for load in busiest_on_top]


def test_finance_sees_revenue_per_currency_refunds_and_the_daily_takings_chart(qtbot, session_for):
    session = session_for("finance")
    page, d = shown_page(qtbot, session)

    same_as_the_service(session, d)
    for r in d.revenue:
        row = r.currency.lower()
        assert text(page, f"revenue_{row}_gross") == f"{r.currency} {r.gross:,.2f}"
        assert text(page, f"revenue_{row}_refunded") == f"{r.currency} {r.refunded:,.2f}"
        assert text(page, f"revenue_{row}_net") == f"{r.currency} {r.net:,.2f}"
        assert MONEY.match(text(page, f"revenue_{row}_net"))
        assert text(page, f"revenue_{row}_payments") == f"{r.payments:,}"
    for waiting in d.refunds_waiting:
        assert text(page, f"refunds_{waiting.state}_value") == f"{waiting.count:,}"
    assert text(page, "failed_refunds_value") == f"{d.failed_refunds:,}"
    for total in d.failed_refund_totals[:2]:
        assert f"{total.currency} {total.amount:,.2f}" in text(page, "failed_refunds_detail")
    assert text(page, "refund_mismatches_value") == f"{d.refund_mismatches:,}"
    takings = chart(page, "takings_chart")
    divisor, words = money_scale(max(t.gross for t in d.daily_takings))
    assert takings.categories() == [str(t.day.day) for t in d.daily_takings]
    assert takings.set_labels() == ["Received", "Refunded"]
    assert takings.values("Received") == [float(t.gross / divisor) for t in d.daily_takings]
    assert takings.values("Refunded") == [float(t.refunded / divisor) for t in d.daily_takings]
    assert text(page, "chart_title").endswith(f"in {words}{d.chart_currency}")


def test_a_therapist_sees_their_own_figures_and_this_weeks_sessions(qtbot, session_for):
    session = session_for("therapist")
    page, d = shown_page(qtbot, session)

    same_as_the_service(session, d)
    assert text(page, "sessions_today_value") == f"{d.sessions_today:,}"
    assert text(page, "sessions_this_week_value") == f"{d.sessions_this_week:,}"
    assert text(page, "caseload_value") == f"{d.caseload:,}"
    assert text(page, "notes_due_value") == f"{d.notes_due:,}"
    week = chart(page, "week_chart")
    assert len(week.categories()) == 7 and week.categories()[0].startswith("Mon")
    assert week.set_labels() == ["Sessions"]
    assert week.values("Sessions") == [day.sessions for day in d.week]


def test_f5_in_the_main_window_reloads_the_dashboard(qtbot, session_for, tmp_path, monkeypatch):
    wired = tuple(
        dataclasses.replace(spec, factory=DashboardPage) if spec.key == "dashboard" else spec
        for spec in registry.PAGES
    )
    monkeypatch.setattr(registry, "PAGES", wired)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session_for("admin"), settings=settings)
    qtbot.addWidget(window)
    page = window.pages["dashboard"]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.show()

    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.refresh_action.trigger()
    window.idle_lock.stop()


# --- loading, refresh and errors, with a stand-in for the service -------------------------------

MONDAY = dt.date(2026, 11, 16)


def therapist_dashboard(caseload: int) -> TherapistDashboard:
    period = Period(
        dt.datetime(2026, 11, 18, 10, 30), MONDAY + dt.timedelta(2), MONDAY, MONDAY.replace(day=1)
    )
    week = tuple(DaySessions(MONDAY + dt.timedelta(i), i % 3) for i in range(7))
    return TherapistDashboard(period, "58001", 2, 6, caseload, 1, week)


class Loads:
    """A stand-in loader: answers from a list (an exception is raised), optionally held back."""

    def __init__(self, *answers: object, hold: bool = False) -> None:
        self.answers = list(answers)
        self.calls = 0
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self) -> TherapistDashboard | FinanceDashboard:
        self.calls += 1
        self.release.wait(10)
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        assert isinstance(answer, TherapistDashboard | FinanceDashboard)
        return answer


def test_the_page_loads_when_first_shown_and_says_so_while_the_worker_works(qtbot):
    loads = Loads(therapist_dashboard(5), therapist_dashboard(7))
    page = DashboardPage(None, load=loads)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    assert loads.calls == 0  # nothing is loaded before the page is first shown
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.show()
    assert page.status_label.isHidden()

    loads.release.clear()
    try:
        page.refresh()
        qtbot.waitUntil(lambda: loads.calls == 2)
        assert text(page, "dashboard_status") == LOADING and not page.status_label.isHidden()
        assert not page.refresh_button.isEnabled() and not page.content.isEnabled()
        page.refresh()  # a second press while loading starts nothing
    finally:
        with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
            loads.release.set()

    assert loads.calls == 2
    assert page.status_label.isHidden() and page.refresh_button.isEnabled()
    assert text(page, "caseload_value") == "7" and page.content.isEnabled()


def test_refresh_loads_again_and_shows_the_new_figures(qtbot):
    loads = Loads(therapist_dashboard(5), therapist_dashboard(1234))
    page, _ = shown_page(qtbot, None, load=loads)
    assert text(page, "caseload_value") == "5"

    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.refresh()

    assert loads.calls == 2
    assert text(page, "caseload_value") == "1,234"


def test_an_error_is_shown_as_its_own_sentence_and_the_last_figures_stay(qtbot):
    sentence = "The connection to the demo clinic's server was lost."
    loads = Loads(therapist_dashboard(5), DatabaseUnavailable(sentence))
    page, _ = shown_page(qtbot, None, load=loads)

    with qtbot.waitSignal(page.load_failed, timeout=LOAD_TIMEOUT_MS) as blocker:
        page.refresh()

    assert blocker.args == [sentence]
    assert text(page, "dashboard_status") == sentence and not page.status_label.isHidden()
    assert text(page, "caseload_value") == "5" and page.content.isEnabled()
    assert page.refresh_button.isEnabled()


def test_finance_on_the_first_morning_of_a_month_sees_honest_empty_states(qtbot):
    first = dt.date(2026, 12, 1)
    period = Period(dt.datetime(2026, 12, 1, 0, 30), first, first - dt.timedelta(1), first)
    nothing = FinanceDashboard(
        period,
        (),
        None,
        (),
        (RefundsInState("requested", 0, ()), RefundsInState("approved", 0, ())),
        0,
        (),
        0,
    )
    page, _ = shown_page(qtbot, None, load=Loads(nothing))

    assert text(page, "revenue_empty") == "No payments received yet this month."
    assert text(page, "chart_empty") == "No payments received yet this month."
    assert page.findChild(BarChart) is None
    assert text(page, "refunds_requested_value") == "0"
    assert text(page, "refunds_requested_detail") == "Nothing waiting"


def test_the_chart_follows_a_dark_palette_and_back(qtbot, qapp):
    original = QPalette(qapp.palette())
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    qapp.setPalette(dark)
    try:
        page, _ = shown_page(qtbot, None, load=Loads(therapist_dashboard(5)))
        week = chart(page, "week_chart")
        assert week.chart().theme() == QChart.ChartTheme.ChartThemeDark
        assert week.value_axis.labelsColor() == QColor("#e8eaed")
    finally:
        qapp.setPalette(original)
    qtbot.waitUntil(lambda: week.chart().theme() == QChart.ChartTheme.ChartThemeLight)
    assert week.value_axis.labelsColor() == original.color(QPalette.ColorRole.WindowText)


def test_money_is_written_with_its_currency_code_and_two_decimals():
    from backoffice.ui.widgets.figure_tile import money_text

    assert money_text(Decimal("123450"), "INR") == "INR\N{NO-BREAK SPACE}123,450.00"
    assert money_text(Decimal("-5.005"), "USD") == "-USD\N{NO-BREAK SPACE}5.01"
    assert money_text(Decimal("1500"), "JPY") == "JPY\N{NO-BREAK SPACE}1,500"


def test_chart_amounts_are_scaled_so_axis_labels_stay_short():
    assert money_scale(Decimal("9999")) == (1, "")
    assert money_scale(Decimal("46000")) == (1_000, "thousands of ")
    assert money_scale(Decimal("32000000")) == (1_000_000, "millions of ")


def test_amounts_in_many_currencies_show_the_first_and_say_how_many_more():
    from backoffice.services.dashboard import Money
    from backoffice.ui.widgets.figure_tile import monies_text

    totals = (Money("INR", Decimal("100")), Money("USD", Decimal("2")), Money("EUR", Decimal("3")))
    shown = monies_text(totals, limit=2).replace("\N{NO-BREAK SPACE}", " ")

    assert shown == "INR 100.00 · USD 2.00 and 1 more"


def test_figures_read_on_the_primary_instead_of_the_read_only_server_say_why(qtbot):
    from PySide6.QtWidgets import QMainWindow

    from backoffice.ui.read_server import Read

    note = "Reports from the primary: the read-only server is unreachable."
    answers = [Read(therapist_dashboard(5), note), Read(therapist_dashboard(6), None)]
    window = QMainWindow()
    qtbot.addWidget(window)
    page = DashboardPage(None, load=lambda: answers.pop(0))  # type: ignore[arg-type]
    window.setCentralWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        window.show()
    assert page.status_label.text() == note and page.status_label.isVisible()
    assert window.statusBar().currentMessage() == note
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.refresh()  # the read-only server serves again: the page says nothing more
    assert page.status_label.text() == "" and not page.status_label.isVisible()
