"""Many plans in one store: another region's catalogue, with its own targets, beside the home county's.

The home county (``config.COUNTY``) works with the shipped catalogue until a plan of its own is
registered. Any other county's plan is registered with ``planlib plan add --region 丰都县
--catalog FILE`` (:func:`add_plan`): the file is validated as :func:`planlib.catalog.load_catalog`
validates it and kept in the store (table ``plans``: the validated CSV text, the file's name and
SHA-256, when and by whom), so every command and app that takes ``--region`` finds the same
targets later (:func:`catalog_for`), on SQLite and PostgreSQL alike. The same indicator id may
mean different targets in different plans: each region is judged only against its own plan.

The regions the store accepts at intake (:func:`known_regions`) are the home county, its
reference regions (``config.REFERENCE_REGIONS``) and every region with a registered plan.
"""

from __future__ import annotations

import getpass
import hashlib
import io
import os
import unicodedata
from pathlib import Path

import pandas as pd

from . import i18n, store
from . import schema as S
from .catalog import load_catalog, parse_catalog, read_table
from .config import CATALOG_PATH, COUNTY, KNOWN_REGIONS, REFERENCE_REGIONS
from .errors import PlanlibError, problem

#: The columns of :func:`list_plans`.
LIST_COLUMNS = ["region", "title", "n_indicators", "added_at", "source"]
#: The longest region name accepted.
MAX_REGION_CHARS = 40


def _problem(key: str, fields: dict, **where):
    return problem(i18n.PLAN_STORE_LABELS, key, fields, **where)


def region_name(region: str | None) -> str:
    """A region as given (``--region``), normalised; ``None`` or empty is the home county.

    Examples:
        >>> region_name(None), region_name(" 丰都县 "), region_name("ＡＢ县")
        ('石柱县', '丰都县', 'AB县')
    """
    text = unicodedata.normalize("NFKC", str(region or "")).strip()
    return text or COUNTY


def _check_new_region(region: str) -> None:
    if region in REFERENCE_REGIONS:
        raise PlanlibError(_problem("reference_region", {"region": region,
                                                         "reference": "、".join(REFERENCE_REGIONS)},
                                    column="--region", value=region))
    if len(region) > MAX_REGION_CHARS or any(ch.isspace() or not ch.isprintable() for ch in region):
        raise PlanlibError(_problem("bad_region", {"region": region, "max": MAX_REGION_CHARS},
                                    column="--region", value=region))


def _catalog_text(path: Path, raw: pd.DataFrame) -> str:
    """The catalogue as it is kept: a CSV file's own text; an Excel file's cells as CSV."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        return raw.to_csv(index=False)
    return path.read_bytes().decode("utf-8-sig")


def add_plan(region: str, catalog_path: str | os.PathLike, title: str | None = None,
             db: str | os.PathLike | None = None, replace: bool = False, by: str | None = None) -> dict:
    """Register ``region``'s plan: its catalogue (validated as ``load_catalog`` does) in the store.

    The store is created from the shipped data first if there is none (as ``planlib import``
    does).

    Args:
        region: the region the plan belongs to, e.g. 丰都县 (not a reference region).
        catalog_path: the catalogue file (CSV in UTF-8, or Excel), the columns of ``data/catalog.csv``.
        title: the plan's name as shown (default: the file's name without its suffix).
        db: the store.
        replace: replace a plan already registered for ``region`` (else that is refused).
        by: who registers it (default: the operating-system user).

    Returns:
        What was stored: ``region``, ``title``, ``n_indicators``, ``source_name``, ``replaced``.

    Raises:
        PlanlibError: a bad catalogue (file, row and column named), a bad or reference region
            name, or a plan already registered for the region without ``replace``.

    Examples:
        >>> import tempfile, pathlib
        >>> db = pathlib.Path(tempfile.mkdtemp()) / "m.sqlite"
        >>> from planlib.config import CATALOG_PATH
        >>> added = add_plan("丰都县", CATALOG_PATH, title="丰都县两个规划", db=db)
        >>> added["region"], added["n_indicators"], added["replaced"]
        ('丰都县', 90, False)
        >>> list_plans(db)["region"].tolist()
        ['丰都县', '石柱县']
    """
    from .observations import ensure_store

    region = region_name(region)
    _check_new_region(region)
    path = Path(catalog_path)
    raw = read_table(path)
    catalog = parse_catalog(raw, path)
    plan = {"region": region, "title": (title or "").strip() or path.stem,
            "catalog_csv": _catalog_text(path, raw), "n_indicators": len(catalog),
            "source_name": path.name, "source_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "added_by": by or _user()}
    ensure_store(db)
    replaced = store.save_plan(plan, replace=replace, db=db)
    return {k: plan[k] for k in ("region", "title", "n_indicators", "source_name")} | {"replaced": replaced}


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def list_plans(db: str | os.PathLike | None = None) -> pd.DataFrame:
    """What the store holds: one row per region with a plan (columns :data:`LIST_COLUMNS`).

    The home county without a registered plan is listed with the shipped catalogue (no
    ``added_at``). ``added_at`` is local time, to the minute.
    """
    stored = store.read_plans(db)
    rows = [{"region": r["region"], "title": r["title"], "n_indicators": int(r["n_indicators"]),
             "added_at": store.local_time(r["added_at"]), "source": r["source_name"]}
            for r in stored.to_dict("records")]
    if COUNTY not in set(stored["region"]):
        rows.append({"region": COUNTY, "title": i18n.t("plans", "zh", i18n.REPORT_LABELS),
                     "n_indicators": len(load_catalog()), "added_at": None,
                     "source": CATALOG_PATH.name})
    return pd.DataFrame(rows, columns=LIST_COLUMNS).sort_values("region", kind="stable").reset_index(drop=True)


def plan_regions(db: str | os.PathLike | None = None) -> tuple[str, ...]:
    """The regions that have a plan: the home county first, then every registered region."""
    registered = [r for r in store.read_plans(db)["region"] if r != COUNTY]
    return (COUNTY, *registered)


def known_regions(db: str | os.PathLike | None = None) -> tuple[str, ...]:
    """The regions whose values the store accepts at intake: the home county, its reference
    regions (``config.KNOWN_REGIONS``) and every region with a registered plan.

    Anything else is refused on its row, so that one typo (石柱县 城关镇) cannot become a region.

    Examples:
        >>> known_regions("/nonexistent/monitoring.sqlite")
        ('石柱县', '全国', '重庆市')
    """
    return (*KNOWN_REGIONS, *(r for r in plan_regions(db) if r not in KNOWN_REGIONS))


def catalogs(db: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Every plan's catalogue by region (the home county's: registered, else shipped)."""
    stored = {r["region"]: r for r in store.read_plans(db).to_dict("records")}
    out = {COUNTY: _parsed(stored[COUNTY]) if COUNTY in stored else load_catalog()}
    out.update({region: _parsed(rec) for region, rec in stored.items() if region != COUNTY})
    return out


