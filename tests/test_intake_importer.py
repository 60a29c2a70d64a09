"""planlib.intake.importer: one transaction per file, a dry run that writes nothing, a summary per file."""

from planlib import store
from planlib.intake import importer


def test_a_dry_run_checks_and_writes_nothing(any_db, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("indicator_id,year,value\nW04,2024,95.5\n", encoding="utf-8")
    before = store.read_observations(any_db)
    result = importer.import_files([f], db=any_db, dry_run=True)
    assert result.ok and [r.status for r in result.files] == ["checked"]
    assert store.read_observations(any_db).equals(before)


def test_a_file_with_one_error_imports_nothing_and_the_next_file_still_imports(any_db, tmp_path):
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("indicator_id,year,value\nW04,2024,95.5\nW04,2023,101\n", encoding="utf-8")
    good.write_text("indicator_id,year,value\nC02,2024,2.2\n", encoding="utf-8")
    result = importer.import_files([bad, good], db=any_db)
    assert [r.status for r in result.files] == ["rejected", "imported"]
    frame = result.files_frame("en")
    assert frame["errors"].tolist() == [1, 0] and frame["n_new"].tolist()[1] + frame["n_changed"].tolist()[1] == 1
    obs = store.read_observations(any_db)
    assert not ((obs["indicator_id"] == "W04") & (obs["year"] == 2024) & (obs["value"] == 95.5)).any()
