"""Issue 15, item 15: `backoffice demo --screenshots DIR` leaves pictures in DIR and nothing else
(the window's layout settings go to a scratch file that is removed)."""

from __future__ import annotations

from backoffice.ui.screenshots import take_screenshots
from tests.conftest import DEMO_PASSWORDS


def test_screenshots_leave_only_pictures_in_the_folder(qtbot, demo_database, tmp_path, monkeypatch):
    monkeypatch.setattr("backoffice.ui.screenshots.SETTLE_MS", 300)
    login = ("demo_therapist", DEMO_PASSWORDS["demo_therapist"], "therapist")
    written = take_screenshots(
        demo_database.profile(),
        [login],
        tmp_path,
        demo_logins=[login],
    )
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == sorted(path.name for path in written)
    assert names and all(name.endswith(".png") and not name.startswith(".") for name in names)
    assert "login-window.png" in names and "therapist-demo_therapist-dashboard.png" in names
