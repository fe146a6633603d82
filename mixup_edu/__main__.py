"""``python -m mixup_edu``: see ``mixup_edu.cli``."""

import sys

from .cli import main

sys.exit(main())
