"""The `backoffice` command: the application, the demo clinic, database, staff and report commands.

Every failure a person can cause ends in one sentence on stderr and a non-zero exit; anything
unexpected is written with its traceback to the log file, and the person is told where it is.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from backoffice import __version__, config
from backoffice.errors import BackofficeError

EXIT_USER_ERROR = 1
EXIT_UNEXPECTED = 70
# The self-test's window half runs in a child process (see backoffice.selftest.window).
_WINDOW_FLAG = "--self-test-window"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one sentence too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"backoffice: {message[:1].upper()}{message[1:]}. See `{self.prog} --help`.\n")


def build_parser() -> argparse.ArgumentParser:
    from backoffice.commands import audit, db, demo, nightly, offline, report, staff

    parser = _Parser(prog="backoffice", description=__doc__.splitlines()[0])
    parser.set_defaults(handler=_run_application)
    parser.add_argument("--version", action="version", version=_version_line())
    parser.add_argument(
        "--self-test",
        dest="handler",
        action="store_const",
        const=_run_self_test,
        help="check that this installation works (libraries, files, window), then exit",
    )
    nouns = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    demo.register(nouns)
    db.register(nouns)
    staff.register(nouns)
    report.register(nouns)
    audit.register(nouns)
    nightly.register(nouns)
    offline.register(nouns)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # pgserver asks platformdirs for a runtime directory at import; the fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:  # answered before anything heavy is imported
        print(_version_line())
        return 0
    args = _parse(argv)
    _configure_logging()
    try:
        return int(args.handler(args) or 0)
    except BackofficeError as error:
        print(f"backoffice: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("backoffice: Stopped.", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: no traceback reaches a person
        import logging

        logging.getLogger("backoffice").exception("unexpected failure")
        print(
            f"backoffice: Something unexpected went wrong ({type(error).__name__}); "
            f"the details are in {_log_file()}.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def _parse(argv: list[str]) -> argparse.Namespace:
    """Plain `backoffice` and the self-test start without importing every command (and SQLAlchemy)."""
    quick = {(): _run_application, ("--self-test",): _run_self_test}
    quick[(_WINDOW_FLAG,)] = _run_self_test_window
    handler = quick.get(tuple(argv))
    return argparse.Namespace(handler=handler) if handler else build_parser().parse_args(argv)


def _version_line() -> str:
    return f"{config.APP_NAME} {__version__}"


def _run_self_test(args: argparse.Namespace) -> int:
    from backoffice.selftest import run_self_test

    return run_self_test()


def _run_self_test_window(args: argparse.Namespace) -> int:
    try:
        from backoffice.ui.self_test_window import main as show_windows
    except ImportError as error:  # the parent prints this line as the window check's sentence
        print(f"Qt cannot be loaded ({error}).", flush=True)
        return 1
    return show_windows()


def _run_application(args: argparse.Namespace) -> int:
    if config.window_needs_display():
        raise BackofficeError(
            "The back-office window needs a display and there is none here (DISPLAY and "
            "WAYLAND_DISPLAY are not set): run it on a desktop, or use its commands "
            "(`backoffice --help`)."
        )
    from backoffice.app import run

    return run()


def _log_file() -> str:
    return str(config.log_dir() / "backoffice.log")


def _configure_logging() -> None:
    import logging  # after parsing: help and usage mistakes are answered without it

    root = logging.getLogger()
    if root.handlers:
        return
    try:
        config.log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(_log_file(), encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("pgserver").setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
