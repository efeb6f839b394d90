"""``python -m pipeline.bench``: see :mod:`pipeline.bench.run`."""

import sys

from .run import main

sys.exit(main())
