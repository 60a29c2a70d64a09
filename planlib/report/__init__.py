"""The annual monitoring report and the mid-term and final evaluation reports.

:func:`build_report` writes ``report.html``, ``report.docx`` and ``data.xlsx`` into a directory;
:func:`build_report_bytes` gives the same three files in memory. The modules, lowest first:

* :mod:`planlib.report.tables`: the report's tables as data (no report module imported);
* :mod:`planlib.report.content`: :class:`ReportOptions`, :class:`History`, :class:`ReportData`,
  the outline (:func:`sections`, :func:`title`);
* :mod:`planlib.report.format`: the tables as text for reading (numbers by :mod:`planlib.formats`);
* :mod:`planlib.report.charts`, :mod:`planlib.report.html`, :mod:`planlib.report.docx`,
  :mod:`planlib.report.xlsx`: the charts and the three writers;
* :mod:`planlib.report.build`: assessing, projecting and comparing (:func:`prepare`), loading,
  rendering and writing the folder whole (:func:`write_files`);
* :mod:`planlib.report.worker`: what the chart worker processes preload.

The names below are imported on first use, so ``import planlib.report.tables`` (say) imports
none of the writers; no module of the package imports :mod:`planlib.report.build`.
"""

from __future__ import annotations

_LAZY = {
    **{name: "content" for name in ("EARLIER_YEARS", "KINDS", "History", "ReportData", "ReportOptions",
                                    "sections", "title")},
    **{name: "build" for name in ("HTML_NAME", "DOCX_NAME", "XLSX_NAME", "prepare", "prepare_current",
                                  "add_comparisons", "projections", "load_history", "load_inputs", "load",
                                  "render", "build_report_bytes", "build_report", "write_files")},
}

__all__ = list(_LAZY)


def __getattr__(name: str):
    """Import the module behind a public name the first time it is used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'planlib.report' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
