"""``python -m bookbuild html|pdf``: see ``bookbuild.build``."""

import sys

from bookbuild.build import main

sys.exit(main())
