"""Every curated notebook is committed without outputs, and every one runs top to bottom."""

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert "00-dashboard.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: strip outputs"
            assert cell.get("execution_count") is None, f"{path.name}: strip execution counts"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch, prepared_store):
    # Never touch the real store: each notebook gets its own copy of the shipped data (and of its
    # dashboard build, as after `make data`).
    shutil.copy(prepared_store / "monitoring.sqlite", tmp_path / "monitoring.sqlite")
    shutil.copytree(prepared_store / "monitoring.build", tmp_path / "monitoring.build")
    monkeypatch.setenv("PLANLIB_DB", str(tmp_path / "monitoring.sqlite"))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
