"""The static edition of the dashboard: ``planlib publish --output DIR``, for any number of readers.

The build (:mod:`planlib.apps.edition`) already holds everything the dashboard shows, for every
as-of year and language. This module writes it out as plain files that any intranet web server
(nginx, IIS, ``python -m http.server``) serves, with no kernel and nothing loaded from outside.
The page (``static/edition.html`` and ``static/edition.js``) draws the same table and charts as
the Voila dashboard: it runs the table's and the chart's front ends (``indicator_table.js``,
the build's ``vega_chart.js``) through a small stand-in for their widget model.

Layout of an edition::

    DIR/index.html                          the page
    DIR/assets/                             its scripts and styles
    DIR/data/meta.json                      data version, built_at, published_at, years, demo, labels,
                                            regions (key, name, labels, years, indicators, demo, dir), city
    DIR/data/page-<year>-<lang>.json        what the dashboard shows (one per as-of year, language)
    DIR/data/indicators-<year>-<lang>.csv   the table to download (and .xlsx), all indicators
    DIR/data/view/<id>-<year>-<lang>.json   one indicator's chart and words, fetched when opened
    DIR/data/view/<id>-<year>-<lang>.csv    the numbers behind that chart
    DIR/data/region-<key>/...               the same files (page, indicators, view/) of every
                                            other region's plan, each against its own targets
    DIR/data/city-<year>-<lang>.json        the city view (区县对比) of each as-of year of the home
    DIR/data/city-<year>-<lang>.xlsx        county, and its workbook, when the build holds one

The home county's files keep the names they had before there were regions. Another region's
folder is named by a key made from its name (:func:`region_key`), never by the name itself.

It works over HTTP only (browsers do not run module scripts from ``file://``); the page says so.

Each edition records its data version and dates, so a folder kept is a record of what readers
saw. The folder is written beside ``DIR`` and renamed into place: never half an edition.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .. import config, i18n
from .. import schema as S
from ..errors import PlanlibError, problem
from ..config import region_key
from ..files import swap_folder
from .downloads import csv_bytes, xlsx_bytes
from .edition import Edition, State
from .labels import banner_html, label
from .table import DOMAIN, KEY, ORDER, SORT_KEYS
from .widgets import static_text

#: What ``data/meta.json`` calls this layout; a folder with it may be replaced by a new edition.
EDITION_FORMAT = "planlib-static-edition/2"
#: Earlier layouts a new edition may replace (1: the home county only, no city view).
EARLIER_FORMATS = ("planlib-static-edition/1",)
#: Front-end files copied from ``planlib/apps/static`` into ``assets/``.
STATIC_ASSETS = ("edition.js", "edition.css", "indicator_table.js", "indicator_table.css", "app.css")
#: The chart renderer, taken from the build (Vega bundled in).
CHART_ASSET = "vega_chart.js"
#: The labels the page uses (planlib.i18n.APP_LABELS).
PAGE_LABELS = ("view", "view_overview", "view_explorer", "as_of", "filter_plan", "filter_domain",
               "filter_unit", "filter_status", "binding_only", "table_title", "showing", "table_hint",
               "indicator", "download_csv", "download_xlsx", "download_data", "download_svg", "edition_footer",
               "edition_loading", "edition_load_failed", "edition_no_view", "edition_no_city",
               "region_picker", "view_city", "download_city_xlsx")
#: A URL that is not an XML namespace (those name, they are never fetched).
_OUTSIDE_URL = re.compile(r"https?://(?!www\.w3\.org/)")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def offline_text(text: str) -> str:
    """Text with the scheme taken off every URL but XML namespaces, so nothing can point outside.

    Such URLs are inert strings only (a ``$schema``, a link in a warning of the Vega bundle);
    without a scheme, none of them could make the browser leave the server.

    Examples:
        >>> offline_text('{"$schema": "https://vega.github.io/schema/vega-lite/v6.json"}')
        '{"$schema": "vega.github.io/schema/vega-lite/v6.json"}'
        >>> offline_text('<svg xmlns="http://www.w3.org/2000/svg">')
        '<svg xmlns="http://www.w3.org/2000/svg">'
    """
    return _OUTSIDE_URL.sub("", text)


def page_file(year: int, lang: str) -> str:
    """Where the page of one as-of year and language is kept, inside ``data/``.

    Examples:
        >>> page_file(2023, "en")
        'page-2023-en.json'
    """
    return f"page-{int(year)}-{lang}.json"


def view_file(indicator_id: str, year: int, lang: str, ext: str = "json") -> str:
    """Where one indicator's view (``json``) or its chart data (``csv``) is kept, inside ``data/``.

    Examples:
        >>> view_file("W03", 2023, "zh"), view_file("W03", 2023, "zh", "csv")
        ('view/W03-2023-zh.json', 'view/W03-2023-zh.csv')
    """
    if not _SAFE_ID.match(indicator_id):
        raise ValueError(f"indicator id {indicator_id!r} cannot name a file")
    return f"view/{indicator_id}-{int(year)}-{lang}.{ext}"


def page_labels(lang: str) -> dict[str, str]:
    """The words of the page's own controls, from :data:`planlib.i18n.APP_LABELS`.

    Examples:
        >>> page_labels("en")["view_explorer"], page_labels("zh")["showing"]
        ('Indicator explorer', '显示 {n} / {total} 项指标')
    """
    return {**{key: label(key, lang) for key in PAGE_LABELS}, "banner_html": banner_html(lang)}


def region_dir(region: str) -> str:
    """The folder of a region's files inside ``data/`` ("" for the home county, as before regions).

    Examples:
        >>> region_dir(config.COUNTY), region_dir("示例县")
        ('', 'region-rf13e6c3aa0/')
    """
    return "" if region == config.COUNTY else f"region-{region_key(region)}/"


def region_meta(edition: Edition, region: str) -> dict:
    """What ``meta.json`` says of one region: its key, name, labels, years, plan and demo."""
    years = edition.years_of(region)
    return {"key": region_key(region), "name": region, "dir": region_dir(region),
            "labels": {lang: i18n.region_label(region, lang) for lang in i18n.LANGS},
            "years": years, "default_year": years[-1] if years else None,
            "indicators": edition.indicators_of(region),
            "demo": any(edition.page(y, lang, region)["demo"] for y in years for lang in i18n.LANGS)}


def city_meta(edition: Edition) -> dict | None:
    """What ``meta.json`` says of the city view: its members and years (None without one)."""
    if not edition.city_members:
        return None
    years = [y for y in edition.years if edition.city_page(y, i18n.LANGS[0]) is not None]
    return {"members": edition.city_members, "years": years,
            "demo": any(edition.city_page(y, lang)["demo"] for y in years for lang in i18n.LANGS)}


def edition_meta(edition: Edition, published_at: str) -> dict:
    """``data/meta.json``: what the edition is, what it holds and how the page filters and sorts.

    The table's rules (:mod:`planlib.apps.table`) are given as data (the key of each sortable
    column, the status order, what "binding" is), so the page applies them without a copy.
    ``years``, ``indicators`` and ``demo_years`` are the home county's (as in format 1);
    ``demo`` is whether any region's pages or the city view show demo data.
    """
    meta = edition.meta
    years = edition.years
    regions = [region_meta(edition, region) for region in edition.regions]
    city = city_meta(edition)
    return {
        "format": EDITION_FORMAT, "data_version": meta["data_version"], "built_at": meta["built_at"],
        "published_at": published_at, "code_version": meta["code_version"], "years": years,
        "default_year": edition.default_year, "langs": list(i18n.LANGS), "default_lang": i18n.LANGS[0],
        "indicators": list(meta["indicators"]),
        "demo": any(r["demo"] for r in regions) or bool(city and city["demo"]),
        "demo_years": [y for y in years if edition.page(y, i18n.LANGS[0])["demo"]],
        "regions": regions, "city": city,
        "table": {"key": KEY, "sort_keys": SORT_KEYS, "order": ORDER, "status_order": i18n.STATUS_ORDER,
                  "plan": S.PLAN, "domain": DOMAIN, "attribute": S.ATTRIBUTE, "binding": S.BINDING,
                  "units": "units", "status": "status"},
        "labels": {lang: page_labels(lang) for lang in i18n.LANGS},
    }


def _dump(path: Path, value: object) -> None:
    """Write ``value`` as JSON (UTF-8, compact, strictly valid: no NaN) with no URL pointing outside."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = offline_text(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    path.write_text(data, encoding="utf-8")


