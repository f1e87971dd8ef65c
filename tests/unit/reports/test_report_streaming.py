"""Streaming tables in the PDF: chunks, progress, cancel, and a table of 20,000 rows."""

from __future__ import annotations

import re

import pytest

from backoffice.reports import Column, ReportCancelled, TableSection, render_pdf


def test_progress_counts_rows_as_chunks_are_consumed(
    document, payment_chunks, payment_columns, tmp_path
):
    seen: list[int] = []
    table = TableSection("Payments", payment_columns, payment_chunks(3_500, chunk=1_000))
    render_pdf(document, [table], tmp_path / "r.pdf", progress=seen.append)
    assert seen == [1_000, 2_000, 3_000, 3_500]


def test_cancelling_stops_with_no_file_left_behind(
    document, payment_chunks, payment_columns, tmp_path
):
    seen: list[int] = []
    table = TableSection("Payments", payment_columns, payment_chunks(10_000))
    with pytest.raises(ReportCancelled):
        render_pdf(
            document,
            [table],
            tmp_path / "r.pdf",
            progress=seen.append,
            cancelled=lambda: len(seen) >= 2,
        )
    assert seen == [1_000, 2_000]  # stopped at once, not at the end
    assert list(tmp_path.iterdir()) == []


def test_cancelling_keeps_the_previous_file_intact(document, payments, payment_columns, tmp_path):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"previous report")
    table = TableSection("Payments", payment_columns, payments(10))
    with pytest.raises(ReportCancelled):
        render_pdf(document, [table], target, cancelled=lambda: True)
    assert target.read_bytes() == b"previous report"
    assert list(tmp_path.iterdir()) == [target]


def test_a_missing_column_is_reported_in_a_sentence(document, payments, tmp_path):
    columns = (Column("reference", "Reference"), Column("therapist", "Therapist"))
    with pytest.raises(ValueError, match="Table 'Payments' has no column 'therapist'"):
        render_pdf(document, [TableSection("Payments", columns, payments(3))], tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_chunked_20000_row_table_renders_every_row(
    document, payment_chunks, payment_columns, tmp_path, pdf_text
):
    table = TableSection(
        "Ledger", payment_columns, lambda: payment_chunks(20_000, chunk=5_000), totals=True
    )
    render_pdf(document, [table], tmp_path / "r.pdf")
    pages = pdf_text(tmp_path / "r.pdf")
    assert len(pages) > 300
    assert re.search(rf"Page {len(pages)} of\s*{len(pages)}\b", pages[-1])
    assert "PAY-019999" in pages[-1]
    rows = sum(len(re.findall(r"PAY-\d{6}", p)) for p in pages)
    assert rows == 20_000
