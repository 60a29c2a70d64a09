"""The ``planlib`` command line. Thin: parse arguments, call the library, print or write results.

Every command accepts ``--db PATH`` (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``) and
``--lang zh|en`` for messages. Bad input exits with code 2 and a message naming file, row and
column; nothing is half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import i18n
from .errors import PlanlibError
from .safecells import printable


def _say(key: str, lang: str, **fields) -> str:
    """A command-line message (:data:`planlib.i18n.CLI_LABELS`), formatted."""
    text = i18n.t(key, lang, i18n.CLI_LABELS)
    return text.format(**fields) if fields else text


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="monitoring database (default: $PLANLIB_DB or data/monitoring.sqlite)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages")


def _region(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", default=None,
                   help="whose plan (default: the home county; another needs `planlib plan add`)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planlib",
        description=f"{_say('description', 'zh')} / {_say('description', 'en')}",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("setup", help="create the monitoring store from the shipped data (never overwrites)")
    _common(p)

    p = sub.add_parser("assess", help="project every indicator to its target year and assess it")
    _common(p)
    p.add_argument("--catalog", help="indicator catalogue CSV/XLSX (default: the shipped plans)")
    p.add_argument("--observations", help="observations CSV in the tidy format (default: the store)")
    p.add_argument("--as-of", type=int, dest="as_of", help="use only data up to this year")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--output", help="write here instead of standard output")
    _region(p)
    p.add_argument("--all-regions", action="store_true", dest="all_regions",
                   help="assess every region of the store (not the reference regions), each alone")
    p.add_argument("--workers", type=int,
                   help="with --all-regions: local worker processes (default: the machine's cores; 1: none)")
    p.add_argument("--scheduler", help="with --all-regions: run on this Dask scheduler, tcp://HOST:PORT")

    p = sub.add_parser("template", help="write the Excel workbook a department fills in")
    _common(p)
    p.add_argument("--unit", required=True, help="responsible unit, e.g. 县卫生健康委, or 'all'")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--output", required=True, help="the .xlsx file to write")
    _region(p)

    p = sub.add_parser("import", help="validate and import filled templates or tidy CSV files")
    _common(p)
    p.add_argument("files", nargs="+", help=".xlsx templates or .csv files")
    p.add_argument("--by", default=None, help="who imports (recorded with the submission)")
    p.add_argument("--dry-run", action="store_true", help="validate only, import nothing")
    p.add_argument("--region", default=None,
                   help="region of CSV rows that name none (default: the home county); a template records its own")

    p = sub.add_parser("export", help="write all observations as tidy CSV")
    _common(p)
    p.add_argument("--output", help="CSV file (default: standard output)")
    p.add_argument("--as-of-date", dest="as_of_date", help="observations as known on this date (YYYY-MM-DD)")
    p.add_argument("--region", default=None, help="only this region's rows (default: every region)")

    p = sub.add_parser("report", help="write the annual, mid-term or final monitoring report")
    _common(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--kind", choices=["annual", "midterm", "final"], default="annual")
    p.add_argument("--unit", help="narrow the report to one responsible unit")
    p.add_argument("--output", required=True, help="directory for report.html, report.docx, data.xlsx")
    _region(p)
    p.add_argument("--city", action="store_true",
                   help="the city report instead: every region with a plan side by side (city.html, .docx, .xlsx)")

    p = sub.add_parser("build", help="make the dashboard's build of the current data (once per data version)")
    _common(p)
    p.add_argument("--force", action="store_true", help="build even when the build is up to date")
    p.add_argument("--workers", type=int, help="worker processes (default: the machine's cores)")

    p = sub.add_parser("publish", help="write the dashboard as static files for any web server")
    _common(p)
    p.add_argument("--output", required=True, help="the folder to write (replaced whole)")

    p = sub.add_parser("catalog", help="indicator catalogue tools")
    catalog_sub = p.add_subparsers(dest="catalog_command", required=True)
    p = catalog_sub.add_parser("draft", help="draft a catalogue from a plan document (.txt/.docx/.html/.pdf)")
    p.add_argument("plan_file", help="the plan document")
    p.add_argument("--output", required=True, help="the catalogue CSV to write")
    p.add_argument("--review", help="also write the review page (HTML) here")
    p.add_argument("--with-prose", action="store_true", dest="with_prose",
                   help="draft prose targets even when the plan has indicator tables")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages")

    p = sub.add_parser("demo", help="regenerate the illustrative (demo) observations")
    p.add_argument("--output", help="CSV to write (default: data/demo_observations.csv in the checkout, else in the working directory)")

    _db_parser(sub)
    _plan_parser(sub)
    return parser


# --- planlib plan: other regions' plans in the store ------------------------------------------------

def _plan_parser(sub) -> None:
    p = sub.add_parser("plan", help="the plans in the store: register another region's, list them")
    plan_sub = p.add_subparsers(dest="plan_command", required=True)
    p = plan_sub.add_parser("add", help="register a region's plan (its catalogue, validated)")
    _common(p)
    p.add_argument("--region", required=True, help="the region the plan belongs to, e.g. 丰都县")
    p.add_argument("--catalog", required=True, help="its indicator catalogue (CSV/XLSX, as data/catalog.csv)")
    p.add_argument("--title", help="the plan's name as shown (default: the file's name)")
    p.add_argument("--replace", action="store_true", help="replace the region's plan already registered")
    p.add_argument("--by", default=None, help="who registers it (recorded)")
    p = plan_sub.add_parser("list", help="the plans the store holds")
    _common(p)
    p = plan_sub.add_parser("remove", help="unregister a region's plan (its values stay in the store)")
    _common(p)
    p.add_argument("--region", required=True, help="the region whose plan to unregister, e.g. 示例县")


def _plan_say(key: str, lang: str, **fields) -> str:
    text = i18n.t(key, lang, i18n.PLAN_STORE_LABELS)
    return text.format(**fields) if fields else text


def _cmd_plan(args) -> int:
    from . import plans

    if args.plan_command == "add":
        added = plans.add_plan(args.region, args.catalog, title=args.title, db=args.db,
                               replace=args.replace, by=args.by)
        print(_plan_say("plan_replaced" if added["replaced"] else "plan_added", args.lang,
                        region=added["region"], n=added["n_indicators"], source=added["source_name"]))
        return 0
    if args.plan_command == "remove":
        from . import store
        from .errors import problem

        if not store.remove_plan(plans.region_name(args.region), args.db):
            raise PlanlibError(problem(i18n.PLAN_STORE_LABELS, "no_plan_to_remove", {"region": args.region},
                                       value=args.region))
        print(_plan_say("plan_removed", args.lang, region=args.region))
        return 0
    frame = plans.list_plans(args.db)
    heads = {c: _plan_say(f"col_{'n' if c == 'n_indicators' else c}", args.lang) for c in plans.LIST_COLUMNS}
    text = frame.rename(columns=heads).fillna("—").to_string(index=False)
    print(printable(text))
    return 0


# --- planlib db: the store's schema and moving it between backends ---------------------------------

def _db_parser(sub) -> None:
    p = sub.add_parser("db", help="the monitoring store: upgrade its schema, copy it to another backend")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    p = db_sub.add_parser("upgrade", help="create the store, or bring its schema to this version")
    _common(p)
    p = db_sub.add_parser("copy", help="copy a store with its whole history (e.g. SQLite -> PostgreSQL)")
    p.add_argument("--from", dest="source", required=True, help="the store to copy (file or postgresql:// URL)")
    p.add_argument("--to", dest="target", required=True, help="a new file, or an empty server database")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages")


def _cmd_db(args) -> int:
    from . import store

    if args.db_command == "upgrade":
        from .observations import load_shipped_observations

        target = store.describe(store.locate(args.db))
        seed = None if store.exists(args.db) else load_shipped_observations()
        found, now = store.upgrade(args.db, seed=seed)
        key = ("store_created_schema" if found is None else "store_schema_current" if found == now
               else "store_upgraded")
        print(_say(key, args.lang, path=target, found=found, now=now))
        return 0
    counts = store.copy_store(args.source, args.target)
    print(_say("store_copied", args.lang, path=store.describe(store.locate(args.target)),
               submissions=counts["submissions"], observations=counts["observations"],
               revisions=counts["revisions"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = _HANDLERS[args.command]
    try:
        return handler(args) or 0
    except PlanlibError as exc:
        print(printable(exc.text(getattr(args, "lang", "zh"))), file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        lang = getattr(args, "lang", "zh")
        print(printable(_say("file_not_found", lang, file=exc.filename)), file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, no permission, a folder in the way: say so, no traceback
        print(printable(_io_message(exc, getattr(args, "lang", "zh"))), file=sys.stderr)
        return 2


def _io_message(exc: OSError, lang: str) -> str:
    """An input/output error for people: what failed, on which file, what to do.

    Examples:
        >>> _io_message(PermissionError(13, "Permission denied", "/r/data.xlsx"), "en")
        'Cannot read or write /r/data.xlsx: Permission denied. Nothing was changed; check the path, the permissions and the free disk space, then try again.'
    """
    return _say("io_error", lang, file=exc.filename or "", reason=exc.strerror or type(exc).__name__)


def _write_text(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _cmd_setup(args) -> int:
    from . import observations, store

    path, created = observations.ensure_store(args.db)
    found, now = (None, None) if created else store.upgrade(path)
    if created:  # a new workbench shows a city with two members: the invented county's plan, demo
        from . import config
        from .demo import register_demo_county

        if register_demo_county(args.db):
            print(_say("demo_county_added", args.lang, region=i18n.region_label(config.DEMO_COUNTY, args.lang)))
    if found is not None and found != now:  # set-up is explicit: an older schema is brought up to date
        print(_say("store_upgraded", args.lang, path=path, found=found, now=now))
    else:
        print(_say("store_created" if created else "store_exists", args.lang, path=path))
    return _build(args.db, args.lang)


def _build(db: str | None, lang: str, force: bool = False, workers: int | None = None) -> int:
    """Bring the dashboard's build up to date, saying so on standard output."""
    from .apps.build import build

    print(_say("building", lang), flush=True)
    path = build(db, force=force, workers=workers,
                 echo=lambda done: print(_say("build_progress", lang, done=done), flush=True))
    print(_say("build_done", lang, path=path))
    return 0


