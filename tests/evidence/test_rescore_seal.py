"""`rescore` re-seals the scan (auditor/evidence/reseal.py) and `verify` holds it to account
(auditor/evidence/chain.py): a rescored scan verifies, the crawl's files keep the hashes
the scan sealed, the old seal (manifest, signature, reports) is kept, and any change after
the rescore, or a crawl file changed under a forged new manifest, fails verify.

Works on copies of the folder's shared static scan (conftest.py)."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from cardshop_auditor import cli
from cardshop_auditor.evidence.manifest import MANIFEST, SIGNATURE, write_manifest
from cardshop_auditor.evidence.verify import verify_scan
from cardshop_auditor.options import AuditOptions

SHOP = "dujiaoka_default"


@pytest.fixture
def scan_dir(static_scan, tmp_path):
    dst = tmp_path / SHOP
    shutil.copytree(static_scan[SHOP].target.out_dir, dst)
    return dst


def _cli(capsys, *argv):
    code = cli.main([*map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _manifest(directory, rel=MANIFEST):
    return json.loads((directory / rel).read_text("utf-8"))


def _sign_as_scanned(directory, key):
    """The scan as `scan --sign-key` leaves it (the same write_manifest the pipeline calls)."""
    report = json.loads((directory / "report.json").read_text("utf-8"))
    manifest = _manifest(directory)
    write_manifest(directory, report, AuditOptions.from_json(manifest["options"]),
                   started_at=manifest["started_at"], sign_key=key)


def test_a_rescored_scan_verifies_and_keeps_the_crawls_hashes(scan_dir, capsys):
    before = _manifest(scan_dir)
    before_sha = hashlib.sha256((scan_dir / MANIFEST).read_bytes()).hexdigest()
    old_report = (scan_dir / "report.json").read_bytes()
    code, out, err = _cli(capsys, "rescore", scan_dir, "--lang", "en")
    assert code == 0, err
    assert "superseded/1" in out and "unsigned" in out
    assert json.loads((scan_dir / "report.json").read_text("utf-8"))["lang"] == "en"   # rewritten

    code, out, err = _cli(capsys, "verify", scan_dir)
    assert code == 0, err
    assert "verified: everything matches" in out
    assert "rescored at" in err and "superseded/1/manifest.json" in err

    after = _manifest(scan_dir)
    assert after["rescore"]["supersedes"]["sha256"] == before_sha
    assert after["rescore"]["supersedes"]["rewritten"] == ["report.json", "report.html"]
    assert after["started_at"] == before["started_at"] and after["finished_at"] == before["finished_at"]
    listed = {f["path"]: f["sha256"] for f in after["files"]}
    for entry in before["files"]:               # the crawl's files: the hashes the scan sealed
        if entry["path"] not in ("report.json", "report.html"):
            assert listed[entry["path"]] == entry["sha256"], entry["path"]
    # the old seal and the report it sealed are kept, byte for byte
    assert (scan_dir / "superseded/1/report.json").read_bytes() == old_report
    assert hashlib.sha256((scan_dir / "superseded/1" / MANIFEST).read_bytes()).hexdigest() == before_sha
    assert {"superseded/1/manifest.json", "superseded/1/report.json", "superseded/1/report.html"} <= set(listed)
    seal = verify_scan(scan_dir).checked["superseded"][0]
    assert seal["files_unchanged"] and seal["sha256"] == before_sha


def test_a_change_after_the_rescore_fails_verify(scan_dir, capsys):
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    report = scan_dir / "report.json"
    data = report.read_bytes()
    report.write_bytes(data.replace(b'"score": ', b'"score":  ', 1))
    code, out, err = _cli(capsys, "verify", scan_dir)
    assert code == 1 and "NOT verified" in out
    assert "MISMATCH report.json: sha256" in err
    report.write_bytes(data)
    assert _cli(capsys, "verify", scan_dir)[0] == 0

    kept = scan_dir / "superseded/1/report.json"           # the sealed original report
    kept.write_bytes(kept.read_bytes() + b" ")
    problems = verify_scan(scan_dir).problems
    assert any(p.startswith("superseded/1/report.json: sha256") for p in problems)


def test_a_crawl_file_changed_under_a_forged_new_manifest_is_named(scan_dir, capsys):
    """A forger rescores, edits a crawl file and writes the new manifest again over it:
    the files match that manifest, but not the scan's seal it supersedes."""
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    pages = scan_dir / "artifacts" / "pages.jsonl"
    pages.write_bytes(pages.read_bytes().replace("支付".encode(), "付款".encode(), 1))
    manifest = _manifest(scan_dir)
    report = json.loads((scan_dir / "report.json").read_text("utf-8"))
    write_manifest(scan_dir, report, AuditOptions.from_json(manifest["options"]), started_at=manifest["started_at"],
                   extra={"rescore": manifest["rescore"]})
    result = verify_scan(scan_dir)
    assert not result.ok
    assert any(p.startswith("artifacts/pages.jsonl: changed since superseded/1/manifest.json sealed it")
               for p in result.problems), result.problems
    assert result.checked["superseded"][0]["files_unchanged"] is False


