"""Every SQLAlchemy engine the code base makes hides bound parameters from its log lines and error
texts (#11 item 11): either it comes from `backoffice.db.create_engine`, which sets it, or the
call says `hide_parameters=True` itself."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _direct_sqlalchemy_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls of sqlalchemy's own create_engine: as `sa.` or `sqlalchemy.` attribute, or imported
    by name from sqlalchemy."""
    from_sqlalchemy = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "sqlalchemy"
        and any(alias.name == "create_engine" for alias in node.names)
        for node in ast.walk(tree)
    )
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "create_engine":
            if isinstance(func.value, ast.Name) and func.value.id in {"sa", "sqlalchemy"}:
                calls.append(node)
        elif isinstance(func, ast.Name) and func.id == "create_engine" and from_sqlalchemy:
            calls.append(node)
    return calls


def _hides(call: ast.Call) -> bool:
    return any(
        k.arg == "hide_parameters" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in call.keywords
    )


def test_every_engine_hides_its_bound_parameters():
    bare = []
    for folder in ("backoffice", "bench", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text())
            for call in _direct_sqlalchemy_calls(tree):
                if not _hides(call):
                    bare.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert bare == []
