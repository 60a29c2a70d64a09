"""The set-up promises: one dependency list in two formats, a console script, the two commands."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == declared
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_console_script_and_make_targets():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["planlib"] == "planlib.cli:main"
    makefile = (ROOT / "Makefile").read_text()
    for target in ("app:", "test:", "lab:", "data:"):
        assert re.search(rf"^{target}", makefile, re.M), target
    readme = (ROOT / "README.md").read_text()
    assert "make app" in readme and "make test" in readme and "make lab" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_public_api_names_the_functions_the_issues_promise():
    import planlib
    import planlib.apps  # noqa: F401  (importing every submodule must not rebind a public name)
    import planlib.report  # noqa: F401

    for name in planlib.__all__:
        assert getattr(planlib, name) is not None, name
    assert callable(planlib.assess) and callable(planlib.load_catalog) and callable(planlib.parse_target)
    c02 = planlib.load_observations().query("indicator_id == 'C02' and year == 2020 and region == '石柱县'")
    assert c02["value"].tolist() == [1.5] and "发展基础" in c02["source"].iloc[0]
