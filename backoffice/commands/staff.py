"""`backoffice staff add|disable|list`: staff logins, run by the database owner."""

from __future__ import annotations

import argparse
import getpass
import sys

from backoffice.commands.db import add_url_argument
from backoffice.errors import ValidationError
from backoffice.services.permissions import Role


def register(nouns: argparse._SubParsersAction) -> None:
    staff = nouns.add_parser("staff", help="add, disable or list staff logins")
    verbs = staff.add_subparsers(title="staff commands", metavar="VERB", required=True)

    add = verbs.add_parser("add", help="create a staff login (asks for the password twice)")
    add_url_argument(add)
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--therapist-id", help="for a therapist: their id in the therapists table")
    add.add_argument("--name", help="the name shown in the application (default: the therapist's)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(handler=run_add)

    disable = verbs.add_parser("disable", help="refuse further logins; the history stays")
    add_url_argument(disable)
    disable.add_argument("--username", required=True)
    disable.set_defaults(handler=run_disable)

    listing = verbs.add_parser("list", help="list the staff accounts")
    add_url_argument(listing)
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    from backoffice.db import parse_url
    from backoffice.db_login import connect
    from backoffice.owner.staff_logins import add_staff
    from backoffice.services.login import check_login_name, check_password

    # Checked here, before any connection (and before the owner's password may be asked for).
    url = parse_url(args.url)
    check_login_name(args.username)
    password = _read_password(from_stdin=args.password_stdin)
    check_password(password)
    with connect(url) as conn:
        row = add_staff(
            conn,
            username=args.username,
            role=args.role,
            password=password,
            therapist_id=args.therapist_id,
            display_name=args.name,
        )
        conn.commit()
    print(f"Added {row.login_role} ({row.role}, {row.display_name}).")
    if (user := row.website_user) is not None:
        how = "linked to the website user" if user.existed else "created the website user"
        print(f"Its staff account is {how} {user.username} (id {user.id}).")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    from backoffice.db import parse_url
    from backoffice.db_login import connect
    from backoffice.owner.staff_logins import disable_staff

    with connect(parse_url(args.url)) as conn:
        ended = disable_staff(conn, username=args.username)
        conn.commit()
    print(f"{args.username} can no longer log in; their history is kept.")
    if ended:
        print("Their open sessions, if any, were ended.")
    else:
        print(
            "Their open sessions could not be ended (a superuser must grant pg_signal_backend "
            "to the database owner); each is refused its next statement instead."
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from backoffice.db import parse_url
    from backoffice.db_login import connect
    from backoffice.owner.staff_logins import list_staff

    with connect(parse_url(args.url)) as conn:
        rows = list_staff(conn)
    if not rows:
        print("There are no staff accounts yet: add one with `backoffice staff add`.")
    for row in rows:
        state = "active" if row.is_active else "disabled"
        therapist = f"  therapist {row.therapist_id}" if row.therapist_id else ""
        print(f"{row.login_role:<24} {row.role:<10} {state:<9} {row.display_name}{therapist}")
    return 0


def _read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError("No terminal to ask for the password: pass --password-stdin.")
    first = getpass.getpass("Password for the new login: ")
    if getpass.getpass("The same password again: ") != first:
        raise ValidationError("The two passwords differ; nothing was created.")
    return first
