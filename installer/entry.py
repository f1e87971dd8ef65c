"""The bundle's entry point: the `backoffice` command, as `python -m backoffice` runs it."""

import sys

from backoffice.cli import main

if __name__ == "__main__":
    sys.exit(main())
