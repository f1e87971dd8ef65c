"""Fast text for big tables: each character's glyph code, escape and width worked out once.

reportlab's drawString re-encodes, re-escapes and re-measures every string in pure Python
(its C accelerator is a separate package); a 100,000-row ledger has a million cells, so the
table painter writes the text operators itself from these per-character caches.
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakKeyDictionary

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

_ENCODERS: WeakKeyDictionary[Canvas, dict[str, FontEncoder]] = WeakKeyDictionary()


def encoder(canv: Canvas, font_name: str) -> FontEncoder:
    """The encoder of font_name for this canvas (glyph codes are assigned per document)."""
    per_canvas = _ENCODERS.setdefault(canv, {})
    if font_name not in per_canvas:
        per_canvas[font_name] = FontEncoder(canv, font_name)
    return per_canvas[font_name]


class FontEncoder:
    """Widths and PDF string bodies for one font in one document, cached per character."""

    def __init__(self, canv: Canvas, font_name: str) -> None:
        self.font_name = font_name
        self._font = pdfmetrics.getFont(font_name)
        self._doc = canv._doc  # TrueType subsets are numbered per document
        self._chars: dict[str, tuple[int, str, float]] = {}
        self._names: dict[int, str] = {}
        # Characters of glyph subset 0 (nearly all text), as a str.translate table so that a
        # whole string is encoded in one C call; widths per character for the same reason.
        self._subset0: set[str] = set()
        self._table0: dict[int, str] = {}
        self._widths: dict[str, float] = {}
        self.clipped: dict[tuple[str, float], str] = {}  # names repeat down a ledger

    def width(self, text: str, size: float) -> float:
        try:
            return sum(map(self._widths.__getitem__, text)) * size
        except KeyError:
            for ch in text:
                self._learn(ch)
            return sum(map(self._widths.__getitem__, text)) * size

    def encode(self, text: str, size: float) -> tuple[float, str]:
        """(width at size 1, text-showing operators); subset 0 is assumed to be the font set."""
        if self._subset0.issuperset(text):  # nearly always: one C call each way
            width = sum(map(self._widths.__getitem__, text))
            return width, f"({text.translate(self._table0)}) Tj"
        return self._encode_mixed(text, size)

    def _encode_mixed(self, text: str, size: float) -> tuple[float, str]:
        entries = [self._chars.get(ch) or self._learn(ch) for ch in text]
        ops, subset, parts = [], 0, list[str]()
        for code_set, body, _ in entries:
            if code_set != subset:  # glyphs past the first 256 live in further font subsets
                ops += [f"({''.join(parts)}) Tj", f"{self.resource(code_set)} {size} Tf"]
                subset, parts = code_set, []
            parts.append(body)
        ops.append(f"({''.join(parts)}) Tj")
        if subset != 0:
            ops.append(f"{self.resource(0)} {size} Tf")
        return sum(e[2] for e in entries), " ".join(ops)

    def _learn(self, ch: str) -> tuple[int, str, float]:
        if getattr(self._font, "_dynamicFont", False):  # TrueType: subset and code per glyph
            subset, data = self._font.splitString(ch, self._doc)[0]
        else:  # standard Type 1 fonts speak WinAnsi
            subset, data = 0, ch.encode("cp1252", errors="replace")
        entry = (
            subset,
            "".join(_escape(b) for b in data),
            pdfmetrics.stringWidth(ch, self.font_name, 1000) / 1000,
        )
        self._chars[ch] = entry
        self._widths[ch] = entry[2]
        if subset == 0:
            self._subset0.add(ch)
            self._table0[ord(ch)] = entry[1]
        return entry

    def resource(self, subset: int) -> str:
        """The PDF font resource name of one glyph subset (Type 1 fonts have only 0)."""
        if subset not in self._names:
            if getattr(self._font, "_dynamicFont", False):
                self._names[subset] = self._font.getSubsetInternalName(subset, self._doc)
            else:
                self._names[subset] = self._doc.getInternalFontName(self.font_name)
        return self._names[subset]


def _escape(byte: int) -> str:
    if byte in (0x28, 0x29, 0x5C):  # ( ) \ delimit PDF strings
        return "\\" + chr(byte)
    return chr(byte) if 32 <= byte < 127 else f"\\{byte:03o}"


def text_block(canv: Canvas, enc: FontEncoder, size: float, color: Color, lines: list[str]) -> None:
    """Draw "x y Tm (text) Tj" lines in one text object, inside q/Q so the canvas's state holds."""
    if not lines:
        return
    rgb = f"{color.red:.3f} {color.green:.3f} {color.blue:.3f} rg"
    canv.addLiteral("\n".join(["q", rgb, "BT", f"{enc.resource(0)} {size} Tf", *lines, "ET", "Q"]))


Rect = tuple[float, float, float, float]


def fill_rects(canv: Canvas, color: Color, rects: Iterable[Rect]) -> None:
    """Fill many rectangles with one colour (zebra stripes) in one go."""
    rects = list(rects)
    if not rects:
        return
    ops = ["q", f"{color.red:.3f} {color.green:.3f} {color.blue:.3f} rg"]
    ops += [f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re" for x, y, w, h in rects]
    ops += ["f", "Q"]
    canv.addLiteral("\n".join(ops))
