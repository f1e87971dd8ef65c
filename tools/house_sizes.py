"""The house sizes (STYLE.md): files under ~300 lines, functions under ~30, as `ruff format` lays them out.

Prints every file and function over the limits and exits 1 when there is one. Usage:
`python tools/house_sizes.py [--file-lines N] [--function-lines N] [PATH ...]` (default: backoffice).
A function's size is its body and signature, without its docstring; a file's size is its line count.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path


def function_sizes(tree: ast.AST) -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line, lines without the docstring) of every function in a module."""
    for node, qualname in _functions(tree, ""):
        lines = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
        yield qualname, node.lineno, lines - _docstring_lines(node)


def _functions(
    node: ast.AST, prefix: str
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    for child in ast.iter_child_nodes(node):
        name = getattr(child, "name", "")
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield child, prefix + name
            yield from _functions(child, f"{prefix}{name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{name}.")


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = node.body[0] if node.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and first.end_lineno
    ):
        return first.end_lineno - first.lineno + 1
    return 0


# Released Alembic revisions are never edited (clinics may have run them), so they are not resized.
RELEASED_REVISIONS = ("0001_", "0002_", "0003_")


def _sources(paths: list[Path]) -> list[Path]:
    found = {p for root in paths for p in ([root] if root.is_file() else root.rglob("*.py"))}
    return sorted(
        p
        for p in found
        if not (p.parent.name == "versions" and p.name.startswith(RELEASED_REVISIONS))
    )


def offenders(paths: list[Path], file_limit: int, function_limit: int) -> list[str]:
    found = []
    for path in _sources(paths):
        source = path.read_text(encoding="utf-8")
        if (count := len(source.splitlines())) > file_limit:
            found.append(f"{path}: {count} lines (file limit {file_limit})")
        for name, line, size in function_sizes(ast.parse(source)):
            if size > function_limit:
                found.append(
                    f"{path}:{line}: {name} has {size} lines (function limit {function_limit})"
                )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("backoffice")])
    parser.add_argument("--file-lines", type=int, default=300)
    parser.add_argument("--function-lines", type=int, default=30)
    args = parser.parse_args(argv)
    found = offenders(args.paths, args.file_lines, args.function_lines)
    print("\n".join(found) if found else "Every file and function is within the house sizes.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
