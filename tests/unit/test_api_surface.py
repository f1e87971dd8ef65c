"""`backoffice.api` reaches every public function of every service package: a new workflow that is
not added to `Clinic` (or, needing no login, to `api`) fails here instead of being forgotten."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from backoffice import api, errors, services
from backoffice.api.methods import service_of

# What the clinic supplies: the unit of work (or a way to open them) and the signed-in actor.
SUPPLIED = {"uow", "uow_factory", "actor"}
# Areas that are not workflows a signed-in script calls.
NOT_AREAS = {"login": "signing in is what api.connect does"}


def _public_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for found in pkgutil.iter_modules(services.__path__):
        if not found.ispkg or found.name in NOT_AREAS:
            continue
        package = importlib.import_module(f"backoffice.services.{found.name}")
        for name in package.__all__:
            function = getattr(package, name)
            if inspect.isfunction(function):
                yield f"{found.name}.{name}", function


def _signed_in(function: Callable[..., Any]) -> bool:
    return next(iter(inspect.signature(function).parameters)) in SUPPLIED


def test_every_public_service_function_is_a_clinic_method_or_an_api_function():
    missing = []
    for where, function in _public_functions():
        if _signed_in(function):
            method = api.Clinic.__dict__.get(function.__name__)
            if service_of(method) is not function:
                missing.append(f"Clinic.{function.__name__} for {where}")
        elif getattr(api, function.__name__, None) is not function:
            missing.append(f"api.{function.__name__} for {where}")
    assert missing == []


def test_every_clinic_method_calls_a_public_service_function_of_its_own_name():
    public = {function for _, function in _public_functions()}
    for name, method in vars(api.Clinic).items():
        service = service_of(method)
        if service is not None:
            assert service in public, name
            assert service.__name__ == name


def test_a_method_takes_the_services_keyword_arguments_less_what_the_clinic_supplies():
    from backoffice.services import transfers

    method = inspect.signature(api.Clinic.transfer_client)
    service = inspect.signature(transfers.transfer_client)

    assert list(method.parameters)[1:] == list(service.parameters)[2:]
    assert api.Clinic.transfer_client.__doc__ == transfers.transfer_client.__doc__


def test_the_typed_errors_are_the_ones_the_services_raise():
    for name in (
        "BackofficeError",
        "PermissionDenied",
        "ValidationError",
        "ConflictError",
        "NotFound",
        "DatabaseUnavailable",
    ):
        assert getattr(api, name) is getattr(errors, name)


def test_the_guide_names_every_clinic_method():
    guide = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    methods = [name for name, method in vars(api.Clinic).items() if service_of(method)]

    assert [name for name in methods if f"`clinic.{name}(" not in guide] == []
