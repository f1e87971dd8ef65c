"""The demo applicants' documents and photos, as files the window can open.

Each application names its files relative to the documents folder (setting "applications.documents",
as the clinic's booking website would); the demo writes a one-page PDF per document, marked as a
demo document, and a portrait of the applicant's initials, and points the setting at the folder.
Same applications, same files: the PDFs are written invariant (no date or random id inside).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice.services.therapists import DOCUMENTS_SETTING

_APPLICATIONS = text(
    "SELECT full_name, registration_number, registration_council, documents, photo "
    "FROM backoffice.therapist_applications ORDER BY id"
)
_SET_FOLDER = text(
    "INSERT INTO backoffice.settings (key, value) VALUES (:key, to_jsonb(CAST(:folder AS text))) "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
)
PHOTO_SIZE = 240


def write_application_files(conn: Connection, folder: Path) -> int:
    """Write every application's documents and photo under `folder`, and point the setting at
    it; returns how many files were written."""
    written = 0
    for row in conn.execute(_APPLICATIONS):
        for document in row.documents or ():
            _write_pdf(folder / document, document, row)
            written += 1
        if row.photo:
            _write_photo(folder / row.photo, row.full_name)
            written += 1
    conn.execute(_SET_FOLDER, {"key": DOCUMENTS_SETTING, "folder": str(folder)})
    return written


def _write_pdf(path: Path, document: str, row: Any) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    title = Path(document).stem.replace("_", " ").capitalize()
    page = Canvas(str(path), pagesize=A4, invariant=1)
    page.setTitle(f"{title}: {row.full_name}")
    page.setFont("Helvetica-Bold", 20)
    page.drawString(72, 760, title)
    page.setFont("Helvetica", 12)
    lines = (
        f"Issued to: {row.full_name}",
        f"Registration: {row.registration_number or '-'} ({row.registration_council or '-'})",
        "",
        "DEMO DOCUMENT: generated for the back-office demo clinic; not a real certificate.",
    )
    for n, line in enumerate(lines):
        page.drawString(72, 720 - 20 * n, line)
    page.showPage()
    page.save()


def _write_photo(path: Path, name: str) -> None:
    from PIL import Image, ImageDraw, ImageFont

    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    background = (60 + digest[0] % 120, 80 + digest[1] % 100, 90 + digest[2] % 110)
    image = Image.new("RGB", (PHOTO_SIZE, PHOTO_SIZE), background)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=96)
    draw.text((PHOTO_SIZE / 2, PHOTO_SIZE / 2), initials, fill="white", font=font, anchor="mm")
    image.save(path, format="JPEG", quality=85)
