"""Self-test checks that write and read back: a PDF report page, an XLSX sheet, an encrypted SQLite."""

from __future__ import annotations

import io
import secrets
import tempfile
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.selftest.outcome import CheckFailed

_TITLE = "Self-test report"


def check_pdf() -> str:
    """A one-page report with a table, the logo and the report fonts; parsed back when pypdf is here."""
    from backoffice.reports import render_pdf

    with tempfile.TemporaryDirectory(prefix="backoffice-selftest-") as folder:
        path = render_pdf(_document(), [_table()], Path(folder) / "self-test.pdf")
        data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise CheckFailed("The PDF written by the report renderer is not a complete PDF file.")
    return f"{_pages(data)}, {len(data) // 1024} kB"


def _pages(data: bytes) -> str:
    try:
        from pypdf import PdfReader  # a development dependency: absent from the bundle
    except ImportError:
        return "header and trailer checked"
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    if len(reader.pages) != 1 or _TITLE not in text:
        raise CheckFailed("The PDF read back is not the one-page report that was written.")
    return "one page, read back"


def check_xlsx() -> str:
    """A sheet with a money column, written by the report code and read back with openpyxl."""
    import openpyxl

    from backoffice.reports import write_xlsx

    with tempfile.TemporaryDirectory(prefix="backoffice-selftest-") as folder:
        path = write_xlsx(_table(), Path(folder) / "self-test.xlsx")
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = list(book["Payments"].iter_rows(min_row=2, max_row=2, values_only=True))
        finally:
            book.close()
    if not rows or rows[0][0] != "PAY-1" or Decimal(str(rows[0][1])) != Decimal("1234.50"):
        raise CheckFailed("The XLSX sheet read back does not hold the row that was written.")
    return "one sheet written and read back"


def _document() -> Any:
    from backoffice.reports import ReportDocument

    return ReportDocument(
        title=_TITLE,
        clinic_name="Self-test clinic",
        period_start=date(2024, 4, 1),
        period_end=date(2024, 4, 30),
        generated_by="backoffice --self-test",
        generated_at=datetime(2024, 5, 1, 9, 0),
    )


def _table() -> Any:
    import pandas as pd

    from backoffice.reports import Column, TableSection

    frame = pd.DataFrame({"reference": ["PAY-1"], "amount": [Decimal("1234.50")]})
    columns = (Column("reference", "Reference"), Column("amount", "Amount", "money", "INR"))
    return TableSection("Payments", columns, frame, totals=True)


def check_encrypted_sqlite() -> str:
    """An offline copy's file as the offline store opens it (`services.offline.open_encrypted`):
    SQLCipher with a random raw key, nothing in the clear, a wrong key refused."""
    from backoffice.services.offline import OfflineUnavailable, open_encrypted

    key, marker = secrets.token_bytes(32), f"self-test {secrets.token_hex(8)}"
    with tempfile.TemporaryDirectory(prefix="backoffice-selftest-") as folder:
        path = Path(folder) / "copy.db"
        try:
            with closing(open_encrypted(path, key, create=True)) as conn:
                version = conn.execute("PRAGMA cipher_version").fetchone()
                conn.execute("CREATE TABLE probe (text TEXT)")
                conn.execute("INSERT INTO probe VALUES (?)", (marker,))
                conn.commit()
        except OfflineUnavailable:
            raise CheckFailed(
                "sqlcipher3 is missing or is not SQLCipher: offline copies would be in the clear."
            ) from None
        data = path.read_bytes()
        with closing(open_encrypted(path, key)) as conn:
            read = conn.execute("SELECT text FROM probe").fetchone()
        wrong_key_opens = _opens(path, secrets.token_bytes(32), OfflineUnavailable)
    if data.startswith(b"SQLite format 3") or marker.encode() in data:
        raise CheckFailed("sqlcipher3 wrote the SQLite file in the clear: it is not SQLCipher.")
    if read != (marker,):
        raise CheckFailed("The encrypted SQLite file did not give back what was written to it.")
    if wrong_key_opens:
        raise CheckFailed("A wrong key opened the encrypted SQLite file.")
    return f"SQLCipher {version[0]}: raw key, no plaintext, wrong key refused"


def _opens(path: Path, key: bytes, refused: type[Exception]) -> bool:
    from backoffice.services.offline import open_encrypted

    try:
        open_encrypted(path, key).close()
    except refused:
        return False
    return True
