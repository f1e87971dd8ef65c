"""Password-protected PDFs (AES-256, PDF 2.0's revision 6), opened back with pypdf and poppler:
with the password, without it and with a wrong one; a long streamed table survives it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from backoffice.reports import ParagraphSection, TableSection, render_pdf

PASSWORD = "handover-2026"
SECRET = "Discussed the safety plan with her sister."
pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils")


@pytest.fixture
def clinical(document):
    return replace(document, title="Client history", confidential=True)


def _protected(document, tmp_path: Path, name: str = "p.pdf") -> Path:
    return render_pdf(document, [ParagraphSection(SECRET)], tmp_path / name, password=PASSWORD)


def test_the_password_opens_the_file_and_it_reads_as_written(clinical, tmp_path):
    reader = PdfReader(_protected(clinical, tmp_path), strict=True)
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD)
    first = reader.pages[0].extract_text()
    assert SECRET in first and "Client history" in first
    assert reader.metadata is not None and reader.metadata.title == "Client history"


def test_without_the_password_or_with_a_wrong_one_nothing_is_read(clinical, tmp_path):
    path = _protected(clinical, tmp_path)
    with pytest.raises(FileNotDecryptedError):
        PdfReader(path).pages[0].extract_text()
    wrong = PdfReader(path)
    assert not wrong.decrypt("handover-2025")
    with pytest.raises(FileNotDecryptedError):
        wrong.pages[0].extract_text()
    raw = path.read_bytes()
    assert b"Client history" not in raw and b"Serenity Minds" not in raw  # metadata too


def test_the_encryption_is_aes_256_of_pdf_2(clinical, tmp_path):
    encrypt = PdfReader(_protected(clinical, tmp_path)).trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"], encrypt["/Length"]) == (5, 6, 256)
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"


def test_two_files_with_one_password_share_no_key_or_salt(clinical, tmp_path):
    first = PdfReader(_protected(clinical, tmp_path, "a.pdf")).trailer["/Encrypt"].get_object()
    second = PdfReader(_protected(clinical, tmp_path, "b.pdf")).trailer["/Encrypt"].get_object()
    for entry in ("/U", "/O", "/UE", "/OE"):
        assert first[entry] != second[entry], entry


def test_a_streamed_table_of_many_pages_is_whole_once_decrypted(
    clinical, payment_chunks, payment_columns, tmp_path
):
    table = TableSection("Sessions", payment_columns, lambda: payment_chunks(3_000), totals=True)
    path = render_pdf(clinical, [table], tmp_path / "long.pdf", password=PASSWORD)
    reader = PdfReader(path, strict=True)
    reader.decrypt(PASSWORD)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 40
    assert re.search(rf"Page {len(pages)} of\s*{len(pages)}\b", pages[-1])
    assert sum(len(re.findall(r"PAY-\d{6}", p)) for p in pages) == 3_000


def _gray_page(path: Path, *password: str) -> subprocess.CompletedProcess[bytes]:
    """Page 1 rendered by poppler as a grey PGM on stdout."""
    command = ["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", *password, str(path)]
    return subprocess.run(command, capture_output=True, check=False)


@pdftoppm
def test_poppler_draws_page_one_with_the_password_as_the_unprotected_file(clinical, tmp_path):
    plain = render_pdf(clinical, [ParagraphSection(SECRET)], tmp_path / "plain.pdf")
    protected = _protected(clinical, tmp_path)
    drawn, expected = _gray_page(protected, "-upw", PASSWORD), _gray_page(plain)
    assert drawn.returncode == 0, drawn.stderr
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", drawn.stdout)
    assert header is not None
    pixels = drawn.stdout[header.end() :]
    assert sum(1 for value in pixels if value < 128) > 500  # ink: the masthead, the text
    assert drawn.stdout == expected.stdout  # the same page, pixel for pixel


@pdftoppm
@pytest.mark.parametrize("password", [(), ("-upw", "handover-2025")])
def test_poppler_refuses_to_draw_it_without_the_right_password(clinical, tmp_path, password):
    refused = _gray_page(_protected(clinical, tmp_path), *password)
    assert refused.returncode != 0
    assert b"Incorrect password" in refused.stderr
    assert refused.stdout == b""
