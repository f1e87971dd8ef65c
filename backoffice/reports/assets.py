"""Locate bundled resources (logo, fonts) in the source tree or inside the installed wheel."""

from __future__ import annotations

from pathlib import Path

from backoffice.resources import resource_path, resources_dir

__all__ = ["default_logo", "resource_path", "resources_dir"]


def default_logo() -> Path | None:
    """The bundled logo, or None when it is missing (the report then prints no logo)."""
    try:
        return resource_path("logo.png")
    except FileNotFoundError:
        return None