#: For IIS, which serves only the file types it knows (``remove`` first: newer versions know them).
WEB_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.webServer>
    <staticContent>
      <remove fileExtension=".json" />
      <mimeMap fileExtension=".json" mimeType="application/json" />
      <remove fileExtension=".csv" />
      <mimeMap fileExtension=".csv" mimeType="text/csv" />
    </staticContent>
  </system.webServer>
</configuration>
"""


def index_html(lang: str = "zh", version: str = "") -> str:
    """The page, with its title and the note for browsers without JavaScript filled in.

    Args:
        lang: the language the page starts in.
        version: added to the assets' URLs, so that browsers fetch them anew when the code changes.

    Examples:
        >>> "python -m http.server" in index_html()
        True
        >>> 'src="assets/edition.js?v=abc"' in index_html(version="abc")
        True
    """
    words = {f"{key}_{code}": html.escape(label(key, code) if key != "title" else i18n.t("title", code))
             for key in ("title", "edition_noscript", "edition_loading") for code in i18n.LANGS}
    text = static_text("edition.html")
    for key, value in words.items():
        text = text.replace("{{" + key + "}}", value)
    text = text.replace("{{version}}", html.escape(version))
    return text.replace("{{lang}}", "zh-CN" if lang == "zh" else lang)


def write_edition(edition: Edition, folder: str | os.PathLike, published_at: str | None = None) -> dict:
    """Write the static edition of ``edition`` into the empty folder ``folder``.

    Args:
        edition: the build to publish.
        folder: where to write (created if missing).
        published_at: the publication time recorded (default: now, ISO 8601).

    Returns:
        The edition's ``meta.json`` content.
    """
    if not edition.years:
        raise PlanlibError(problem(i18n.PUBLISH_LABELS, "no_years", file=str(edition.path)))
    folder = Path(folder)
    published_at = published_at or time.strftime("%Y-%m-%dT%H:%M:%S%z")
    meta = edition_meta(edition, published_at)
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    for name in STATIC_ASSETS:
        (folder / "assets" / name).write_text(offline_text(static_text(name)), encoding="utf-8")
    (folder / "assets" / CHART_ASSET).write_text(offline_text(edition.asset(CHART_ASSET)), encoding="utf-8")
    (folder / "index.html").write_text(index_html(meta["default_lang"], meta["code_version"]), encoding="utf-8")
    (folder / "web.config").write_text(WEB_CONFIG, encoding="utf-8")
    for region in edition.regions:
        _write_region(folder / "data", edition, region)
    _write_city(folder / "data", edition, meta["city"])
    _dump(folder / "data" / "meta.json", meta)
    return meta


def _write_region(data: Path, edition: Edition, region: str) -> None:
    """One region's pages, tables and views, for every as-of year and language of its plan."""
    folder = data / region_dir(region)
    for year in edition.years_of(region):
        for lang in i18n.LANGS:
            page = edition.page(year, lang, region)
            _dump(folder / page_file(year, lang), page)
            _write_table_files(folder, page)
            _write_views(folder, edition, region, year, lang)


