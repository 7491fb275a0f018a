"""The Alembic migrations ship inside the package and run from an installed wheel (no
alembic.ini, no checkout): script_location comes from importlib.resources."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.slow


def test_wheel_contains_the_migrations_and_they_run_installed(project_wheel, tmp_path):
    wheel = project_wheel            # the session's build of this tree (tests/wheel_cache.py)
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("cardshop_auditor/storage/migrations/env.py", "cardshop_auditor/storage/migrations/script.py.mako",
                   "cardshop_auditor/storage/migrations/versions/0001_initial.py",
                       "cardshop_auditor/storage/migrations/versions/0002_dead_letters.py",
                   "cardshop_auditor/storage/migrations/versions/0003_manifest_sha256.py", "cardshop_auditor/report_templates/diff.html.j2",
                   "cardshop_auditor/report_templates/batch.html.j2", "cardshop_auditor/report_templates/history.css",
                   "cardshop_auditor/report_templates/batch_sort.js"):
        assert needed in names, needed
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, timeout=300, capture_output=True)
    code = ("import cardshop_auditor.storage as s, sys; st = s.Store(sys.argv[1]); "
            "from cardshop_auditor.storage.store import current_revision; "
            "print(s.__file__); print(current_revision(st.engine))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code, f"sqlite:///{tmp_path / 'h.db'}"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    module_file, revision = out.stdout.split()
    assert module_file.startswith(str(site)) and revision == "0003_manifest_sha256"
