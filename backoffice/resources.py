"""Locate bundled resources (icons, logo, fonts) in the source tree or inside the installed wheel.

Kept free of Qt and of the report libraries, so that both the window and the reports can use it
without importing each other's dependencies."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent  # backoffice/


def resources_dir() -> Path:
    """The resources folder: backoffice/resources when installed, <repo>/resources in a checkout."""
    # The wheel force-includes <repo>/resources as backoffice/resources (see pyproject.toml).
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"The resources folder is missing: looked in {_PACKAGE_DIR / 'resources'} "
        f"and {_PACKAGE_DIR.parent / 'resources'}."
    )


def resource_path(name: str) -> Path:
    """A file under resources/, e.g. resource_path("logo.png")."""
    path = resources_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"The resource {name!r} is missing from {path.parent}.")
    return path


def guide_path(role: str) -> Path:
    """The user guide of a role (docs/guide/<role>.md; backoffice/resources/guide when installed)."""
    name = f"{role}.md"
    for folder in (_PACKAGE_DIR / "resources" / "guide", _PACKAGE_DIR.parent / "docs" / "guide"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"The user guide {name} is missing from this installation.")
