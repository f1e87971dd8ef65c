"""`backoffice report NAME --url URL --from DATE --to DATE -o FILE` and `backoffice report --list`.

The login in the URL decides what may be run, exactly as in the window: the database says who it
is (`backoffice.session_staff()`), the permission matrix and PostgreSQL's grants do the rest.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice import config
from backoffice.commands.db import add_url_argument
from backoffice.errors import ValidationError
from backoffice.services.reports import PAGE_SIZES, check_report_password
from backoffice.values import count_text

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

    from backoffice.db_standby import ReadTarget
    from backoffice.services.reports import ReportProgress, ReportResult

EXIT_EMPTY_PERIOD = 3
# A scheduled report may take its time: no statement timeout.
_ENGINE_OPTIONS: dict[str, Any] = {
    "application_name": "clinic-backoffice report",
    "statement_timeout_ms": 0,
}
EPILOG = """\
A password is needed only if the server asks for one: from the URL, PGPASSWORD, ~/.pgpass
(or PGPASSFILE), the keyring entry the login window saved, or else asked on a terminal.
With --read-url the report reads from that hot standby (the same login and password) while it
answers and is less than 30 seconds behind; otherwise from --url, saying so on stderr.
--protect asks on the terminal, twice, for a password that the PDF will open with (AES-256);
--password-file FILE reads it from the first line of FILE instead (a script). A password is never
taken as an argument: other users of the machine would see it in the process list.
Exit status: 0 the report was written; 1 it was refused or the input is wrong (no file is
written); 3 the period was empty (the file is written and says so)."""


def register(nouns: argparse._SubParsersAction) -> None:
    report = nouns.add_parser(
        "report",
        help="export a report to PDF, CSV or XLSX (--list shows them)",
        description="Export a report to PDF, CSV or XLSX.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("name", nargs="?", metavar="NAME", help="the report, e.g. revenue")
    report.add_argument("--list", action="store_true", help="list the reports, one line each")
    add_url_argument(report)
    _add_read_url_argument(report)
    report.add_argument(
        "--from", dest="period_from", metavar="YYYY-MM-DD", help="the period's first day"
    )
    report.add_argument(
        "--to", dest="period_to", metavar="YYYY-MM-DD", help="the period's last day (included)"
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it; .pdf, .csv or .xlsx chooses the format",
    )
    report.add_argument("--therapist", metavar="T", help="only this therapist (their id)")
    report.add_argument("--client", metavar="C", help="the client (their id), for client-history")
    report.add_argument("--page-size", choices=PAGE_SIZES, default=PAGE_SIZES[0])
    _add_protection_arguments(report)
    report.set_defaults(handler=run_report_command)


def _add_protection_arguments(parser: argparse.ArgumentParser) -> None:
    protection = parser.add_mutually_exclusive_group()
    protection.add_argument(
        "--protect",
        action="store_true",
        help="encrypt the PDF with a password asked for on the terminal (twice)",
    )
    protection.add_argument(
        "--password-file",
        metavar="FILE",
        type=Path,
        help="encrypt the PDF with the password on the first line of FILE",
    )
    # Refused with a sentence rather than taken as an abbreviation of --password-file.
    parser.add_argument("--password", dest="password_argument", help=argparse.SUPPRESS)


def _add_read_url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--read-url",
        default=config.read_url_from_env(),
        metavar="URL",
        help=f"a hot standby to read from (default: ${config.READ_URL_ENV})",
    )


def run_report_command(args: argparse.Namespace) -> int:
    if args.list:
        print_list()
        return 0
    from backoffice.services.reports import get_report, validate_report

    if not args.name:
        raise ValidationError("Name the report to run; `backoffice report --list` shows them.")
    get_report(args.name)
    for value, option in (
        (args.period_from, "--from"),
        (args.period_to, "--to"),
        (args.output, "-o FILE"),
    ):
        if not value:
            raise ValidationError(f"Give {option}: a report needs a period and a file.")
    # Bad input is told before any connection or password prompt.
    validate_report(**_report_arguments(args))
    args.pdf_password = _pdf_password(args)
    if args.pdf_password is not None:
        validate_report(**_report_arguments(args), password=args.pdf_password)
    return _run(args)


def _pdf_password(args: argparse.Namespace) -> str | None:
    """The password the PDF is encrypted with: from --password-file, or asked twice (--protect)."""
    if args.password_argument is not None:
        raise ValidationError(
            "A password is never given as an argument, where others on this machine can read it: "
            "use --protect to be asked for it, or --password-file FILE."
        )
    if args.password_file is not None:
        return _password_from_file(args.password_file)
    if not args.protect:
        return None
    if not sys.stdin.isatty():
        raise ValidationError(
            "No terminal to ask for the PDF's password: give --password-file FILE instead."
        )
    first = getpass.getpass("Password to open the PDF with (it is not stored anywhere): ")
    check_report_password(first)
    if getpass.getpass("The same password again: ") != first:
        raise ValidationError("The two passwords differ; no report was written.")
    return first


def _password_from_file(path: Path) -> str:
    try:
        with path.expanduser().open(encoding="utf-8") as file:
            line = file.readline()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not a text file"
        raise ValidationError(f"The password file {path} cannot be read: {reason}.") from None
    return line.rstrip("\r\n")


def _report_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The command line's words as `run_report` and `validate_report` take them."""
    return {
        "name": args.name,
        "period_from": args.period_from,
        "period_to": args.period_to,
        "path": args.output,
        "therapist_id": args.therapist,
        "client_id": args.client,
        "page_size": args.page_size,
    }


