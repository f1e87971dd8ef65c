"""Issue 15, end to end: a day of each role on the real window (Xvfb, xcb), typed and clicked as a
person would, in a light and a dark palette, with screenshots of each step.

- the admin approves an application with a login, transfers a client, reviews a high-risk note;
- finance requests a refund, the admin approves it (four eyes), finance completes it and exports
  last month's revenue PDF;
- a therapist opens a chart, locks the window (Ctrl+L), types a wrong password, unlocks.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from backoffice.ui.lock_page import WRONG_PASSWORD
from tests.e2e.day_helpers import PASSWORDS
from tests.e2e.test_real_window import _distinct_colours, _drive
from tests.integration.refund_fixtures import (  # noqa: F401 (fixture)
    clinic_fixture,
    unrefunded_payment,
)

LOOKS = ("light", "dark")


def _day(clinic, display, out, look: str, role: str, *args: str) -> str:
    result = _drive(clinic.database.owner_url, display, out, "drive_day", look, role, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any(p in result.stdout for p in PASSWORDS.values())  # never a password printed
    for line in result.stdout.splitlines():
        if line.startswith("screenshot "):
            shot = out / line.split()[1]
            # A locked window is meant to be nearly empty: a box on a plain background.
            least = 2 if "locked" in shot.name or "password" in shot.name else 8
            assert _distinct_colours(shot) > least, f"{shot.name} is blank"
    return result.stdout


def _said(stdout: str, what: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith(what)).split(": ", 1)[1]


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("look", LOOKS)
def test_the_admin_approves_an_application_transfers_a_client_and_reviews_a_note(
    clinic, xvfb_display, tmp_path, look
):
    pending = clinic.value(
        "SELECT count(*) FROM backoffice.therapist_applications WHERE state = 'pending'"
    )
    out = _day(clinic, xvfb_display, tmp_path, look, "admin")

    assert _said(out, "asked").startswith("Approve ")
    assert "is now a therapist of the clinic" in _said(out, "approved")
    assert (
        clinic.value(
            "SELECT count(*) FROM backoffice.therapist_applications WHERE state = 'pending'"
        )
        == pending - 1
    )
    login = f"t_new_colleague_{look}"
    assert clinic.sql(
        "SELECT role FROM backoffice.staff_accounts WHERE login_role = %s", login
    ) == [("therapist",)]
    transferred = _said(out, "transferred")
    assert transferred.startswith("Transferred ") or "moved" in transferred, transferred
    assert (
        clinic.value(
            "SELECT count(*) FROM client_transfer_history WHERE reason = %s",
            "Moving closer to the clinic's other branch",
        )
        == 1
    )
    note_id = int(_said(out, "reviewed note"))
    assert clinic.sql(
        "SELECT outcome, reviewer FROM backoffice.note_reviews WHERE note_id = %s", note_id
    ) == [("safety_plan", "demo_admin")]


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("look", LOOKS)
def test_finance_has_a_refund_approved_by_the_admin_completes_it_and_exports_revenue(
    clinic, xvfb_display, tmp_path, look
):
    payment = unrefunded_payment(clinic, above="2500")
    out = _day(clinic, xvfb_display, tmp_path, look, "finance", str(payment))

    assert " INR 2,500.00 " in _said(out, "asked") + " "
    assert "four eyes" in _said(out, "why not")
    assert clinic.sql(
        "SELECT state, requested_by, approved_by, gateway_reference FROM backoffice.refunds "
        "WHERE payment_id = %s",
        payment,
    ) == [("completed", "demo_finance", "demo_admin", "rfnd_DEMO2500")]
    pdf = tmp_path / "revenue.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Sukoon Therapy Clinic (demo)" in text and "Arjun Iyer (demo_finance)" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / f"revenue-{look}")],
            check=True,
        )


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("look", LOOKS)
def test_a_therapist_locks_the_window_and_unlocks_it_with_the_password(
    clinic, xvfb_display, tmp_path, look
):
    out = _day(clinic, xvfb_display, tmp_path, look, "therapist")

    assert _said(out, "locked title") == "Clinic back-office — locked"
    assert _said(out, "client shown while locked") == "False"
    assert _said(out, "wrong password") == WRONG_PASSWORD
    assert "demo_therapist" in _said(out, "unlocked") or "(therapist)" in _said(out, "unlocked")
    assert clinic.sql(
        "SELECT actor FROM backoffice.audit_events WHERE action = 'session.unlock_failed'"
    ) == [("demo_therapist",)]
