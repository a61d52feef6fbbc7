"""`python -m flows <command>`: the console script `newsclean` (flows/cli.py), for a checkout
without the package installed (the Makefile's way)."""

import sys

from flows.cli import console

sys.exit(console())