def test_the_superseded_seal_cannot_be_swapped(scan_dir, capsys):
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    old = scan_dir / "superseded/1" / MANIFEST
    forged = _manifest(scan_dir, "superseded/1/manifest.json")
    forged["files"] = [f for f in forged["files"] if f["path"] != "artifacts/pages.jsonl"]
    old.write_text(json.dumps(forged), "utf-8")
    problems = verify_scan(scan_dir).problems
    assert any(p.startswith("superseded/1/manifest.json: sha256") and "superseded seal" in p for p in problems)


def test_a_scan_that_does_not_verify_is_not_rescored(scan_dir, capsys):
    warc = scan_dir / "evidence" / "scan.warc.gz"
    warc.write_bytes(warc.read_bytes() + b"\0")
    report = (scan_dir / "report.json").read_bytes()
    code, out, err = _cli(capsys, "rescore", scan_dir)
    assert code == 2
    assert err.count("\n") == 1 and "does not match its manifest, so it is not rescored" in err
    assert "evidence/scan.warc.gz" in err and "Traceback" not in err
    assert (scan_dir / "report.json").read_bytes() == report and not (scan_dir / "superseded").exists()


def test_signed_scan_rescored_without_the_key_keeps_the_signature_superseded(scan_dir, keys, capsys):
    operator_key, operator_pub = keys["operator"]
    _sign_as_scanned(scan_dir, operator_key)
    assert _cli(capsys, "verify", scan_dir, "--pubkey", operator_pub)[0] == 0
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    assert not (scan_dir / SIGNATURE).exists() and (scan_dir / "superseded/1" / SIGNATURE).is_file()
    assert _manifest(scan_dir)["rescore"]["supersedes"]["signed"] is True

    code, out, err = _cli(capsys, "verify", scan_dir)           # the files hold; no key claimed
    assert code == 0, err
    assert "signature: valid" in err                            # the superseded seal's, noted
    # the operator's key vouches for the scan's seal, not for the rescored report
    code, out, err = _cli(capsys, "verify", scan_dir, "--pubkey", operator_pub)
    assert code == 1
    assert "manifest.sig: missing: the scan was rescored" in err and "without --sign-key" in err
    seal = verify_scan(scan_dir, pubkey=operator_pub).checked["superseded"][0]
    assert seal["signature"] == "valid (--pubkey)"


def test_rescore_with_the_key_signs_the_new_manifest(scan_dir, keys, capsys):
    operator_key, operator_pub = keys["operator"]
    forger_key, _ = keys["forger"]
    _sign_as_scanned(scan_dir, operator_key)
    code, out, err = _cli(capsys, "rescore", scan_dir, "--sign-key", operator_key)
    assert code == 0, err
    code, out, err = _cli(capsys, "verify", scan_dir, "--pubkey", operator_pub)
    assert code == 0, err
    assert "signature: valid (--pubkey)" in out
    # signed by someone else: the new manifest fails the operator's key
    assert _cli(capsys, "rescore", scan_dir, "--sign-key", forger_key)[0] == 0
    code, out, err = _cli(capsys, "verify", scan_dir, "--pubkey", operator_pub)
    assert code == 1 and "MISMATCH manifest.sig: the signature does not match" in err
    assert (scan_dir / "superseded/2" / SIGNATURE).is_file()


def test_rescored_twice_the_chain_goes_back_to_the_scan(scan_dir, capsys):
    scanned = hashlib.sha256((scan_dir / MANIFEST).read_bytes()).hexdigest()
    assert _cli(capsys, "rescore", scan_dir, "--lang", "en")[0] == 0
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    result = verify_scan(scan_dir)
    assert result.ok, result.problems
    seals = result.checked["superseded"]
    assert [s["manifest"] for s in seals] == ["superseded/2/manifest.json", "superseded/1/manifest.json"]
    assert seals[-1]["sha256"] == scanned
    # the history database keeps the scan's hash: it still ties to this directory
    code, out, err = _cli(capsys, "verify", scan_dir, "--manifest-sha256", scanned)
    assert code == 0 and "superseded by a rescore" in err
    assert _cli(capsys, "verify", scan_dir, "--manifest-sha256", "0" * 64)[0] == 1


def test_a_new_scan_into_a_rescored_directory_clears_the_old_seals(scan_dir, capsys):
    from cardshop_auditor.outputs import claim_scan_dir
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    claim_scan_dir(scan_dir)
    assert not (scan_dir / "superseded").exists() and not (scan_dir / MANIFEST).exists()


def test_a_linked_superseded_folder_is_refused(scan_dir, tmp_path, capsys):
    """superseded/ pointing elsewhere: rescore writes nothing there, verify names it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (scan_dir / "superseded").symlink_to(elsewhere, target_is_directory=True)
    code, out, err = _cli(capsys, "rescore", scan_dir)
    assert code == 2 and "not a directory of ours" in err and not any(elsewhere.iterdir())
    (scan_dir / "superseded").unlink()
    assert _cli(capsys, "rescore", scan_dir)[0] == 0
    shutil.move(scan_dir / "superseded" / "1", elsewhere / "1")
    shutil.rmtree(scan_dir / "superseded")
    (scan_dir / "superseded").symlink_to(elsewhere, target_is_directory=True)
    problems = verify_scan(scan_dir).problems
    assert "superseded/1/manifest.json: a symbolic link, not the superseded seal" in problems
