"""Fixtures for the report tests: a document, small frames, and reading PDFs back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from backoffice.reports import Column, ReportDocument


@pytest.fixture
def document() -> ReportDocument:
    return ReportDocument(
        title="Payments by therapist",
        clinic_name="Serenity Minds Clinic",
        period_start=date(2024, 4, 1),
        period_end=date(2024, 6, 30),
        generated_by="Priya Sharma",
        generated_at=datetime(2024, 7, 1, 10, 15),
        filters={"Therapist": "Asha Rao", "Status": "paid"},
    )


@pytest.fixture
def payment_columns() -> tuple[Column, ...]:
    return (
        Column("reference", "Reference"),
        Column("client", "Client"),
        Column("sessions", "Sessions", "int"),
        Column("amount", "Amount", "money", "INR"),
    )


def _payments(rows: int, start: int = 0) -> pd.DataFrame:
    """Payments with Decimal amounts, as the report queries return them."""
    return pd.DataFrame(
        {
            "reference": [f"PAY-{i:06d}" for i in range(start, start + rows)],
            "client": [f"Client {i % 97}" for i in range(start, start + rows)],
            "sessions": [i % 5 for i in range(start, start + rows)],
            "amount": [Decimal(1000 + i * 7).scaleb(-2) for i in range(start, start + rows)],
        }
    )


def _payment_chunks(rows: int, chunk: int = 1_000) -> Iterator[pd.DataFrame]:
    for start in range(0, rows, chunk):
        yield _payments(min(chunk, rows - start), start)


@pytest.fixture
def payments() -> Callable[[int], pd.DataFrame]:
    """payments(rows): one DataFrame of payments."""
    return _payments


@pytest.fixture
def payment_chunks() -> Callable[..., Iterator[pd.DataFrame]]:
    """payment_chunks(rows, chunk=1000): the same payments as an iterator of chunks."""
    return _payment_chunks


@pytest.fixture
def pdf_text() -> Callable[[Path], list[str]]:
    """Each page's extracted text; strict parsing also checks the file's cross-references."""

    def read(path: Path) -> list[str]:
        return [page.extract_text() for page in PdfReader(path, strict=True).pages]

    return read
