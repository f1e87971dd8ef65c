"""`backoffice db check|upgrade|provision --url URL`.

Every command module imports its database, migration and report libraries inside its handlers,
after the local checks: `--help` and a usage mistake are answered without loading them.
"""

from __future__ import annotations

import argparse

from backoffice import config


def add_url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default=config.database_url_from_env(),
        help=f"the clinic database, e.g. postgresql://owner@db.clinic.example/clinic "
        f"(default: ${config.DATABASE_URL_ENV}); a password only if the server asks: from the "
        "URL, PGPASSWORD, ~/.pgpass, the login window's keyring entry, or the terminal",
    )


def register(nouns: argparse._SubParsersAction) -> None:
    db = nouns.add_parser("db", help="check, upgrade or provision a clinic database")
    verbs = db.add_subparsers(title="db commands", metavar="VERB", required=True)

    check = verbs.add_parser(
        "check", help="is this the documented clinic schema? plain-words report"
    )
    add_url_argument(check)
    check.add_argument(
        "--create-indexes",
        action="store_true",
        help="create the recommended indexes that are missing (CONCURRENTLY)",
    )
    check.set_defaults(handler=run_check)

    upgrade = verbs.add_parser("upgrade", help="create or upgrade the backoffice schema")
    add_url_argument(upgrade)
    upgrade.set_defaults(handler=run_upgrade)

    provision = verbs.add_parser("provision", help="group roles, grants and row-level security")
    add_url_argument(provision)
    provision.set_defaults(handler=run_provision)


def run_check(args: argparse.Namespace) -> int:
    from backoffice.db import parse_url, safe_url
    from backoffice.db_login import connect
    from backoffice.owner.dbcheck import check_database, format_report
    from backoffice.owner.indexes import create_indexes

    url = parse_url(args.url)
    with connect(url) as conn:
        report = check_database(conn)
        conn.rollback()
        if args.create_indexes and report.missing_indexes:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            skipped = create_indexes(conn, report.missing_indexes)
            created = len(report.missing_indexes) - len(skipped)
            print(f"Created {created} index(es).", *[f"Skipped {s}." for s in skipped], sep="\n")
            report = check_database(conn)
    print(format_report(report, safe_url(url)))
    return 0 if report.usable else 1


def run_upgrade(args: argparse.Namespace) -> int:
    from backoffice import migrations
    from backoffice.db import parse_url
    from backoffice.db_login import connect
    from backoffice.owner.dbcheck import require_clinic_tables

    url = parse_url(args.url)
    with connect(url) as conn:
        require_clinic_tables(conn)
        before = migrations.current_revision(conn)
        migrations.upgrade(conn)
        conn.commit()
        after = migrations.current_revision(conn)
    if before == after:
        print(f"The backoffice schema was already up to date (revision {after}); nothing changed.")
    else:
        print(f"The backoffice schema is now at revision {after} (was {before or 'absent'}).")
    return 0


def run_provision(args: argparse.Namespace) -> int:
    from backoffice.db import parse_url
    from backoffice.db_login import connect
    from backoffice.owner.dbcheck import require_clinic_tables
    from backoffice.owner.provisioning import provision

    url = parse_url(args.url)
    with connect(url) as conn:
        require_clinic_tables(conn)
        report = provision(conn)
        conn.commit()
    print(
        f"Provisioned: this clinic's groups {', '.join(report.groups.staff)} hold exactly the "
        "access matrix, only they may connect, and row-level security is on for the clinical "
        "tables."
    )
    for note in report.notes:
        print(note)
    return 0
