"""The scan's manifest and `cardshop-audit verify` (issue 15, items 3–4): an untouched scan
verifies; a one-byte change to any file, a changed WARC record, a forged manifest are each
named exactly, and the exit code says so.

Works on copies of the folder's shared static scan (conftest.py), re-sealed with a test
key where a signature is needed (the same ``write_manifest`` the pipeline calls)."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil

import pytest

from cardshop_auditor import cli
from cardshop_auditor.evidence.manifest import MANIFEST, SIGNATURE, write_manifest
from cardshop_auditor.evidence.verify import verify_scan
from cardshop_auditor.evidence.warc import WarcArchive, warc_path
from cardshop_auditor.options import AuditOptions


def _copy(static_scan, shop, tmp_path):
    dst = tmp_path / shop
    shutil.copytree(static_scan[shop].target.out_dir, dst)
    return dst


def _reseal(directory, key=None):
    report = json.loads((directory / "report.json").read_text("utf-8"))
    manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    return write_manifest(directory, report, AuditOptions.from_json(manifest["options"]),
                          started_at=manifest["started_at"], sign_key=key)


def _verify(argv, capsys):
    code = cli.main(["verify", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_pipeline_writes_a_manifest_of_every_file(static_scan):
    for result in static_scan.values():
        out_dir = result.target.out_dir
        data = (out_dir / MANIFEST).read_bytes()
        assert result.manifest_sha256 == hashlib.sha256(data).hexdigest()
        manifest = json.loads(data)
        listed = {f["path"]: f for f in manifest["files"]}
        on_disk = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()} - {MANIFEST}
        assert set(listed) == on_disk
        assert {"report.json", "report.html", "evidence/scan.warc.gz", "scan.wacz"} <= set(listed)
        for rel, entry in listed.items():
            assert entry["sha256"] == hashlib.sha256((out_dir / rel).read_bytes()).hexdigest()
        assert manifest["tool_version"] and manifest["started_at"] <= manifest["finished_at"]
        assert manifest["options"]["max_pages"] == AuditOptions().max_pages
        assert "password" not in manifest["options"] and "sign_key" not in manifest["options"]


def test_an_untouched_scan_verifies_with_every_quote_found(static_scan, capsys):
    for shop, result in static_scan.items():
        code, out, err = _verify([result.target.out_dir], capsys)
        assert code == 0, err
        assert "verified: everything matches" in out
        found = verify_scan(result.target.out_dir).checked["warc"]
        assert found["quotes"] >= 10 and found["quotes_found"] == found["quotes"], shop
        assert found["pages_rehashed"] >= 3


def test_a_one_byte_change_to_any_file_names_that_file(static_scan, tmp_path, capsys):
    source = static_scan["gbk_legacy_kameng"].target.out_dir
    files = [f["path"] for f in json.loads((source / MANIFEST).read_text("utf-8"))["files"]]
    assert len(files) >= 5
    for n, rel in enumerate(files):
        directory = tmp_path / f"copy{n}"
        shutil.copytree(source, directory)
        path = directory / rel
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        code, out, err = _verify([directory], capsys)
        assert code == 1, rel
        assert f"MISMATCH {rel}: sha256" in err, (rel, err)
        assert "NOT verified" in out


def test_a_file_added_after_the_scan_or_removed_is_named(static_scan, tmp_path):
    directory = _copy(static_scan, "dujiaoka_default", tmp_path)
    (directory / "evidence" / "extra.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (directory / "report.html").unlink()
    problems = verify_scan(directory).problems
    assert "evidence/extra.png: not in the manifest (added after the scan)" in problems
    assert "report.html: missing" in problems


def _rewrite_record(directory, quote: str) -> str:
    """Change, in the WARC, the response record holding ``quote``: its first characters
    replaced by as many bytes of other text, the record re-compressed in place."""
    path = warc_path(directory)
    archive = WarcArchive(path)
    raw = path.read_bytes()
    needle = quote.strip()[:4].encode("utf-8")
    for record in archive.records:
        if record.type != "response":
            continue
        member = gzip.decompress(raw[record.offset:record.offset + record.length])
        if needle in member:
            forged = member.replace(needle, "可以退款".encode("utf-8")[:len(needle)].ljust(len(needle), b" "))
            path.write_bytes(raw[:record.offset] + gzip.compress(forged) + raw[record.offset + record.length:])
            return record.id
    raise AssertionError(f"no record holds {quote!r} as plain bytes")


def test_a_changed_warc_record_is_named_even_under_a_resealed_manifest(static_scan, tmp_path, capsys):
    directory = _copy(static_scan, "dujiaoka_default", tmp_path)
    original = static_scan["dujiaoka_default"].manifest_sha256
    clause = static_scan["dujiaoka_default"].report["findings"]["agreement"]["clauses"][0]
    record_id = _rewrite_record(directory, clause["text"])
    assert record_id == clause["warc"]["record_id"]

    code, _, err = _verify([directory], capsys)
    assert code == 1
    assert "MISMATCH evidence/scan.warc.gz: sha256" in err
    assert f"record {record_id} ({clause['source_url']}) does not hold the quoted sentence" in err

    _reseal(directory)                # the forger writes a manifest that matches the files
    code, _, err = _verify([directory], capsys)
    assert code == 1, "the WARC no longer backs the report's quotes"
    assert f"record {record_id}" in err and "sha256 " not in err.split("record")[0]
    code, _, err = _verify([directory, "--manifest-sha256", original], capsys)
    assert code == 1 and "MISMATCH manifest.json: its sha256" in err and "(the manifest was replaced)" in err


def test_a_forged_manifest_fails_the_operators_signature(static_scan, keys, tmp_path, capsys):
    operator_key, operator_pub = keys["operator"]
    forger_key, forger_pub = keys["forger"]
    directory = _copy(static_scan, "gbk_legacy_kameng", tmp_path)
    sealed = _reseal(directory, operator_key)
    assert sealed["signed"] and (directory / SIGNATURE).stat().st_size == 64
    code, out, err = _verify([directory, "--pubkey", operator_pub], capsys)
    assert code == 0 and "signature: valid (--pubkey)" in out, err

    # The verdict is edited and the manifest's hash of report.json updated to match.
    report_path = directory / "report.json"
    report = json.loads(report_path.read_text("utf-8"))
    report["risk"]["level"] = "low"
    report_path.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    entry = next(f for f in manifest["files"] if f["path"] == "report.json")
    entry["sha256"] = hashlib.sha256(report_path.read_bytes()).hexdigest()
    entry["bytes"] = report_path.stat().st_size
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    code, _, err = _verify([directory, "--pubkey", operator_pub], capsys)
    assert code == 1 and "MISMATCH manifest.sig: the signature does not match manifest.json" in err
    assert "report.json" not in err           # the files match the forged manifest: the signature is what fails

    _reseal(directory, forger_key)            # re-signed with another key: still not the operator's
    code, _, err = _verify([directory, "--pubkey", operator_pub], capsys)
    assert code == 1 and "MISMATCH manifest.sig" in err
    code, _, err = _verify([directory, "--pubkey", forger_pub], capsys)
    assert code == 0

    (directory / SIGNATURE).unlink()
    code, _, err = _verify([directory, "--pubkey", operator_pub], capsys)
    assert code == 1 and "MISMATCH manifest.sig: missing" in err


def test_verify_usage_errors_are_one_line_exit_2(tmp_path, capsys):
    code, _, err = _verify([tmp_path / "nowhere"], capsys)
    assert code == 2 and "not a directory" in err
    code, _, err = _verify([tmp_path], capsys)
    assert code == 1 and "manifest.json: cannot be read" in err
    (tmp_path / MANIFEST).write_bytes(b"\xff\xfe{not json")
    code, _, err = _verify([tmp_path], capsys)
    assert code == 1 and "not a manifest of ours" in err and "Traceback" not in err


def test_a_manifest_listing_paths_outside_the_scan_is_refused(static_scan, tmp_path):
    directory = _copy(static_scan, "dujiaoka_default", tmp_path)
    manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    manifest["files"].append({"path": "../../etc/passwd", "sha256": "0" * 64, "bytes": 1})
    (directory / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    problems = verify_scan(directory).problems
    assert any("lists a path outside the scan directory" in p for p in problems)


def test_the_signing_key_never_reaches_the_scan(static_scan, keys, tmp_path):
    operator_key, _ = keys["operator"]
    directory = _copy(static_scan, "dujiaoka_default", tmp_path)
    _reseal(directory, operator_key)
    secret = operator_key.read_bytes()
    body = b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())
    for line in secret.splitlines()[1:-1]:
        assert line not in body
    assert str(operator_key).encode() not in (directory / MANIFEST).read_bytes()
