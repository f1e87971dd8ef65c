"""Checks of a report request made before anything is read: the name, the period, the file, the
page size, the filters the report takes. Each refusal is one sentence (ValidationError)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from backoffice.errors import ValidationError
from backoffice.services.reports.catalogue import get_report
from backoffice.services.reports.types import FORMATS, PAGE_SIZES, ReportInfo, ReportRequest
from backoffice.values import date_text

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 127


def validate_report(
    *,
    name: str,
    period_from: dt.date | str,
    period_to: dt.date | str,
    path: str | os.PathLike[str],
    therapist_id: str | None = None,
    client_id: str | None = None,
    page_size: str = "A4",
    password: str | None = None,
) -> None:
    """Check what `run_report` would check before reading anything (not the permission, which
    needs the actor): so that a command line says what is wrong before asking for a password.

    Raises ValidationError with one sentence.
    """
    checked_request(
        get_report(name),
        period_from,
        period_to,
        path,
        therapist_id,
        client_id,
        page_size,
        password=password,
    )


def check_report_password(password: str) -> str:
    """The password a PDF is protected with, as given, when it is one (at least 8 characters,
    at most 127 bytes in UTF-8, as PDF's AES-256 encryption takes them); otherwise ValidationError
    with one sentence. No login needed."""
    if len(password.strip()) < MIN_PASSWORD_CHARS:
        raise ValidationError(
            f"The report's password must have at least {MIN_PASSWORD_CHARS} characters besides "
            "spaces: the file may travel where anyone can try passwords on it."
        )
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValidationError(
            "The report's password is too long: PDF readers take at most 127 bytes of it."
        )
    return password


def check_report_fields(
    *,
    name: str,
    period_from: dt.date | str,
    period_to: dt.date | str,
    therapist_id: str | None = None,
    client_id: str | None = None,
) -> None:
    """Check the period and the filters of a report (not yet the file): so that a window refuses
    a period that ends before it starts before asking where to save. Raises ValidationError."""
    _request(get_report(name), period_from, period_to, therapist_id, client_id)


def checked_request(
    info: ReportInfo,
    period_from: dt.date | str,
    period_to: dt.date | str,
    path: str | os.PathLike[str],
    therapist_id: str | None,
    client_id: str | None,
    page_size: str,
    *,
    password: str | None = None,
) -> tuple[ReportRequest, Path, str]:
    request = _request(info, period_from, period_to, therapist_id, client_id)
    target, kind = _target(path)
    if page_size not in PAGE_SIZES:
        raise ValidationError(f"The page size is A4 or Letter, not {page_size!r}.")
    if password is not None:
        if kind != "pdf":
            raise ValidationError(
                f"Only a PDF can be protected with a password; {target.name} is a {kind.upper()} "
                "file: save it as .pdf, or without a password."
            )
        check_report_password(password)
    return request, target, kind


def _request(
    info: ReportInfo,
    period_from: dt.date | str,
    period_to: dt.date | str,
    therapist_id: str | None,
    client_id: str | None,
) -> ReportRequest:
    start, end = _date(period_from, "first"), _date(period_to, "last")
    if end < start:
        raise ValidationError(
            f"The period ends on {date_text(end)}, before it starts on {date_text(start)}."
        )
    therapist = (therapist_id or "").strip() or None
    client = (client_id or "").strip() or None
    if therapist and not info.takes_therapist:
        raise ValidationError(f"The {info.name} report cannot be narrowed to one therapist.")
    if info.needs_client and not client:
        raise ValidationError(f"The {info.name} report is about one client: give the client's id.")
    if client and not info.needs_client:
        raise ValidationError(f"The {info.name} report cannot be narrowed to one client.")
    return ReportRequest(start, end, therapist, client)


def _date(value: dt.date | str, which: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        shown = f"{text!r} is not a date" if text else "it is missing"
        raise ValidationError(
            f"The period's {which} day must be a date written YYYY-MM-DD; {shown}."
        ) from None


def _target(path: str | os.PathLike[str]) -> tuple[Path, str]:
    target = Path(path).expanduser()
    kind = target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValidationError("Save the report to a file ending in .pdf, .csv or .xlsx.")
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; give a file name ending in .{kind}.")
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError(f"The folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise ValidationError(f"{target} cannot be written: you may not write in {folder}.")
    return target, kind