def _write_views(folder: Path, edition: Edition, region: str, year: int, lang: str) -> None:
    """Every indicator's view of one region, as-of year and language, and the numbers behind its chart."""
    for ident in edition.indicators_of(region):
        view = edition.view(ident, year, lang, region)
        if view is not None:
            _dump(folder / view_file(ident, year, lang), view)
            (folder / view_file(ident, year, lang, "csv")).write_bytes(csv_bytes(**view["data"]))


def city_file(year: int, lang: str, ext: str = "json") -> str:
    """The city view (``json``: title, members, demo, html) or its workbook (``xlsx``), inside ``data/``.

    Examples:
        >>> city_file(2024, "en"), city_file(2024, "zh", "xlsx")
        ('city-2024-en.json', 'city-2024-zh.xlsx')
    """
    return f"city-{int(year)}-{lang}.{ext}"


def _write_city(data: Path, edition: Edition, city: dict | None) -> None:
    """The city view and its workbook of every as-of year (of the home county) and language."""
    for year in city["years"] if city else ():
        for lang in i18n.LANGS:
            _dump(data / city_file(year, lang), edition.city_page(year, lang))
            (data / city_file(year, lang, "xlsx")).write_bytes(edition.city_xlsx(year, lang))


def table_file(year: int, lang: str, ext: str) -> str:
    """The downloadable table of one as-of year and language, inside ``data/`` (all indicators).

    Examples:
        >>> table_file(2023, "zh", "xlsx")
        'indicators-2023-zh.xlsx'
    """
    return f"indicators-{int(year)}-{lang}.{ext}"


