"""Department data intake: Excel templates out, validated values in.

Modules, each depending only on those before it: :mod:`.layout` (limits, unit rules from
:mod:`planlib.units`, the template's columns, where a problem is), :mod:`.readers` (files into
raw rows), :mod:`.rules` (checking rows, and against the store), :mod:`.templates` (writing the
template) and :mod:`.importer` (one transaction per file).

``write_template`` makes the workbook a responsible unit fills in; ``import_files`` reads filled
templates and tidy CSV files (the format ``planlib export`` writes), checks every value like
DHIS2's validation rules, and imports each file as one transaction: a file with any error
imports nothing, and every problem is named with file, sheet, row, column, the value found and
what to do.

Rules (errors block the file, warnings do not):

* the value is a number, within its unit's range (``%`` 0-100, ``‰`` 0-1000, ``1/10万``
  0-100000, ``岁`` 0-120, ``小时`` 0-24, ``年`` 0-30, ``万人`` 0-100, counts 0-1000000,
  everything else 0-10⁹: a value beyond what the county can physically have is an error) and a
  value beyond the usual range of its unit (:attr:`UnitRule.plausible`, e.g. more than 100000
  people) is a warning; counts (人, 个, 张, 名, 户) are whole numbers unless they are counts
  *per* something (每千名儿童拥有床位数);
* the region is one the store monitors (:func:`planlib.plans.known_regions`: the county, 全国,
  重庆市 and every region with a registered plan); empty means the county; a template's rows
  are of the region its information sheet records; every row is checked against its region's
  plan (its indicators and responsible units; the reference regions' rows against the county's);
* a note (and any other text) is at most :data:`MAX_TEXT_CHARS` characters; a formula cell
  must carry its calculated value;
* the year lies in 2010-2030 and not in the future; years before the plan period (2010-2020)
  are accepted as historical backfill with a warning;
* the indicator exists, and (templates) belongs to the sheet's department;
* numerator and denominator (events and population, for rates; boys and girls for 女=100) come
  together, are >= 0, and for a rate the numerator is not larger than the denominator; a value
  computed from them that differs from the value given is a warning; a value given only by them
  is computed;
* an indicator, region and year appears once per file (the same value reported by two
  departments' sheets of one workbook is a warning);
* changing a value already reported (not illustrative) needs a note (备注), kept as the reason
  (adding a missing numerator/denominator to the same value is not a change); illustrative
  rows never replace reported ones;
* a value that is new or changed and differs from the previous value (at most 5 years older,
  illustrative values left aside) by more than 50 %, or by more than 3 robust standard
  deviations of the past year-to-year changes (at least 2 % of the previous value), is a warning.

Every file is read within bounds: at most :data:`MAX_FILE_BYTES` bytes and :data:`MAX_ROWS`
rows, a workbook within :class:`planlib.xlsx.Limits` (no part inflating beyond 50 MB or 100
times its packed size); a file beyond them is rejected at once with one message. Summaries list
the first :data:`MAX_LISTED_PROBLEMS` problems of a file, then how many more there are.

Several files: each file is checked and imported on its own (all-or-nothing per file, one
transaction each), in the order given; the result lists every file. A file already imported
(same bytes, by SHA-256) is skipped; a file whose values are all stored already changes nothing.
"""

from .importer import FileResult, ImportResult, import_files, more_problems
from .layout import (FIRST_YEAR, HEADER_ROW, MAX_FILE_BYTES, MAX_LISTED_PROBLEMS, MAX_ROWS, MAX_TEXT_CHARS,
                     META_SHEET, TEMPLATE_COLUMNS, TEMPLATE_VERSION, UnitRule, unit_rule)
from .readers import ParsedFile, RawRow
from .rules import check_against_store, check_rows, parse_number
from .templates import write_template

__all__ = [
    "FIRST_YEAR", "HEADER_ROW", "MAX_FILE_BYTES", "MAX_LISTED_PROBLEMS", "MAX_ROWS", "MAX_TEXT_CHARS",
    "META_SHEET", "TEMPLATE_COLUMNS", "TEMPLATE_VERSION", "FileResult", "ImportResult", "ParsedFile",
    "RawRow", "UnitRule", "check_against_store", "check_rows", "import_files", "more_problems",
    "parse_number", "unit_rule", "write_template",
]
