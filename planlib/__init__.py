"""planlib: monitoring workbench for a county's Women's and Children's Development Plans.

The public API is named here explicitly; everything else is internal. Heavy parts (the apps,
reports and the store) are imported on first use, so ``import planlib`` stays quick.
"""

from __future__ import annotations

from .errors import PlanlibError, Problem
from .targets import Target, TargetConfig, parse_target

# Everything else is imported on first use (pandas and statsmodels take a while): a viewer's
# kernel that imports ``planlib.apps.dashboard`` imports none of it. No public name is also the
# name of a module (the assessment lives in ``planlib.assessment``), so importing a module can
# never rebind one.
_LAZY = {
    "assess": ("assessment", "assess"),
    "assess_detail": ("assessment", "assess_detail"),
    "AssessConfig": ("assessment", "AssessConfig"),
    "load_catalog": ("catalog", "load_catalog"),
    "load_observations": ("observations", "load_observations"),
    "demo_label": ("observations", "demo_label"),
    "is_demo": ("observations", "is_demo"),
    "project": ("forecast", "project"),
    "p_meet": ("forecast", "p_meet"),
    "ForecastConfig": ("forecast", "ForecastConfig"),
    "ensure_store": ("observations", "ensure_store"),
    "read_observations": ("store", "read_observations"),
    "write_template": ("intake", "write_template"),
    "import_files": ("intake", "import_files"),
    "build_report": ("report", "build_report"),
    "build_report_bytes": ("report", "build_report_bytes"),
    "Dashboard": ("apps", "Dashboard"),
    "Explorer": ("apps", "Explorer"),
    "draft_catalog": ("draft", "draft_catalog"),
    "city_view": ("city", "city_view"),
    "CityView": ("city", "CityView"),
}

__all__ = ["PlanlibError", "Problem", "Target", "TargetConfig", "parse_target", *_LAZY]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Import the module behind a public name the first time it is used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'planlib' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(f".{module}", __name__), attribute)
