"""Bulk transfer: move the clients listed in a CSV file to their new therapists, one by one.

    uv run python examples/bulk_transfer.py --url postgresql://asha@db/clinic moves.csv \\
        --reason "Dr Rao is leaving the clinic" [--share-past-notes] [--dry-run]

`moves.csv` has a header `client_id,to_therapist_id` and one client a line. Each transfer is a
transaction of its own, as in the window: future appointments and bookings move, past ones stay,
both therapists are notified and the audit trail names the login. A transfer that is refused (the
client is unknown, already with that therapist, a therapist at capacity) is reported and the others
go on; a refusal of the login itself stops the run. Exit status: 0 all moved, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from backoffice import api


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        moves = _read_moves(args.moves)
        with api.connect(args.url) as clinic:
            print(f"Transferring as {clinic.actor.display_name} ({clinic.actor.role}).")
            refused = sum(not _move(clinic, client, to, args) for client, to in moves)
    except (api.PermissionDenied, api.DatabaseUnavailable, api.ValidationError) as error:
        print(f"bulk transfer: {error}", file=sys.stderr)
        return 1
    print(f"{len(moves) - refused} of {len(moves)} clients transferred.")
    return 1 if refused else 0


def _move(
    clinic: api.Clinic, client_id: str, to_therapist_id: str, args: argparse.Namespace
) -> bool:
    """One transfer (or, dry, what it would be); False when it was refused."""
    try:
        if args.dry_run:
            found = clinic.find_clients(client_id=client_id)
            if not found:
                raise api.NotFound(f"There is no client {client_id}.")
            print(
                f"{client_id}: {found[0].name}, now with {found[0].therapist_name}, would go to {to_therapist_id}."
            )
            return True
        moved = clinic.transfer_client(
            client_id=client_id,
            to_therapist_id=to_therapist_id,
            reason=args.reason,
            share_past_notes=args.share_past_notes,
        )
    except (api.ValidationError, api.ConflictError, api.NotFound) as error:
        print(f"{client_id}: {error}", file=sys.stderr)
        return False
    print(
        f"{client_id}: {moved.client_name} from {moved.from_therapist_name} to "
        f"{moved.to_therapist_name}; {len(moved.appointments_moved)} appointments and "
        f"{len(moved.bookings_moved)} bookings moved."
    )
    return True


def _read_moves(path: Path) -> list[tuple[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
    except OSError as error:
        raise api.ValidationError(f"{path} cannot be read ({error.strerror}).") from None
    if rows and not {"client_id", "to_therapist_id"} <= rows[0].keys():
        raise api.ValidationError(f"{path} needs the columns client_id and to_therapist_id.")
    return [(row["client_id"].strip(), row["to_therapist_id"].strip()) for row in rows]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("moves", type=Path, help="CSV file: client_id,to_therapist_id")
    parser.add_argument("--url", default=os.environ.get("BACKOFFICE_DATABASE_URL", ""))
    parser.add_argument("--reason", required=True, help="recorded with every transfer")
    parser.add_argument("--share-past-notes", action="store_true")
    parser.add_argument("--dry-run", action="store_true", help="show what would move, move nothing")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
