"""Keep a long PDF's pages on disk, not in memory, until reportlab writes the file.

reportlab holds every finished page's drawing operators in memory and builds the whole
file as one bytes object at save(); for a 2,000-page ledger that is most of the memory
used. Here each page is deflated into a temporary spool file as soon as it is finished,
and save() streams the PDF to disk object by object, reading each page back in turn.
"""

from __future__ import annotations

import os
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

_ORIGINAL_FILE = pdfdoc.PDFFile
_save_target = threading.local()


class SpoolingCanvas(Canvas):
    """A canvas whose memory use does not grow with the number of pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Lives as long as the canvas: closed by save() or close_spool().
        self._spool: IO[bytes] = tempfile.TemporaryFile(prefix="report-pages-")  # noqa: SIM115

    def showPage(self) -> None:
        super().showPage()
        _spool_last_page(self._doc, self._spool)

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        try:
            with open(self._filename, "wb") as out, _streaming_to(out):
                self._doc.SaveToFile(out, self)
        finally:
            self.close_spool()

    def close_spool(self) -> None:
        self._spool.close()


class SpooledStream(PDFStream):
    """A page's content stream, already deflated, waiting in the spool file."""

    def __init__(self, spool: IO[bytes], offset: int, length: int) -> None:
        super().__init__(PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}), b"")
        self._spool, self._offset, self._length = spool, offset, length

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        self._spool.seek(self._offset)
        self.content = self._spool.read(self._length)
        try:
            return super().format(document)  # the Filter entry stops it deflating again
        finally:
            self.content = b""


def _spool_last_page(doc: pdfdoc.PDFDocument, spool: IO[bytes]) -> None:
    pages = getattr(getattr(doc, "Pages", None), "pages", None)
    page = pages[-1] if pages else None
    stream = getattr(page, "stream", None)
    if page is None or not isinstance(stream, str) or page.Contents is not None:
        return  # not the reportlab internals this was written for: keep the page in memory
    data = zlib.compress(stream.encode("utf-8"))  # reportlab's own Flate filter uses utf-8
    offset = spool.seek(0, os.SEEK_END)
    spool.write(data)
    page.Contents = SpooledStream(spool, offset, len(data))
    page.stream = None


class _StreamingFile(_ORIGINAL_FILE):  # type: ignore[misc,valid-type]
    """reportlab's output collector: writes straight to disk during one of our saves."""

    def __init__(self, pdfVersion: tuple[int, int] = pdfdoc.PDF_VERSION_DEFAULT) -> None:
        self._out: IO[bytes] | None = getattr(_save_target, "out", None)
        super().__init__(pdfVersion)

    def add(self, s: str | bytes) -> int:
        if self._out is None:  # any other reportlab user in the process: unchanged behaviour
            return int(super().add(s))
        data = pdfdoc.pdfdocEnc(s)
        offset = self.offset
        self.offset += len(data)
        self._out.write(data)
        return int(offset)

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        return b"" if self._out is not None else bytes(super().format(document))


@contextmanager
def _streaming_to(out: IO[bytes]) -> Iterator[None]:
    # PDFDocument.format() builds its collector from the module global PDFFile. The
    # replacement is a subclass that behaves exactly as the original unless this thread
    # is inside one of our saves, so installing it once is safe for everyone else.
    pdfdoc.PDFFile = _StreamingFile
    _save_target.out = out
    try:
        yield
    finally:
        _save_target.out = None
