"""A plain `pip install .` must give a working `cardshop-audit`: everything it reads
(templates, JSON Schema, fixture shops, migrations) ships inside the wheel."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(project_wheel) -> Path:
    """The project's wheel, built from a copy of the checkout (tests/wheel_cache.py)."""
    return project_wheel


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("target")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(tmp / "site"), str(wheel)], check=True, timeout=300)
    return wheel, tmp / "site"


def test_wheel_ships_data_files(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "cardshop_auditor/schema/report.schema.json" in names
    assert any(n.startswith("cardshop_auditor/report_templates/") and n.endswith(".j2") for n in names)
    assert any(n.startswith("cardshop_auditor/demo/shops/") and n.endswith("labels.json") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_adds_one_top_level_name(installed):
    """One import name of our own: nothing generic (auditor, checks, fixtures…) lands in
    site-packages, and no test server (the hostile sites) is installed."""
    wheel, site = installed
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/RECORD"))
        top_level = zf.read(f"{info}/top_level.txt").decode().split()
        record = [line.split(",")[0] for line in zf.read(f"{info}/RECORD").decode().splitlines() if line]
    assert top_level == ["cardshop_auditor"]
    assert {path.split("/")[0] for path in record} == {"cardshop_auditor", info}
    assert not any("hostile" in path or path.startswith("tests/") for path in record)
    assert any(path.startswith("cardshop_auditor/demo/shops/compliant_platform/") for path in record)
    assert sorted(p.name for p in site.iterdir() if not p.name.endswith(".dist-info")) == ["bin", "cardshop_auditor"]


def test_installed_package_runs_as_python_m(installed, tmp_path):
    _, site = installed
    env = dict(os.environ, PYTHONPATH=str(site))
    proc = subprocess.run([sys.executable, "-m", "cardshop_auditor", "--version"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    import cardshop_auditor
    assert proc.returncode == 0 and proc.stdout.strip() == f"cardshop-audit {cardshop_auditor.__version__}"
    meta = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('cardshop-auditor'))"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert meta.stdout.strip() == cardshop_auditor.__version__      # one version, in __init__.py


def test_installed_cli_audits_a_shop_outside_the_checkout(installed, tmp_path, fixture_server):
    _, site = installed
    env = dict(os.environ, PYTHONPATH=str(site))
    probe = subprocess.run([sys.executable, "-c", "import cardshop_auditor.report_templates as t; print(t.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(site)), probe.stdout   # not the checkout
    proc = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "scan",
                           fixture_server.url("compliant_platform"), "--out", str(tmp_path / "r"),
                           "--browser", "never"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r" / "report.json").read_text("utf-8"))
    assert report["schema_version"] == 1 and report["score"] is not None
    assert "<html" in (tmp_path / "r" / "report.html").read_text("utf-8")


# --------------------------------------------------------------------------- the README, from a foreign directory
# The wheel in a fresh venv (its dependencies from the indexes pip is configured with,
# pinned by constraints.txt), every command of the README run from a temporary directory
# with relative paths: each exits 0, writes under that directory, and nothing is ever
# written inside the venv (the crawl child once ran in the install root and wrote there).

def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fresh")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    constraints = ["-c", str(ROOT / "constraints.txt")] if (ROOT / "constraints.txt").exists() else []
    # --no-compile (and PYTHONDONTWRITEBYTECODE below): 40 s less here; Python's own bytecode
    # cache is not what test_nothing_is_written_inside_the_venv looks for
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                           "--no-compile", *constraints, str(wheel)], timeout=600, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return venv


LOGIN = json.loads((ROOT / "fixtures" / "shops" / "login_form_cookie" / "labels.json").read_text("utf-8"))["credentials"]


@pytest.fixture(scope="module")
def readme_run(fresh_venv, fixture_server, tmp_path_factory):
    """Every README command, run once from a temporary directory as a pip user runs them."""
    work = tmp_path_factory.mktemp("user-dir")
    home = tmp_path_factory.mktemp("home")
    before = _tree(fresh_venv)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CARDSHOP_DB", "VIRTUAL_ENV")}
    env.update(HOME=str(home), PATH=f"{fresh_venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               SHOP_PW=LOGIN["password"], PYTHONDONTWRITEBYTECODE="1")
    cli = str(fresh_venv / "bin" / "cardshop-audit")
    shop, v1, v2 = (fixture_server.url(n) for n in ("compliant_platform", "changing_shop_v1", "changing_shop_v2"))
    (work / "urls.txt").write_text(f"{shop}\n{v1}\n", "utf-8")
    never = ("--browser", "never")
    commands = {
        "scan_default_out": [cli, "scan", shop, *never],
        "scan_relative_out": [cli, "scan", shop, "--out", "scans/one", "--db", "sqlite:///history.db", *never],
        "scan_old": [cli, "scan", v1, "--out", "old", *never],
        "scan_new": [cli, "scan", v2, "--out", "new", *never],
        "batch": [cli, "batch", "urls.txt", "--out", "reports/", "--db", "sqlite:///history.db", "--no-progress",
                  *never],
        "diff": [cli, "diff", "old/report.json", "new/report.json", "--out", "changes/"],
        "history": [cli, "history", shop, "--db", "sqlite:///history.db"],
        "rescore": [cli, "rescore", "old"],
        "demo": [cli, "demo", "--out", "demo-reports", "--shops", "compliant_platform", *never],
        # the README's logged-in scan: the browser stage's screenshots land in the user's dir too
        "scan_login": [cli, "scan", fixture_server.url("login_form_cookie"), "--username", LOGIN["username"],
                       "--password-env", "SHOP_PW", "--out", "logged-in"],
    }
    probe = subprocess.run([str(fresh_venv / "bin" / "python"), "-c", "import cardshop_auditor; print(cardshop_auditor.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    from concurrent.futures import ThreadPoolExecutor

    def run(name: str):
        return name, subprocess.run(commands[name], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    later = ("diff", "rescore", "history")          # these read what the others wrote
    with ThreadPoolExecutor(4) as pool:
        procs = dict(pool.map(run, [n for n in commands if n not in later]))
    procs.update(run(name) for name in later)
    return {"work": work, "home": home, "procs": procs, "venv": fresh_venv, "before": before,
            "after": _tree(fresh_venv), "auditor_file": probe.stdout.strip()}


def test_the_fresh_venv_runs_its_own_copy(readme_run):
    assert readme_run["auditor_file"].startswith(str(readme_run["venv"])), readme_run["auditor_file"]


@pytest.mark.parametrize("name", ["scan_default_out", "scan_relative_out", "scan_old", "scan_new", "batch",
                                  "diff", "history", "rescore", "demo", "scan_login"])
def test_readme_command_exits_0_from_a_foreign_directory(readme_run, name):
    proc = readme_run["procs"][name]
    assert proc.returncode == 0, f"{name}: {proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr


def test_readme_outputs_land_in_the_users_directory(readme_run):
    work = readme_run["work"]
    (default,) = work.glob("audit-127.0.0.1-*")
    for scan_dir in (default, work / "scans" / "one", work / "old", work / "new"):
        report = json.loads((scan_dir / "report.json").read_text("utf-8"))
        assert report["score"] is not None and (scan_dir / "report.html").is_file()
        assert (scan_dir / "artifacts" / "meta.json").is_file()
    assert f"report.json: {default / 'report.json'}" in readme_run["procs"]["scan_default_out"].stdout
    summary = json.loads((work / "reports" / "summary.json").read_text("utf-8"))
    assert summary["total"] == 2 and summary["audited"] == 2 and summary["missing"] == 0
    assert (work / "reports" / "index.html").is_file()
    assert json.loads((work / "changes" / "diff.json").read_text("utf-8"))["changes"]
    assert (work / "history.db").is_file()
    history = readme_run["procs"]["history"].stdout
    assert len([ln for ln in history.splitlines() if ln.strip()[:1].isdigit()]) == 2   # the scan and the batch's
    assert (work / "demo-reports" / "index.html").is_file()
    logged_in = json.loads((work / "logged-in" / "report.json").read_text("utf-8"))
    assert logged_in["findings"]["site"]["login"]["ok"] is True, logged_in["findings"]["site"]["login"]
    shots = list((work / "logged-in" / "evidence").glob("*.png"))
    assert shots and all(p.stat().st_mode & 0o077 == 0 for p in shots)     # logged-in screenshots: private
    assert not [p for p in (work / "logged-in").rglob("*") if p.is_file()
                and LOGIN["password"].encode() in p.read_bytes()]
    assert not list(readme_run["home"].rglob("*.db"))      # no database in the user's home either


def test_nothing_is_written_inside_the_venv(readme_run):
    before, after = readme_run["before"], readme_run["after"]
    added = sorted(set(after) - set(before))
    changed = sorted(k for k in before if k in after and after[k] != before[k])
    assert not added and not changed, (added[:20], changed[:20])


def test_outputs_are_owner_only_by_default(readme_run):
    work = readme_run["work"]
    for path in [work / "scans" / "one", work / "scans" / "one" / "report.json",
                 work / "scans" / "one" / "artifacts" / "pages.jsonl", work / "reports" / "summary.csv",
                 work / "history.db", work / "changes" / "diff.html"]:
        assert path.stat().st_mode & 0o077 == 0, f"{path}: {oct(path.stat().st_mode)}"


# --------------------------------------------------------------------------- supply chain


def _requirements() -> dict[str, list[str]]:
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return {"runtime": project["dependencies"], **project["optional-dependencies"]}


def _name(requirement: str) -> str:
    import re
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_every_dependency():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[name.lower().replace("_", "-").replace(".", "-")] = version
    for group, requirements in _requirements().items():
        for requirement in requirements:
            assert _name(requirement).replace(".", "-") in pins, f"{requirement} ({group}) has no pin"
    assert "cardshop-auditor" not in pins and "pip" not in pins
    assert "constraints.txt" in (ROOT / "Makefile").read_text("utf-8")


# How each declared dependency is used: the module imported, or why it is needed unimported.
USED_WITHOUT_IMPORT = {
    "brotli": "Scrapy's HttpCompressionMiddleware decodes br bodies with it",
    "setuptools": "tests build the wheel without build isolation",
    "wheel": "tests build the wheel without build isolation",
    "pytest-playwright": "the `page` fixture of tests/report/test_report_browser.py",
    "pytest-timeout": "--timeout in [tool.pytest.ini_options]",
    "pytest-xdist": "-n 3 in the Makefile's PYTEST_ARGS",
}
IMPORT_NAMES = {"charset-normalizer": "charset_normalizer", "axe-playwright-python": "axe_playwright_python",
                "psycopg": "psycopg", "scikit-learn": "sklearn"}


def test_every_declared_dependency_is_used():
    import re
    sources = "\n".join(p.read_text("utf-8", errors="replace")
                        for top in ("auditor", "spiders", "checks", "report_templates", "fixtures", "tests", "bench")
                        for p in (ROOT / top).rglob("*.py"))
    for group, requirements in _requirements().items():
        for requirement in requirements:
            name = _name(requirement)
            if name in USED_WITHOUT_IMPORT:
                continue
            module = IMPORT_NAMES.get(name, name.replace("-", "_"))
            assert re.search(rf"^\s*(from|import)\s+{module}\b", sources, re.M | re.I), \
                f"{requirement} ({group}) is never imported: remove it from pyproject.toml"