def _cmd_build(args) -> int:
    return _build(args.db, args.lang, args.force, args.workers)


def _cmd_publish(args) -> int:
    from .apps.publish import publish

    _build(args.db, args.lang)
    path = publish(args.output, db=args.db)
    print(_say("published", args.lang, path=path))
    return 0


def _cmd_assess(args) -> int:
    if args.all_regions:
        return _assess_all_regions(args)
    from .assessment import AssessConfig, assess, format_assessment
    from .catalog import load_catalog
    from .observations import demo_label, load_observations

    from .plans import catalog_for, region_name, rows_of

    catalog = load_catalog(args.catalog) if args.catalog else catalog_for(args.region, args.db)
    observations = load_observations(args.observations, catalog=catalog, db=args.db)
    config = AssessConfig()
    if args.region or not args.observations:  # a file without --region: every region it holds
        # the region's rows and the reference regions' only: no other plan's rows judged against
        # this one; the region gets a row for every indicator, with data or not
        observations = rows_of(observations, args.region)
        config = AssessConfig(home_region=region_name(args.region))
    result = assess(catalog, observations, as_of=args.as_of, config=config)
    label = demo_label(observations, args.lang)
    demo = label is not None
    if demo and args.format != "table":  # csv/json carry exactly the columns: label on stderr
        print(label, file=sys.stderr)
    _write_text(format_assessment(result, args.format, lang=args.lang, catalog=catalog, demo=demo),
                args.output)
    return 0


