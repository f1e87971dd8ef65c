"""`backoffice demo`: an embedded PostgreSQL with a synthetic clinic and demo logins."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from backoffice import config
from backoffice.errors import BackofficeError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from backoffice.demo.build import DemoClinic


def register(nouns: argparse._SubParsersAction) -> None:
    demo = nouns.add_parser("demo", help="open the application on an embedded demo clinic")
    demo.add_argument(
        "--size",
        choices=("small", "large", "xlarge"),
        default="small",
        help="small: 20,000 bookings (default); large: over a million; xlarge: ten million",
    )
    demo.add_argument(
        "--reset", action="store_true", help="throw the demo clinic away and rebuild it"
    )
    demo.add_argument(
        "--no-gui",
        action="store_true",
        help="prepare the database, print its URL and the logins, leave it running",
    )
    demo.add_argument("--stop", action="store_true", help="stop the demo database server")
    demo.add_argument(
        "--screenshots",
        metavar="DIR",
        help="log in as each demo role, save a PNG of every page into DIR",
    )
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from backoffice.demo.build import demo_server, prepare_demo

    _require_unix_sockets()
    if not (args.stop or args.no_gui or args.screenshots):
        _require_display()
    if args.stop:
        stopped = demo_server().stop()
        print(
            "The demo clinic's server has stopped."
            if stopped
            else "The demo clinic's server was not running."
        )
        return 0
    clinic = prepare_demo(args.size, reset=args.reset, progress=_say)
    if args.screenshots:
        return _take_screenshots(clinic, args.screenshots)
    if args.no_gui:
        _print_connection_details(clinic)
        return 0
    from backoffice.app import run

    return run(demo=clinic)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_connection_details(clinic: DemoClinic) -> None:
    print(f"The {clinic.size} demo clinic is running.")
    print(f"Database URL (the owner, for psql):  {_psql_url(clinic.owner_url)}")
    if clinic.logins:
        print("Demo logins (user / password / role):")
        for login in clinic.logins:
            print(f"  {login.username:<22} {login.password:<20} {login.role}")
    print("Stop it with: backoffice demo --stop")


def _psql_url(url: URL) -> str:
    from backoffice.db import safe_url

    return safe_url(url.set(drivername="postgresql"))


def _take_screenshots(clinic: DemoClinic, directory: str) -> int:
    from pathlib import Path

    from backoffice.app import demo_profile, qt_application
    from backoffice.ui.screenshots import take_screenshots

    if config.window_needs_display():  # pictures need no screen: Qt draws them offscreen
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    qt_application()
    profile, demo_logins = demo_profile(clinic)
    # One login per role is enough to show every page a role has.
    seen: dict[str, tuple[str, str, str]] = {}
    for login in clinic.logins:
        seen.setdefault(login.role, (login.username, login.password, login.role))
    written = take_screenshots(
        profile, list(seen.values()), Path(directory), demo_logins=demo_logins
    )
    print(f"Saved {len(written)} screenshots in {directory}.")
    return 0


# The embedded server is reached, and its owner recognised (peer), through a Unix socket;
# pgserver's server on Windows listens on a TCP port instead.
_ON_WINDOWS = sys.platform == "win32"


def _require_display() -> None:
    if config.window_needs_display():
        raise BackofficeError(
            "The demo clinic's window needs a display and there is none here (DISPLAY and "
            "WAYLAND_DISPLAY are not set): use `backoffice demo --no-gui` for its URL and logins, "
            "or `backoffice demo --screenshots DIR` for a picture of every page."
        )


def _require_unix_sockets() -> None:
    if _ON_WINDOWS:
        raise BackofficeError(
            "The demo clinic is not available on Windows yet: its embedded server needs Unix "
            "sockets. Connect to a clinic server instead."
        )
