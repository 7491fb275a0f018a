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
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp / "dist"), str(ROOT)], check=True, timeout=300)
    wheel = next((tmp / "dist").glob("cardshop_auditor-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(tmp / "site"), str(wheel)], check=True, timeout=300)
    return wheel, tmp / "site"


def test_wheel_ships_data_files(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "auditor/schema/report.schema.json" in names
    assert any(n.startswith("report_templates/") and n.endswith(".j2") for n in names)
    assert any(n.startswith("fixtures/shops/") and n.endswith("labels.json") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_installed_cli_audits_a_shop_outside_the_checkout(installed, tmp_path, fixture_server):
    _, site = installed
    env = dict(os.environ, PYTHONPATH=str(site))
    probe = subprocess.run([sys.executable, "-c", "import auditor, report_templates; print(auditor.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(site)), probe.stdout   # not the checkout
    proc = subprocess.run([sys.executable, "-m", "auditor.cli", "scan",
                           fixture_server.url("compliant_platform"), "--out", str(tmp_path / "r"),
                           "--browser", "never"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r" / "report.json").read_text("utf-8"))
    assert report["schema_version"] == 1 and report["score"] is not None
    assert "<html" in (tmp_path / "r" / "report.html").read_text("utf-8")
