"""planlib: monitoring workbench for a county's Women's and Children's Development Plans.

The public API is named here explicitly; everything else is internal. Heavy parts (the apps,
reports and the store) are imported on first use, so ``import planlib`` stays quick.
"""

from __future__ import annotations

# ``assess`` is imported eagerly: the function shares its name with its module, and a lazy
# import would leave ``planlib.assess`` bound to the module once anything imported it.
from .assess import AssessConfig, assess, assess_detail
from .catalog import load_catalog
from .errors import PlanlibError, Problem
from .observations import demo_label, is_demo, load_observations
from .targets import Target, TargetConfig, parse_target

_LAZY = {
    "project": ("forecast", "project"),
    "p_meet": ("forecast", "p_meet"),
    "ForecastConfig": ("forecast", "ForecastConfig"),
    "ensure_store": ("store", "ensure_store"),
    "read_observations": ("store", "read_observations"),
    "write_template": ("intake", "write_template"),
    "import_files": ("intake", "import_files"),
    "build_report": ("report", "build_report"),
    "build_report_bytes": ("report", "build_report_bytes"),
    "Dashboard": ("apps", "Dashboard"),
    "Explorer": ("apps", "Explorer"),
    "draft_catalog": ("draft", "draft_catalog"),
}

__all__ = [
    "AssessConfig", "assess", "assess_detail", "PlanlibError", "Problem", "Target", "TargetConfig", "demo_label", "is_demo", "load_catalog",
    "load_observations", "parse_target", *_LAZY,
]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Import the module behind a public name the first time it is used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'planlib' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(f".{module}", __name__), attribute)
