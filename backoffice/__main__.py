"""`python -m backoffice` is the `backoffice` command."""

import sys

from backoffice.cli import main

sys.exit(main())
