"""`python -m feed.cli`: the same as the `hall-feed` command."""

import sys

from feed.cli import main

sys.exit(main())
