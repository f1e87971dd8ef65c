"""render_pdf: a report document and its sections to a PDF file, streaming big tables."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate

from backoffice.reports import pdf_style as st
from backoffice.reports.atomic import atomic_output
from backoffice.reports.feed import Monitor
from backoffice.reports.fonts import report_fonts
from backoffice.reports.pdf_blocks import masthead, period_text, section_flowables
from backoffice.reports.pdf_protect import Aes256Encryption
from backoffice.reports.pdf_spool import SpoolingCanvas
from backoffice.reports.spec import CancelCheck, ProgressCallback, ReportDocument, Section

_PAGE_COUNT_FORM = "PageCount"
_FOOTER_SIZE = 7.5


def render_pdf(
    document: ReportDocument,
    sections: Sequence[Section],
    path: str | os.PathLike[str],
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    password: str | None = None,
) -> Path:
    """Write the report as a PDF at path and return it.

    progress(rows_done) is called as table rows are consumed; when cancelled() returns True
    the work stops with ReportCancelled and no file is left behind. Table data may be a
    DataFrame or an iterable of chunks: memory stays flat whatever the row count. With a
    password, the file is encrypted with AES-256 as it is written (`pdf_protect`), still streamed.
    """
    theme = st.Theme(report_fonts())
    monitor = Monitor(progress, cancelled)
    monitor.check()
    with atomic_output(path) as temporary:
        template = _ReportTemplate(temporary, document, theme, monitor, password)
        story = [NextPageTemplate("later"), *masthead(document, theme, template.width)]
        for section in sections:
            story.extend(section_flowables(section, theme, monitor, template.width))
        try:
            template.build(story, canvasmaker=_PageCountingCanvas)
        finally:  # also when cancelled half-way: the spooled pages go with it
            canvas = getattr(template, "canv", None)
            if isinstance(canvas, SpoolingCanvas):
                canvas.close_spool()
    return Path(path)


class _PageCountingCanvas(SpoolingCanvas):
    """Writes the page total once, at the end, into every page's footer.

    Every footer draws "Page N of " and then a form XObject that is defined only in save(),
    when the total is known: a single pass, with no page kept back waiting for the total.
    """

    footer_font = "Helvetica"

    def save(self) -> None:
        self.beginForm(_PAGE_COUNT_FORM, 0, -4, 200, 12)
        self.setFont(self.footer_font, _FOOTER_SIZE)
        self.setFillColor(st.MUTED)
        self.drawString(0, 0, str(self.getPageNumber() - 1))  # showPage already moved past the last
        self.endForm()
        super().save()


class _ReportTemplate(BaseDocTemplate):
    """Page geometry and decoration: running header after page one, footer on every page."""

    def __init__(
        self,
        filename: Path,
        document: ReportDocument,
        theme: st.Theme,
        monitor: Monitor,
        password: str | None,
    ) -> None:
        super().__init__(
            str(filename),
            pagesize=st.page_size(document),
            leftMargin=st.MARGIN,
            rightMargin=st.MARGIN,
            topMargin=st.MARGIN + st.HEADER_BAND,
            bottomMargin=st.MARGIN + st.FOOTER_BAND,
            title=document.title,
            author=document.generated_by,
            creator="Clinic back-office",
            subject=f"{document.clinic_name}, {period_text(document)}",
            encrypt=None if password is None else Aes256Encryption(password),
        )
        self.document, self.theme, self.monitor = document, theme, monitor
        self.addPageTemplates(self._page_templates())

    def _page_templates(self) -> list[PageTemplate]:
        """Page one has no running header, so its frame also takes the header band."""
        first = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height + st.HEADER_BAND,
            id="first",
            **_NO_PADDING,
        )
        later = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="later", **_NO_PADDING
        )
        return [
            PageTemplate("first", [first], onPage=self._decorate),
            PageTemplate("later", [later], onPage=self._decorate_later),
        ]

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        self.monitor.check()  # once per page: cancel is noticed even between tables
        canv.saveState()
        _draw_footer(canv, self)
        canv.restoreState()

    def _decorate_later(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._decorate(canv, doc)
        canv.saveState()
        _draw_running_header(canv, self)
        canv.restoreState()


_NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _draw_footer(canv: Canvas, template: _ReportTemplate) -> None:
    fonts, document = template.theme.fonts, template.document
    canv.footer_font = fonts.regular
    left, right = template.leftMargin, template.leftMargin + template.width
    rule_y = st.MARGIN + st.FOOTER_BAND - 6
    canv.setStrokeColor(st.RULE)
    canv.setLineWidth(0.5)
    canv.line(left, rule_y, right, rule_y)
    text_y = rule_y - 11
    label = f"Page {canv.getPageNumber()} of "
    canv.setFont(fonts.regular, _FOOTER_SIZE)
    canv.setFillColor(st.MUTED)
    canv.drawString(left, text_y, label)
    canv.saveState()
    canv.translate(left + stringWidth(label, fonts.regular, _FOOTER_SIZE), text_y)
    canv.doForm(_PAGE_COUNT_FORM)
    canv.restoreState()
    canv.drawRightString(right, text_y, f"{document.clinic_name} · {document.title}")
    if document.confidential:
        _draw_confidential(canv, fonts.bold, document.confidentiality_notice, left, right)


def _draw_confidential(canv: Canvas, font: str, notice: str, left: float, right: float) -> None:
    size = 7.5
    while size > 5 and stringWidth(notice, font, size) > right - left:
        size -= 0.5  # a long custom notice gets smaller rather than running off the page
    canv.setFont(font, size)
    canv.setFillColor(st.WARNING)
    canv.drawCentredString((left + right) / 2, st.MARGIN, notice)


def _draw_running_header(canv: Canvas, template: _ReportTemplate) -> None:
    fonts, document = template.theme.fonts, template.document
    left, right = template.leftMargin, template.leftMargin + template.width
    top = template.pagesize[1] - st.MARGIN
    canv.setFont(fonts.bold, 8.5)
    canv.setFillColor(st.ACCENT)
    canv.drawString(left, top - 9, document.clinic_name)
    canv.setFont(fonts.regular, 8)
    canv.setFillColor(st.MUTED)
    canv.drawRightString(right, top - 9, f"{document.title} · {period_text(document)}")
    canv.setStrokeColor(st.RULE)
    canv.setLineWidth(0.5)
    canv.line(left, top - 15, right, top - 15)
