import base64
import io
import re
import subprocess
from datetime import datetime, timezone
import urllib.error
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from planlib import store
from planlib.apps.intake import IntakeApp

from .conftest import ROOT, free_port, stop, voila_command, voila_env, wait_for_port
from .conftest import snapshot
from .intake_fixtures import HEALTH, blank_templates, template  # noqa: F401



def _upload(app, path: Path, name: str | None = None):
    data = path.read_bytes()
    app.upload.value = ({"name": name or path.name, "type": "", "size": len(data),
                         "content": memoryview(data), "last_modified": datetime.now(timezone.utc)},)


def test_starts_with_the_history_and_nothing_to_import(any_db):
    app = IntakeApp(any_db)
    assert app.confirm.disabled
    assert store.SEED_FILE_NAME in app.history_out.value and "尚未选择文件" in app.check_out.value
    assert "没有修改记录" in app.revisions_out.value


def test_upload_check_confirm_import(any_db, template, monkeypatch):
    builds = []
    monkeypatch.setattr("planlib.apps.intake.start_build", builds.append)
    app = IntakeApp(any_db)
    app.who.value = "县统计局 李四"
    before = snapshot(any_db)
    _upload(app, template(HEALTH, {"W04": 95.5, "W07": 99.0}), "卫健委2024.xlsx")
    assert not app.confirm.disabled and "检查通过" in app.check_out.value
    assert "卫健委2024.xlsx" in app.check_out.value and snapshot(any_db) == before  # checked only
    assert builds == []
    app.confirm.click()
    assert app.confirm.disabled and "导入完成" in app.check_out.value and app.upload.value == ()
    assert builds == [any_db]  # the dashboard's build is made anew for the new values
    sub = store.submissions(any_db).iloc[0]
    assert (sub.file_name, sub.imported_by, sub.n_changed) == ("卫健委2024.xlsx", "县统计局 李四", 2)
    assert "卫健委2024.xlsx" in app.history_out.value
    app.indicator.value = "W04"
    assert "replaces demo data" in app.revisions_out.value and "95.5" in app.revisions_out.value


def test_errors_are_shown_and_block_the_import(any_db, template):
    app = IntakeApp(any_db, lang="en")
    before = snapshot(any_db)
    _upload(app, template(HEALTH, {"W04": 120, "W07": "<b>x</b>"}))
    assert app.confirm.disabled
    out = app.check_out.value
    assert out.count("<tr class=\"error\">") == 2 and "above the maximum 100" in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x</b>" not in out  # cell text is escaped
    app.confirm.click()  # a disabled button's click does nothing; neither may the handler
    assert snapshot(any_db) == before


def test_makes_a_blank_template(any_db):
    app = IntakeApp(any_db)
    app.unit.value, app.year.value = HEALTH, 2024
    app.make.click()
    data = base64.b64decode(re.search(r"base64,([^']+)'", app.template_link.value).group(1))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == HEALTH and wb[HEALTH]["A4"].value == "W01"


# --- the intake server runs only with a token ----------------------------------------------------

def _get(url: str) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=120) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location", "")


def test_make_intake_always_uses_a_token_and_never_puts_it_on_the_command_line():
    out = subprocess.run(["make", "-n", "intake", "INTAKE_TOKEN_FILE=/x/tok"], cwd=ROOT,
                         capture_output=True, text=True).stdout
    assert "notebooks/02-data-intake.ipynb" in out and "--Voila.ip=127.0.0.1" in out
    assert "PLANLIB_INTAKE_TOKEN:-" in out and "secrets.token_urlsafe" in out and "umask 077" in out
    assert 'JUPYTER_TOKEN="$token"' in out and "--Voila.auto_token=True" in out
    assert "--token" not in out and 'cat "/x/tok"' in out


@pytest.mark.slow
def test_intake_server_refuses_requests_without_the_token(tmp_path, seeded_store):
    import shutil

    db = tmp_path / "monitoring.sqlite"
    shutil.copy(seeded_store, db)
    port, token = free_port(), "t0k3n-for-the-test"
    proc = subprocess.Popen(voila_command("notebooks/02-data-intake.ipynb", port) + ["--Voila.auto_token=True"],
                            cwd=ROOT, env={**voila_env(db), "JUPYTER_TOKEN": token},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        assert token not in Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode()  # not in `ps`
        status, where = _get(f"http://127.0.0.1:{port}/")
        assert status in (302, 403) and (status == 403 or "/login" in where)
        assert _get(f"http://127.0.0.1:{port}/?token=wrong")[0] in (302, 403)
        assert _get(f"http://127.0.0.1:{port}/api/kernels")[0] in (302, 403)
        status, page = _get(f"http://127.0.0.1:{port}/?token={token}")
        assert status == 200 and "数据报送导入" in page
    finally:
        stop(proc)


def test_another_regions_plan_in_the_intake_app(db, tmp_path, monkeypatch):
    """With a second plan in the store, the app asks whose plan: the template, the indicator
    list and a CSV without a region are then that region's, judged against its own plan."""
    from planlib import config, demo

    monkeypatch.setattr("planlib.apps.intake.start_build", lambda db: None)
    assert IntakeApp(db).region.layout.display == "none"  # one plan: nothing to choose
    demo.register_demo_county(db)
    app = IntakeApp(db)
    assert app.region.layout.display is None
    assert [v for _, v in app.region.options] == [config.COUNTY, config.DEMO_COUNTY]
    app.region.value = config.DEMO_COUNTY
    app.unit.value = app.unit.options[1][1]
    app.year.value = 2024
    app.make.click()
    name = re.search(r"download='([^']+)'", app.template_link.value).group(1)
    assert name.startswith(f"报送模板-{config.DEMO_COUNTY}-")
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
        re.search(r"base64,([^']+)'", app.template_link.value).group(1))))
    assert config.DEMO_COUNTY in str([c.value for row in book.worksheets[0].iter_rows() for c in row])
    csv = tmp_path / "c21.csv"
    csv.write_text("indicator_id,year,value\nC21,2024,97.7\n", encoding="utf-8")
    def c21_2024(region: str) -> list[float]:
        stored = store.read_observations(db)
        return stored[(stored.indicator_id == "C21") & (stored.year == 2024) & (stored.region == region)].value.tolist()

    home = c21_2024(config.COUNTY)
    _upload(app, csv)
    assert "检查通过" in app.check_out.value
    app.confirm.click()
    assert c21_2024(config.DEMO_COUNTY) == [97.7] and c21_2024(config.COUNTY) == home  # not the home county's
