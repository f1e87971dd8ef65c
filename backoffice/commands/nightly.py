"""The nightly jobs, signed in as an admin login: `backoffice registrations notify` (therapists
whose registration expires within 30 days are told, once) and `backoffice notes scan` (new and
edited notes scanned for risk language, in batches, each on record). Both can run any time:
what was done already is not done again.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from backoffice.commands.db import add_url_argument

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from backoffice.services.permissions import Actor


def register(nouns: argparse._SubParsersAction) -> None:
    registrations = nouns.add_parser("registrations", help="therapists' registration expiries")
    verbs = registrations.add_subparsers(title="registrations commands", metavar="VERB")
    verbs.required = True
    notify = verbs.add_parser("notify", help="tell therapists whose registration expires soon")
    add_url_argument(notify)
    notify.set_defaults(handler=run_notify)

    notes = nouns.add_parser("notes", help="session notes: the nightly risk-language scan")
    note_verbs = notes.add_subparsers(title="notes commands", metavar="VERB")
    note_verbs.required = True
    scan = note_verbs.add_parser("scan", help="scan new and edited notes for risk language")
    add_url_argument(scan)
    scan.add_argument("--batch", type=int, default=2000, help="notes per batch (1 to 5000)")
    scan.set_defaults(handler=run_scan)


def _signed_in(url_text: str) -> tuple[Engine, Actor]:
    import sqlalchemy as sa

    from backoffice.db import parse_url
    from backoffice.db_login import open_engine
    from backoffice.services.login import identify

    url = parse_url(url_text)
    engine = open_engine(url, poolclass=sa.NullPool)
    return engine, identify(engine, url)


def run_notify(args: argparse.Namespace) -> int:
    from backoffice.db import UnitOfWork
    from backoffice.services.therapists import notify_registration_expiries

    engine, actor = _signed_in(args.url)
    try:
        with UnitOfWork(engine) as uow:
            result = notify_registration_expiries(uow, actor)
    finally:
        engine.dispose()
    told = ", ".join(result.notified)
    print(f"Told {len(result.notified)} therapists: {told}." if told else "Nobody to tell today.")
    return 0


def run_scan(args: argparse.Namespace) -> int:
    from backoffice.db import UnitOfWork
    from backoffice.services.notes import scan_risk_language

    engine, actor = _signed_in(args.url)
    try:
        with UnitOfWork(engine) as uow:
            done = scan_risk_language(uow, actor, batch_size=args.batch)
    finally:
        engine.dispose()
    print(
        f"{done.examined:,} notes scanned in {done.batches} batches ({done.candidates:,} through "
        f"the prefilter), {done.flagged:,} with risk language; lexicon {done.lexicon_version}."
    )
    return 0
