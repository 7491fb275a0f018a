"""The history database keeps each scan's manifest hash (issue 15, item 6): `verify --db`
checks a directory against it, and `diff` says when an older scan's evidence no longer
verifies."""
from __future__ import annotations

import json
import shutil

from cardshop_auditor import cli
from cardshop_auditor.storage import open_store, record_result, recorded_manifest_sha256


def test_the_manifest_hash_is_stored_and_diff_flags_evidence_that_no_longer_verifies(static_scan, tmp_path, capsys):
    result = static_scan["dujiaoka_default"]
    older = tmp_path / "older"
    shutil.copytree(result.target.out_dir, older)
    result.target.out_dir, original = older, result.target.out_dir
    db = f"sqlite:///{tmp_path / 'history.db'}"
    try:
        scan_id = record_result(db, result, log=lambda m: None)
    finally:
        result.target.out_dir = original
    stored = open_store(db).get_scan(scan_id, with_report=False)
    assert stored.manifest_sha256 == result.manifest_sha256
    assert recorded_manifest_sha256(db, older) == result.manifest_sha256

    assert cli.main(["verify", str(older), "--db", db]) == 0
    capsys.readouterr()
    assert cli.main(["diff", str(scan_id), str(result.target.out_dir), "--db", db, "--out", str(tmp_path / "d")]) == 0
    _, err = capsys.readouterr()
    assert "no longer verifies" not in err

    # The older scan's report is edited and its manifest rewritten to match: the manifest
    # hash in the database still tells.
    report = json.loads((older / "report.json").read_text("utf-8"))
    report["score"] = 99
    (older / "report.json").write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    from cardshop_auditor.evidence.manifest import write_manifest
    from cardshop_auditor.options import AuditOptions
    write_manifest(older, report, AuditOptions(), started_at=report["scanned_at"])
    assert cli.main(["verify", str(older)]) == 0             # alone, the rewritten manifest holds together
    capsys.readouterr()
    assert cli.main(["verify", str(older), "--db", db]) == 1
    _, err = capsys.readouterr()
    assert "MISMATCH manifest.json: its sha256" in err
    assert cli.main(["diff", str(scan_id), str(result.target.out_dir), "--db", db, "--out", str(tmp_path / "d")]) == 0
    _, err = capsys.readouterr()
    assert "the old scan's evidence no longer verifies: manifest.json: its sha256" in err
    diff = json.loads((tmp_path / "d" / "diff.json").read_text("utf-8"))
    assert diff["old"]["evidence"]["verified"] is False and diff["new"]["evidence"]["verified"] is True
