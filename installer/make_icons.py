"""Draw resources/icons/app.svg as the platform icons the installers need: .ico, .icns, .png.

Usage: python installer/make_icons.py OUT_DIR  (run with the build environment's Python: it uses
PySide6 to draw the SVG and Pillow to write the icon files).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app.svg"


def draw(size: int, out: Path) -> Path:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    path = out / f"backoffice-{size}.png"
    if not image.save(str(path)):
        raise SystemExit(f"make_icons: could not write {path}.")
    return path


def main(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    out.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication([])
    pictures = {size: draw(size, out) for size in SIZES}
    largest = Image.open(pictures[1024])
    largest.save(out / "backoffice.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    largest.save(out / "backoffice.icns")
    print(f"make_icons: {out}/backoffice.ico, backoffice.icns and PNGs from {SVG.name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
