"""Import every module of a package, as a frozen bundle must be able to: a missing one is named."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from types import ModuleType

from backoffice.selftest.outcome import CheckFailed


def import_all(package: str, *, skip: Sequence[str] = ()) -> int:
    """Import `package` and all its submodules except those under `skip`; return how many."""
    root = _import(package)
    count, pending = 1, [(list(root.__path__), package + ".")]
    while pending:
        path, prefix = pending.pop()
        for info in pkgutil.iter_modules(path, prefix):
            if any(info.name == s or info.name.startswith(s + ".") for s in skip):
                continue
            module = _import(info.name)
            count += 1
            if info.ispkg:
                pending.append((list(module.__path__), info.name + "."))
    if count == 1:
        raise CheckFailed(f"No module of {package} was found beside it: the bundle is incomplete.")
    return count


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise CheckFailed(f"The module {name} cannot be imported ({error}).") from None
