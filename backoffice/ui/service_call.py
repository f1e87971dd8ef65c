"""Run one service function as the signed-in person, in a unit of work of its own (on a worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from backoffice.services.login import StaffSession

T = TypeVar("T")


def call(session: StaffSession, service: Callable[..., T], **kwargs: Any) -> T:
    """`service(uow, actor, **kwargs)` in one unit of work; meant to run inside `run_op`."""
    with session.unit_of_work() as uow:
        return service(uow, session.actor, **kwargs)
