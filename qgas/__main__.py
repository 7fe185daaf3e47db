"""``python -m qgas``: the same command line as ``qgas`` (:func:`qgas.cli.main`)."""

import sys

from qgas.cli import main

sys.exit(main())