def _region_catalogs(args):
    """The catalogue of each region for ``--all-regions``: with ``--catalog``, that one catalogue
    for every region; else each region's own plan (``planlib plan add``; the home county's
    shipped plan), read once. A region without a plan is refused, named."""
    from . import plans
    from .catalog import load_catalog

    if args.catalog:
        one = load_catalog(args.catalog)
        return lambda region: one
    known = plans.catalogs(args.db)
    return lambda region: known[region] if region in known else plans.catalog_for(region, args.db)


def _assess_all_regions(args) -> int:
    """``planlib assess --all-regions``: each region of the store alone, streamed to the output."""
    from . import batch, store
    from . import schema as S
    from .config import REFERENCE_REGIONS
    from .errors import problem

    if args.observations:
        raise PlanlibError(problem(i18n.CLI_LABELS, "batch_with_file"))
    catalog_for = _region_catalogs(args)
    regions = batch.regions_to_assess(args.db)
    if not regions:
        raise PlanlibError(problem(i18n.CLI_LABELS, "batch_no_regions", {
            "path": store.describe(store.locate(args.db)), "reference": "、".join(REFERENCE_REGIONS)}))
    results = batch.assess_regions(regions, catalog_for, batch.store_loader(args.db), as_of=args.as_of,
                                   workers=args.workers, scheduler=args.scheduler)
    if args.format != "table":  # csv/json carry exactly the columns: the demo label on stderr, once
        label = S.DEMO_LABEL[args.lang]
        results = _noting_demo(results, label)
    chunks = batch.stream_text(results, args.format, args.lang, catalog_for)
    if not args.output:
        for chunk in chunks:
            sys.stdout.write(chunk)
            sys.stdout.flush()
        return 0
    from .files import atomic_path

    with atomic_path(args.output) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        os.chmod(tmp, 0o644)  # readable like any file the commands write (the temporary one is 0600)
        for chunk in chunks:  # written as each region finishes; renamed into place when all are
            out.write(chunk)
    print(_say("batch_done", args.lang, n=len(regions), path=args.output), file=sys.stderr)
    return 0