def print_list() -> None:
    from backoffice.services.permissions import MATRIX
    from backoffice.services.reports import REPORTS

    for info in REPORTS:
        roles = ", ".join(
            role.value for role, allowed in MATRIX.items() if info.permission in allowed
        )
        print(f"{info.name:<15} {roles:<16} {info.description}")


def _run(args: argparse.Namespace) -> int:
    from backoffice.db import parse_url

    url = parse_url(args.url)
    engine = _report_engine(url)
    reads = _read_target(engine, args.read_url)
    try:
        result = _build(args, engine, url, reads)
    finally:
        engine.dispose()
        reads.engine.dispose()
        _clear_progress()
    if result.empty:
        print(f"backoffice: {result.message}", file=sys.stderr)
        return EXIT_EMPTY_PERIOD
    print(result.message)
    return 0


def _build(args: argparse.Namespace, engine: Engine, url: URL, reads: ReadTarget) -> ReportResult:
    from backoffice.db import UnitOfWork
    from backoffice.services.login import identify
    from backoffice.services.reports import run_report

    return run_report(
        lambda: UnitOfWork(engine),
        identify(engine, url),
        **_report_arguments(args),
        progress=_progress_printer(),
        read_uow_factory=reads.unit_of_work if reads.on_standby else None,
        password=args.pdf_password,
    )


def _report_engine(url: URL) -> Engine:
    import sqlalchemy as sa

    from backoffice.db_login import open_engine

    return open_engine(url, poolclass=sa.NullPool, **_ENGINE_OPTIONS)


def _read_target(primary: Engine, read_url: str | None) -> ReadTarget:
    """The standby when --read-url names one that answers and keeps up; the note is printed."""
    from backoffice.db import parse_url
    from backoffice.db_standby import ReadRouter, ReadTarget

    if not read_url:
        return ReadTarget(primary, on_standby=False)
    standby_url = parse_url(read_url)
    if not standby_url.password:  # the password the primary needed, if it needed one
        standby_url = standby_url.set(password=primary.url.password)
    router = ReadRouter(primary, _standby_engine(standby_url))
    target = router.target()
    if target.note:
        print(f"backoffice: {target.note}", file=sys.stderr)
        router.close()
    return target


def _standby_engine(url: URL) -> Engine:
    import sqlalchemy as sa

    from backoffice.db import create_engine

    # Not connected yet: the router falls back to the primary when the standby does not answer.
    return create_engine(url, poolclass=sa.NullPool, **_ENGINE_OPTIONS)


def _progress_printer() -> ReportProgress | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, expected: int) -> None:
        share = f" ({100 * done // expected}%)" if expected else ""
        print(f"\r{count_text(done)} rows{share}", end="", file=sys.stderr, flush=True)

    return show


def _clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
