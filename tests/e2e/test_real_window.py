"""End to end on a real X server (Xvfb): log in to the demo as admin, open each page, take a
screenshot of the screen, log out; log in as a therapist, open a client's chart from the dashboard,
read a note and write an additional note. The window is driven in a child process on the xcb
platform."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from backoffice.services.transfers import transfer_client
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401 (fixture)
from tests.integration.transfer_fixtures import NEW, OLD

ROOT = Path(__file__).parents[2]
# A client of demo_therapist2 with at least three notes and a session still to come.
MOVING_WITH_SESSIONS_TO_COME = """
SELECT b.invitee_id FROM client_session_notes n JOIN bookings b USING (booking_id)
JOIN all_clients_table c ON c.client_id = b.invitee_id
WHERE b.therapist_id = %s AND c.therapist_id = %s
  AND EXISTS (SELECT 1 FROM bookings f WHERE f.invitee_id = b.invitee_id
              AND f.booking_start_at > now() AT TIME ZONE 'Asia/Kolkata' + interval '1 day')
GROUP BY b.invitee_id HAVING count(*) >= 3 ORDER BY 1 LIMIT 1
"""


def _distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    step_x, step_y = max(image.width() // 40, 1), max(image.height() // 40, 1)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
    )


def _drive(url, display: str, out: Path, module: str, *extra: str) -> subprocess.CompletedProcess:
    """Run tests.e2e.<module> against the database at `url` on the X server `display`."""
    host = url.host or str(url.query["host"])
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            f"tests.e2e.{module}",
            host,
            str(url.port or 5432),
            url.database,
            str(out),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
    )


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_admin_logs_in_opens_every_page_on_a_real_screen_and_logs_out(
    demo_database, xvfb_display, tmp_path
):
    result = _drive(demo_database.owner_url, xvfb_display, tmp_path, "drive_demo_window")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [
        line.split()[1].rstrip(":")
        for line in result.stdout.splitlines()
        if line.startswith("page ")
    ]
    assert pages == [
        "dashboard",
        "therapists",
        "clients",
        "appointments",
        "bookings",
        "payments",
        "notes",
        "reports",
        "audit",
        "data_quality",
    ]
    assert "(admin)" in result.stdout and "demo-admin-pass" not in result.stdout
    assert "logged out" in result.stdout
    for page in pages:
        shot = tmp_path / f"{page}.png"
        assert _distinct_colours(shot) > 8, f"the screenshot of {page} is blank"


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_therapist_opens_a_chart_from_the_dashboard_reads_a_note_and_writes_one(
    clinic, xvfb_display, tmp_path
):
    # A client received this month puts a chart on the dashboard whatever the time of day.
    client = clinic.value(MOVING_WITH_SESSIONS_TO_COME, NEW, NEW)
    clinic.run(
        "demo_admin",
        transfer_client,
        client_id=client,
        to_therapist_id=OLD,
        reason="Covering a long leave",
        share_past_notes=True,
        capacity_override_reason="Agreed with the receiving therapist",
    )
    text = "Phoned after the session: she will keep the sleep diary."
    result = _drive(
        clinic.database.owner_url, xvfb_display, tmp_path, "drive_therapist_chart", text
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chart opened: chart" in result.stdout and "additional note saved" in result.stdout
    note_id = int(result.stdout.split("note read: ")[1].split()[0])
    assert clinic.sql(
        "SELECT note_id, opened_by FROM backoffice.note_openings WHERE purpose = 'read'"
    ) == [(note_id, "demo_therapist")]
    assert clinic.sql(
        "SELECT therapist_id, note_text FROM client_additional_notes WHERE note_text = %s", text
    ) == [(OLD, text)]
    assert "demo-therapist-pass" not in result.stdout
    assert _distinct_colours(tmp_path / "chart.png") > 8, "the screenshot of the chart is blank"
