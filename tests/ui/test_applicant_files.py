"""Issue 15, item 4: an applicant's documents open (double-click or Enter) from the documents
folder the settings name, each opening on record; the photo is shown, not its path."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from backoffice.demo.documents import write_application_files
from backoffice.services.login import open_session
from backoffice.ui.pages.applications_panel import ApplicationsPanel
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo

WAIT = 15_000


@pytest.fixture
def documents(demo_clone, tmp_path):
    """The demo applicants' files, written as `backoffice demo` writes them."""
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        write_application_files(conn, tmp_path / "documents")
    engine.dispose()
    return tmp_path / "documents"


@pytest.fixture
def panel(qtbot, demo_clone, documents):
    session = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    panel = ApplicationsPanel(session)
    qtbot.addWidget(panel)
    panel.opened = []  # type: ignore[attr-defined]
    panel.files.open_url = lambda url: panel.opened.append(url.toLocalFile()) or True  # type: ignore[attr-defined]
    panel.refresh()
    with_photo = """SELECT id FROM backoffice.therapist_applications
        WHERE state = 'pending' AND photo IS NOT NULL ORDER BY id LIMIT 1"""
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as conn:
        panel.photo_id = conn.execute(with_photo).fetchone()[0]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.is_busy(), timeout=WAIT)
    assert panel.select_application(panel.photo_id)
    qtbot.waitUntil(
        lambda: (
            panel.application is not None
            and panel.application.application_id == panel.photo_id
            and not panel.is_busy()
        ),
        timeout=WAIT,
    )
    yield panel
    session.close()


def test_a_double_click_opens_the_document_and_the_opening_is_on_record(
    qtbot, panel, documents, demo_clone
):
    first = panel.documents.item(0)
    path = first.toolTip()
    assert first.text().endswith("(PDF)") and "/" not in first.text()  # words, not a path

    panel.documents.itemActivated.emit(first)  # what a double-click or Enter does
    qtbot.waitUntil(lambda: bool(panel.opened), timeout=WAIT)

    assert panel.opened == [str(documents / path)] and (documents / path).is_file()
    assert panel.status.text().startswith("Opened ") and not panel.status.is_error
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as conn:
        recorded = conn.execute(
            "SELECT actor, details ->> 'document' FROM backoffice.audit_events "
            "WHERE action = 'application.document_opened'"
        ).fetchall()
    assert recorded == [("demo_admin", path)]


def test_the_photo_is_shown_as_a_picture(panel):
    pixmap = panel.files.photo.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.width() > 50
    assert panel.files.photo.text() == ""


def test_a_document_missing_from_the_folder_is_one_sentence(qtbot, panel, documents):
    first = panel.documents.item(0)
    (documents / first.toolTip()).unlink()
    panel.documents.setCurrentItem(first)
    qtbot.keyClick(panel.documents, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.status.is_error, timeout=WAIT)
    assert "is not where the documents folder says it is" in panel.status.text()
    assert panel.opened == []
