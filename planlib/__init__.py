"""planlib: monitoring workbench for a county's Women's and Children's Development Plans.

The public API is named here explicitly; everything else is internal.
"""

from __future__ import annotations

from .catalog import load_catalog
from .errors import PlanlibError, Problem
from .observations import demo_label, is_demo, load_observations
from .targets import Target, TargetConfig, parse_target

__all__ = [
    "PlanlibError", "Problem", "Target", "TargetConfig", "demo_label", "is_demo", "load_catalog",
    "load_observations", "parse_target",
]
__version__ = "0.1.0"
