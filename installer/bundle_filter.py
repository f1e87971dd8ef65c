"""What goes into the bundle besides what PyInstaller finds: used by backoffice.spec.

Data files (resources, Alembic scripts, the demo's PostgreSQL, report fonts) and the filter that
keeps only the Qt plugins and libraries the application uses. Paths are bundle destinations.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

# Never imported by the application; some are pulled in by optional imports of libraries.
EXCLUDED_MODULES = [
    "tkinter",
    "_tkinter",
    "IPython",
    "matplotlib",
    "scipy",
    "pytest",
    "pypdf",
    "setuptools",
    "pip",
    "PyInstaller",
    "docutils",
    "sphinx",
    "jinja2",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtPdf",
    "PySide6.QtWebEngineCore",
    "PySide6.QtMultimedia",
    "PySide6.Qt3DCore",
    # QtCharts links the OpenGL libraries, but its Python module needs no OpenGL bindings.
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    # Reports embed PNG and JPEG pictures only: no AVIF (5 MB of codec), no Tk.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
]

_PLATFORMS = ("qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa", "qminimal.")
_PLUGIN_KINDS = {
    "platforms",
    "platformthemes",
    "platforminputcontexts",
    "iconengines",
    "imageformats",
    "xcbglintegrations",
    "styles",
    "wayland-decoration-client",
    "wayland-shell-integration",
    "wayland-graphics-integration-client",
}
_IMAGE_FORMATS = ("svg", "ico", "jpeg", "gif")
# Libraries that only plugins or modules the application does not use need (Linux and Windows
# name them Qt6Pdf, macOS frameworks QtPdf).
_UNUSED_QT_LIBRARY = re.compile(r"Qt6?(Pdf|Quick|Qml|VirtualKeyboard|Network)")


def keep(destination: str) -> bool:
    """False for Qt translations (the interface is English), unused plugins and their libraries."""
    parts = destination.replace("\\", "/").split("/")
    if parts[0] == "PySide6" and "translations" in parts:
        return False
    if parts[0] == "PySide6" and "plugins" in parts:  # PySide6/Qt/plugins, or PySide6/plugins
        kind = parts[parts.index("plugins") + 1]
        return _keep_plugin(kind, parts[-1])
    return not _UNUSED_QT_LIBRARY.search("/".join(parts))


def _keep_plugin(kind: str, name: str) -> bool:
    if kind not in _PLUGIN_KINDS:
        return False
    if kind == "platforms":
        return any(platform in name for platform in _PLATFORMS)
    if kind == "platformthemes":
        return "gtk" not in name  # the GTK theme drags in all of GTK
    if kind == "imageformats":
        return any(image in name for image in _IMAGE_FORMATS)
    if kind == "platforminputcontexts":
        return "virtualkeyboard" not in name
    return True


def _is_root(destination: str, kind: str) -> bool:
    # The demo's PostgreSQL programs are data to the application but binaries to PyInstaller.
    plugin_or_python = "/plugins/" in destination or "libpython" in destination
    return kind == "EXTENSION" or plugin_or_python or destination.startswith("pgserver")


def prune(binaries: list) -> tuple[list, list[str]]:
    """On Linux, drop the libraries that only the plugins filtered out needed (GTK for the GTK
    theme, EGLFS for eglfs...): keep what the extension modules, the kept plugins and libpython
    link to. Returns the kept entries and the names of those dropped."""
    if not sys.platform.startswith("linux"):
        return binaries, []
    from PyInstaller.depend import bindepend

    roots = [e for e in binaries if _is_root(e[0].replace("\\", "/"), e[2])]
    needed = {Path(e[0]).name for e in roots}
    for _dest, source, _kind in roots:
        # ldd resolves the whole tree of dependencies at once.
        needed.update(name for name, _path in bindepend.get_imports(source))
    kept = [e for e in binaries if Path(e[0]).name in needed]
    dropped = sorted(e[0] for e in binaries if Path(e[0]).name not in needed)
    return kept, dropped


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"The package {name} is not installed in the build environment.")
    return Path(spec.origin).parent


def backoffice_datas() -> list[tuple[str, str]]:
    """Icons and logo, and the Alembic scripts, where the installed package has them."""
    package = _package_dir("backoffice")
    resources = package / "resources"
    if not resources.is_dir():
        raise SystemExit(f"{resources} is missing: install the project as a wheel (--no-editable).")
    migrations = package / "migrations"
    return [
        (str(resources), "backoffice/resources"),
        (str(migrations / "env.py"), "backoffice/migrations"),
        (str(migrations / "script.py.mako"), "backoffice/migrations"),
        *[(str(p), "backoffice/migrations/versions") for p in migrations.glob("versions/*.py")],
    ]


def pgserver_datas() -> list[tuple[str, str]]:
    """The demo's PostgreSQL: server programs, their modules and share files, and the libpq
    the programs find through their RPATH ($ORIGIN/../../../pgserver.libs)."""
    package = _package_dir("pgserver")
    install = package / "pginstall"
    wanted = ("postgres", "initdb", "pg_ctl", "psql", "pg_dump", "pg_restore")
    datas = [
        (str(p), "pgserver/pginstall/bin")
        for p in (install / "bin").iterdir()
        if p.stem in wanted or p.suffix.lower() == ".dll"
    ]
    modules = install / "lib" / "postgresql"
    datas += [(str(p), "pgserver/pginstall/lib/postgresql") for p in modules.glob("*.*")]
    datas.append((str(install / "share"), "pgserver/pginstall/share"))
    for libs in (package.parent / "pgserver.libs", package / ".dylibs"):
        if libs.is_dir():
            datas.append((str(libs), str(libs.relative_to(package.parent))))
    return datas


def fonts_datas() -> list[tuple[str, str]]:
    """On Linux, DejaVu Sans (it has the rupee sign) for reports, with its licence; Windows and
    macOS have Arial, which the reports find by themselves."""
    if not sys.platform.startswith("linux"):
        return []
    folder = Path("/usr/share/fonts/truetype/dejavu")
    names = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
    found = [
        (str(folder / n), "backoffice/resources/fonts") for n in names if (folder / n).is_file()
    ]
    if len(found) < 2:
        raise SystemExit(f"DejaVu Sans is missing from {folder}: install fonts-dejavu-core.")
    licence = Path("/usr/share/doc/fonts-dejavu-core/copyright")
    if licence.is_file():
        found.append((str(licence), "backoffice/resources/fonts/DejaVu"))
    return found
