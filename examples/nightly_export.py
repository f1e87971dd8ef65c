"""Nightly export: every report this login may run, for the month so far, written into one folder.

    uv run python examples/nightly_export.py --url postgresql://finance_login@db/clinic --to-folder /srv/exports

Made for cron or a systemd timer: put no password in the URL. The server's own rules (trust, peer,
client certificates) or ~/.pgpass decide, as for psql; `backoffice.api` asks for nothing else when
nobody is at a terminal. The login decides which reports exist for it, exactly as in the window.
Exit status: 0 every report was written (an empty period included), 1 one sentence on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from backoffice import api


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    period_to = args.to or dt.date.today() - dt.timedelta(days=1)
    period_from = args.since or period_to.replace(day=1)
    try:
        with api.connect(args.url) as clinic:
            print(f"Exporting as {clinic.actor.display_name} ({clinic.actor.role}).")
            for report in clinic.list_reports():
                if report.needs_client:  # about one client: not a nightly job
                    continue
                name = f"{report.name}-{period_from}-{period_to}.{args.format}"
                result = clinic.run_report(
                    name=report.name,
                    period_from=period_from,
                    period_to=period_to,
                    path=args.to_folder / name,
                )
                print(result.message)
    except api.BackofficeError as error:  # one sentence, already written for a person
        print(f"nightly export: {error}", file=sys.stderr)
        return 1
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BACKOFFICE_DATABASE_URL", ""))
    parser.add_argument("--to-folder", type=Path, required=True)
    parser.add_argument("--format", choices=api.FORMATS, default="pdf")
    parser.add_argument("--from", dest="since", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--to", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: yesterday)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
