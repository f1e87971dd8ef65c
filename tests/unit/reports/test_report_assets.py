"""Finding the bundled resources in a checkout and in an installed wheel."""

from __future__ import annotations

import pytest

from backoffice import resources
from backoffice.reports import assets


def test_the_logo_is_found_in_the_source_tree():
    logo = assets.default_logo()
    assert logo is not None
    assert logo.parent.name == "resources"
    assert logo.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_installed_layout_is_preferred(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "backoffice"
    (package / "resources").mkdir(parents=True)
    (package / "resources" / "logo.png").write_bytes(b"png")
    monkeypatch.setattr(resources, "_PACKAGE_DIR", package)
    assert assets.resource_path("logo.png") == package / "resources" / "logo.png"


def test_a_missing_resource_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "backoffice")
    with pytest.raises(FileNotFoundError, match="resources folder is missing"):
        assets.resource_path("logo.png")
    assert assets.default_logo() is None
