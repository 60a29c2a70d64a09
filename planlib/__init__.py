"""planlib: monitoring workbench for a county's Women's and Children's Development Plans.

The public API is named here explicitly; everything else is internal.
"""

from __future__ import annotations

from .errors import PlanlibError, Problem

__all__ = ["PlanlibError", "Problem"]
__version__ = "0.1.0"
