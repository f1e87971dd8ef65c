"""How a service function becomes a method of `Clinic`: the same name, docstring, keyword arguments
and result; the clinic supplies the signed-in actor and a unit of work of the call's own."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from backoffice.db import UnitOfWork
from backoffice.services.permissions import Actor

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
UnitsOfWork = Callable[[], UnitOfWork]


class Signed(Protocol):
    """What a method needs of the clinic: who is signed in, and a new unit of work."""

    @property
    def actor(self) -> Actor: ...

    def unit_of_work(self) -> UnitOfWork: ...


def workflow(
    service: Callable[Concatenate[UnitOfWork, Actor, P], R],
) -> Callable[Concatenate[Signed, P], R]:
    """`service(uow, actor, **kw)` as `clinic.service(**kw)`, in a unit of work of its own (as the
    window runs it): a workflow commits in it, a read leaves it to roll back."""

    def method(clinic: Signed, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with clinic.unit_of_work() as uow:
            return service(uow, clinic.actor, *args, **kwargs)

    return _described(method, service, supplied=2)


def with_units(
    service: Callable[Concatenate[UnitsOfWork, Actor, P], R],
) -> Callable[Concatenate[Signed, P], R]:
    """`service(uow_factory, actor, **kw)`: a service that opens the units of work it needs."""

    def method(clinic: Signed, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return service(clinic.unit_of_work, clinic.actor, *args, **kwargs)

    return _described(method, service, supplied=2)


def as_actor(service: Callable[Concatenate[Actor, P], R]) -> Callable[Concatenate[Signed, P], R]:
    """`service(actor, ...)`: no database, only who asks (what this role may see or run)."""

    def method(clinic: Signed, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return service(clinic.actor, *args, **kwargs)

    return _described(method, service, supplied=1)


def streaming(
    service: Callable[Concatenate[UnitOfWork, Actor, P], Iterator[T]],
) -> Callable[Concatenate[Signed, P], Iterator[T]]:
    """A service yielding chunks: its unit of work stays open until the last chunk is read."""

    def method(clinic: Signed, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        with clinic.unit_of_work() as uow:
            yield from service(uow, clinic.actor, *args, **kwargs)

    return _described(method, service, supplied=2)


def service_of(method: object) -> Callable[..., Any] | None:
    """The service function a `Clinic` method calls, or None for the clinic's own methods."""
    return getattr(method, "service", None)


def _described(method: Callable[..., R], service: Callable[..., Any], *, supplied: int) -> Any:
    """The method shows the service's name, docstring and signature, less what the clinic supplies."""
    signature = inspect.signature(service)
    own = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    parameters = [own, *list(signature.parameters.values())[supplied:]]
    method.__name__ = service.__name__
    method.__qualname__ = f"Clinic.{service.__name__}"
    method.__doc__ = service.__doc__
    method.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    method.service = service  # type: ignore[attr-defined]
    return method
