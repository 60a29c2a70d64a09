"""The workbench's apps (ipywidgets, for Voila and JupyterLab), one module per concept:

* :mod:`~planlib.apps.build` makes, once per data version, everything the apps show, and writes it
  beside the store; :mod:`~planlib.apps.edition` reads it (all a viewer's kernel opens);
* :mod:`~planlib.apps.content` shapes what is shown (tables, words, charts) from the data, for the build;
  :mod:`~planlib.apps.model` holds the data of one version and fits what the content needs;
* :mod:`~planlib.apps.table` filters and sorts the table's rows; :mod:`~planlib.apps.labels` has the words;
* :mod:`~planlib.apps.widgets` has the widgets (:class:`IndicatorTable`, :class:`DownloadButton`,
  :class:`VegaChart`); :mod:`~planlib.apps.downloads` makes the files they offer;
* :mod:`~planlib.apps.dashboard` (:class:`Dashboard`), :mod:`~planlib.apps.explorer` (:class:`Explorer`)
  and :mod:`~planlib.apps.intake` (:class:`IntakeApp`) are the apps;
* :mod:`~planlib.apps.publish` writes the static edition; :mod:`~planlib.apps.server` serves the apps
  (Voila with a kernel limit, a host allowlist and a please-wait page).

Names are imported on first use, so that ``from planlib.apps import Dashboard`` in a viewer's
kernel imports only what the dashboard needs.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "Dashboard": "dashboard",
    "Explorer": "explorer",
    "IntakeApp": "intake",
    "build": "build",
    "publish": "publish",
    "Edition": "edition",
}

__all__ = list(_LAZY)


def __getattr__(name: str):
    """Import the module behind a public name the first time it is used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'planlib.apps' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
