"""Find and register a TrueType font that can draw the rupee sign, or fall back to Helvetica."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from backoffice.reports.assets import resources_dir

# (regular, bold, italic) file names, best first. Each of these families has the rupee sign
# in its current releases; the glyph is still checked, since old Arial files lack it.
_FAMILIES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"),
    ("arial.ttf", "arialbd.ttf", "ariali.ttf"),
    ("Arial.ttf", "Arial Bold.ttf", "Arial Italic.ttf"),
)
_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    os.path.join(os.environ.get("WINDIR", "C:/Windows"), "Fonts"),
)
_REGISTERED = ("ReportSans", "ReportSans-Bold", "ReportSans-Italic")


@dataclass(frozen=True)
class FontSet:
    """The three faces reports use, and whether they can draw more than Latin-1."""

    regular: str
    bold: str
    italic: str
    unicode: bool

    def can_draw(self, text: str) -> bool:
        if self.unicode:
            face = pdfmetrics.getFont(self.regular).face
            return all(ord(ch) in face.charToGlyph for ch in text)
        return all(ord(ch) < 256 for ch in text)


HELVETICA = FontSet("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", unicode=False)


@functools.cache
def report_fonts() -> FontSet:
    """The registered report fonts; the first call searches the disk, later calls are free."""
    files = find_font_files()
    if files is None:
        return HELVETICA
    for name, path in zip(_REGISTERED, files, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        _REGISTERED[0],
        normal=_REGISTERED[0],
        bold=_REGISTERED[1],
        italic=_REGISTERED[2],
        boldItalic=_REGISTERED[1],
    )
    return FontSet(*_REGISTERED, unicode=True)


def find_font_files() -> tuple[Path, Path, Path] | None:
    """Regular, bold and italic files of the first family found that has the rupee sign."""
    available = _font_files_by_name()
    for regular, bold, italic in _FAMILIES:
        if regular in available and bold in available and _has_rupee(available[regular]):
            return available[regular], available[bold], available.get(italic, available[regular])
    return None


def _has_rupee(path: Path) -> bool:
    try:
        return ord("₹") in TTFont("probe", str(path)).face.charToGlyph
    except (TTFError, OSError):
        return False


def _font_files_by_name() -> dict[str, Path]:
    # A font shipped in resources/fonts wins; the system folders are walked only when
    # fontconfig is absent (Windows, macOS without it).
    system = _fontconfig_files() or _walk([Path(d).expanduser() for d in _FONT_DIRS])
    found: dict[str, Path] = {}
    for path in [*_walk([_shipped_fonts_dir()]), *system]:
        found.setdefault(path.name, path)
    return found


def _shipped_fonts_dir() -> Path:
    try:
        return resources_dir() / "fonts"
    except FileNotFoundError:
        return Path(os.devnull)


def _fontconfig_files() -> list[Path]:
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line) for line in out.splitlines() if line.lower().endswith(".ttf")]


def _walk(folders: list[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files.extend(p for p in folder.rglob("*") if p.suffix.lower() == ".ttf")
    return files
