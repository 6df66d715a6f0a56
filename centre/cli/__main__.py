"""`python -m centre.cli` is `hall-centre`."""

import sys

from centre.cli import main

sys.exit(main())
