"""Run the CLI with ``python -m medbill_lab``."""

import sys

from medbill_lab.cli.app import main

sys.exit(main())
