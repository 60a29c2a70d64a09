"""What the report's chart worker processes load before they fork (the forkserver's preload).

The workers only build charts (never validated against the schema) and render them, so the
server skips jsonschema's optional IRI format checker, ``rfc3987_syntax``, whose import builds a
grammar and takes about 2 s in every process that imports Altair. Only these worker processes
are affected: the process that makes the report, or a notebook kernel, is not.
"""

from __future__ import annotations

import sys

#: Optional modules the workers never need; marking them absent makes their importers skip them.
SKIPPED = ("rfc3987_syntax",)

for _name in SKIPPED:
    sys.modules.setdefault(_name, None)  # type: ignore[arg-type]

from .. import charts  # noqa: E402,F401  (Altair and the theme, imported once for all workers)
from . import charts as report_charts  # noqa: E402,F401