def _noting_demo(results, label: str):
    """The results, passed on; the demo label on standard error when the first demo region comes."""
    said = False
    for result in results:
        if result.demo and not said:
            print(label, file=sys.stderr, flush=True)
            said = True
        yield result


def _cmd_template(args) -> int:
    from . import intake

    path = intake.write_template(args.unit, args.year, args.output, db=args.db, region=args.region)
    print(path)
    return 0


def _cmd_import(args) -> int:
    from . import intake

    if args.region is not None:
        from .plans import catalog_for

        catalog_for(args.region, args.db)  # a region without a plan is named at once
    result = intake.import_files(args.files, db=args.db, by=args.by, dry_run=args.dry_run,
                                 region=args.region)
    print(printable(result.summary(args.lang)))
    if not result.ok:
        return 2
    return 0 if args.dry_run else _build(args.db, args.lang)


def _cmd_export(args) -> int:
    from . import store
    from .observations import demo_label

    region = None
    if args.region is not None:
        from .plans import known_regions, region_name

        region = region_name(args.region)
        if region not in known_regions(args.db):
            from .plans import catalog_for

            catalog_for(region, args.db)  # raises, naming the regions with a plan
    from .schema import REGION

    rows = store.read_observations(args.db, args.as_of_date)
    label = demo_label(rows if region is None else rows[rows[REGION] == region], args.lang)
    if label:  # the CSV carries exactly its columns (demo rows say so in `source`): label on stderr
        print(label, file=sys.stderr)
    if args.output:
        store.write_export(args.output, db=args.db, as_of_date=args.as_of_date, region=region)
    else:
        _write_text(store.export_csv(db=args.db, as_of_date=args.as_of_date, region=region), None)
    return 0


def _cmd_report(args) -> int:
    if args.city:
        return _city_report(args)
    from . import report

    paths = report.build_report(
        year=args.year, kind=args.kind, unit=args.unit, lang=args.lang,
        output_dir=args.output, db=args.db, region=args.region,
    )
    for p in paths:
        print(p)
    return 0


def _city_report(args) -> int:
    """``planlib report --city``: the members (every region with a plan, the home county first)
    side by side, each judged against its own plan, with 重庆市 and 全国 beside them."""
    from . import plans
    from .errors import problem
    from .observations import load_observations
    from .report.city import prepare_city, write_city_report

    if args.region or args.unit or args.kind != "annual":
        raise PlanlibError(problem(i18n.CLI_LABELS, "city_with_region"))
    catalogs = plans.catalogs(args.db)
    if len(catalogs) < 2:
        raise PlanlibError(problem(i18n.CLI_LABELS, "city_one_member"))
    city = prepare_city(catalogs, load_observations(db=args.db), list(catalogs), args.year, args.lang)
    for path in write_city_report(city, args.output):
        print(path)
    return 0


def _cmd_catalog(args) -> int:
    from .draft import DraftConfig, draft_catalog, write_draft
    draft = draft_catalog(args.plan_file, DraftConfig(with_prose=args.with_prose))
    paths = write_draft(draft, args.output, args.review)
    tables = sum(f.form == "table" for f in draft.rows)
    print(i18n.t("cli_done", args.lang, i18n.DRAFT_LABELS).format(
        n=len(draft.rows), tables=tables, prose=len(draft.rows) - tables, skipped=len(draft.skipped)))
    for path in paths:
        print(path)
    return 0


def _cmd_demo(args) -> int:
    from . import demo

    print(demo.write_demo(args.output))
    return 0


_HANDLERS = {
    "setup": _cmd_setup,
    "assess": _cmd_assess,
    "template": _cmd_template,
    "import": _cmd_import,
    "export": _cmd_export,
    "report": _cmd_report,
    "demo": _cmd_demo,
    "build": _cmd_build,
    "publish": _cmd_publish,
    "catalog": _cmd_catalog,
    "db": _cmd_db,
    "plan": _cmd_plan,
}

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
