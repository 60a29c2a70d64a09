"""``python -m planlib``: the same as the ``planlib`` command."""

from .cli import main

raise SystemExit(main())
