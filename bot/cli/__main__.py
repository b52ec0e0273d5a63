"""`python -m bot.cli`, the same as `iop-handlaggare`."""

import sys

from bot.cli.app import main

sys.exit(main())