def catalog_for(region: str | None = None, db: str | os.PathLike | None = None) -> pd.DataFrame:
    """The catalogue that ``region``'s values are judged against.

    The home county (``None``) without a registered plan: the shipped catalogue; a registered
    region: its plan, parsed exactly as :func:`planlib.catalog.load_catalog` parses a file.

    Raises:
        PlanlibError: a region without a plan, listing those that have one.

    Examples:
        >>> len(catalog_for(db="/nonexistent/monitoring.sqlite"))
        90
        >>> try:
        ...     catalog_for("丰都县", db="/nonexistent/monitoring.sqlite")
        ... except PlanlibError as err:
        ...     print(err.problems[0].message_en)
        The store holds no plan for the region '丰都县'
    """
    region = region_name(region)
    stored = store.read_plans(db)
    found = stored[stored["region"] == region]
    if len(found):
        return _parsed(found.iloc[0].to_dict())
    if region == COUNTY:
        return load_catalog()
    known = [COUNTY, *(r for r in stored["region"] if r != COUNTY)]
    raise PlanlibError(_problem("unknown_region", {
        "region": region, "known": {"zh": "、".join(known), "en": ", ".join(known)}},
        column="--region", value=region))


def rows_of(frame: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """The rows of ``region`` (default the home county) and of the reference regions: what is
    judged against ``region``'s plan, with the series it is compared with; no other plan's rows.

    Examples:
        >>> f = pd.DataFrame({"region": ["石柱县", "全国", "丰都县", ""], "value": [1, 2, 3, 4]})
        >>> rows_of(f, "丰都县")["value"].tolist(), rows_of(f)["value"].tolist()
        ([2, 3], [1, 2, 4])
    """
    regions = frame[S.REGION].fillna("").replace("", COUNTY)
    return frame[regions.isin([region_name(region), *REFERENCE_REGIONS])].reset_index(drop=True)


def _parsed(plan: dict) -> pd.DataFrame:
    """A stored plan's catalogue, read and checked as ``load_catalog`` reads a CSV file."""
    raw = pd.read_csv(io.StringIO(plan["catalog_csv"]), dtype=str, keep_default_na=False)
    return parse_catalog(raw, f"{plan['source_name'] or 'catalog'}（{plan['region']}）")


def title_of(region: str | None = None, db: str | os.PathLike | None = None) -> str | None:
    """A registered plan's title (``None`` for the home county's shipped plan)."""
    region = region_name(region)
    stored = store.read_plans(db)
    found = stored[stored["region"] == region]
    return str(found.iloc[0]["title"]) if len(found) else None