def _write_table_files(folder: Path, page: dict) -> None:
    """The table as CSV and Excel, as the dashboard's download buttons give it (all rows)."""
    export = page["export"]
    (folder / table_file(page["year"], page["lang"], "csv")).write_bytes(csv_bytes(**export))
    (folder / table_file(page["year"], page["lang"], "xlsx")).write_bytes(
        xlsx_bytes(**export, sheet="indicators"))


def _is_edition(folder: Path) -> bool:
    try:
        meta = json.loads((folder / "data" / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") in (EDITION_FORMAT, *EARLIER_FORMATS)


def _check_target(target: Path) -> None:
    """Refuse to replace anything but a missing folder, an empty one or an earlier edition."""
    if not target.exists() or (target.is_dir() and not any(target.iterdir())) or _is_edition(target):
        return
    raise PlanlibError(problem(i18n.PUBLISH_LABELS, "target_taken", file=str(target)))


def _current_build(db: str | os.PathLike | None) -> Edition:
    """The store's build, if it still shows the data and code of now."""
    edition = Edition.of_store(db)
    if edition.state(db) is State.FRESH:
        return edition
    edition.close()
    raise PlanlibError(problem(i18n.PUBLISH_LABELS, "stale", file=str(edition.path)))


def publish(output: str | os.PathLike, db: str | os.PathLike | None = None, *,
            edition: Edition | None = None, published_at: str | None = None) -> Path:
    """Write the dashboard as static files into the folder ``output`` (replaced whole).

    Args:
        output: the folder to write; if it exists it must be empty or an earlier edition.
        db: the store whose build is published (default ``config.db_path()``); run
            ``planlib build`` first (``planlib publish`` does).
        edition: publish this build instead of the store's.
        published_at: the publication time recorded (default now).

    Returns:
        The folder written.

    Raises:
        PlanlibError: ``output`` holds something that is not an edition, or the store's build is
            out of date.
        FileNotFoundError: the store has no build.
    """
    target = Path(output).resolve()
    _check_target(target)
    own = edition is None
    edition = _current_build(db) if own else edition
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        write_edition(edition, tmp, published_at)
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a web server's user must read it
        swap_folder(tmp, target)  # tmp then holds the earlier edition, removed below
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if own:
            edition.close()
    return target
