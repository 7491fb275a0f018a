"""``cardshop-audit verify DIR``: does the scan directory still hold what the scan wrote?

Checks, each a line naming the file or the WARC record that does not match:

* the manifest: readable, ours; its sha256 equals ``--manifest-sha256`` / the history
  database's when given (or that of a seal a rescore superseded);
* after ``rescore``: the seals it superseded, each still true of the crawl's files, with
  their own signature and timestamp (auditor/evidence/chain.py);
* the signature (manifest.sig) over manifest.json's bytes with ``--pubkey`` (or, without
  it, the key the manifest names: that only shows the files match *a* key);
* the RFC 3161 token (manifest.tsr): its message imprint is manifest.json's sha256, its
  signature and certificate chain hold up to ``--tsa-ca``;
* every listed file's sha256 and size; files missing, or present but not listed;
* the WARC: every page row's record re-hashes to the page's sha256, and every quoted
  sentence of the report (agreement clauses, findings, check evidence) is found again in
  the recorded bytes of the page it cites.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from cardshop_auditor.evidence.chain import check_superseded
from cardshop_auditor.evidence.manifest import (MANIFEST, NOT_LISTED, SIGNATURE, TIMESTAMP, file_entry,
                                                scan_files)

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_ELLIPSIS = re.compile(r"…+|\.\.\.+")
QUOTE_KEYS = ("text", "snippet", "quote", "raw", "number", "uscc", "company_name", "value")


@dataclass
class Verification:
    directory: Path
    manifest_sha256: str | None = None
    problems: list[str] = field(default_factory=list)
    checked: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"directory": str(self.directory), "ok": self.ok, "manifest_sha256": self.manifest_sha256,
                "problems": self.problems, "notes": self.notes, "checked": self.checked}


def verify_scan(directory: str | Path, pubkey: str | Path | None = None, tsa_ca: str | Path | None = None,
                expected_sha256: str | None = None) -> Verification:
    out = Verification(Path(directory))
    path = out.directory / MANIFEST
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.problems.append(f"{MANIFEST}: cannot be read ({exc.strerror or exc})")
        return out
    out.manifest_sha256 = hashlib.sha256(data).hexdigest()
    try:
        manifest = json.loads(data.decode("utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
            raise ValueError("no file list")
    except (UnicodeDecodeError, ValueError) as exc:
        out.problems.append(f"{MANIFEST}: not a manifest of ours ({exc})"[:300])
        return out
    _check_signature(out, manifest, data, pubkey)
    _check_timestamp(out, data, tsa_ca)
    _check_files(out, manifest)
    superseded = check_superseded(out, manifest, pubkey, tsa_ca)      # after a rescore
    _check_expected(out, expected_sha256, superseded)
    _check_warc(out)
    return out


def _check_expected(out: Verification, expected: str | None, superseded: list[str]) -> None:
    """The hash recorded elsewhere is this manifest's, or that of a seal a rescore superseded
    (the history database keeps the scan's; the chain above ties it to this one)."""
    if not expected:
        return
    expected = expected.strip().lower()
    if expected == out.manifest_sha256:
        return
    if expected in superseded:
        out.notes.append(f"the recorded manifest sha256 {expected} is of a seal superseded by a rescore; "
                         f"{MANIFEST} is the rescore's")
        return
    out.problems.append(f"{MANIFEST}: its sha256 {out.manifest_sha256} is not the recorded "
                        f"{expected} (the manifest was replaced)")


def _check_signature(out: Verification, manifest: dict, data: bytes, pubkey) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cardshop_auditor.evidence.manifest import SigningKeyError, load_public_key
    sig_path = out.directory / SIGNATURE
    declared = manifest.get("signature") if isinstance(manifest.get("signature"), dict) else None
    if not sig_path.exists():
        rescored = manifest.get("rescore") if isinstance(manifest.get("rescore"), dict) else None
        if rescored and pubkey and not declared:
            out.problems.append(f"{SIGNATURE}: missing: the scan was rescored at {rescored.get('at')} without "
                                f"--sign-key, so --pubkey vouches for its superseded seal only, not for "
                                f"this report.json")
        elif declared or pubkey:
            out.problems.append(f"{SIGNATURE}: missing (the manifest is "
                                f"{'declared signed' if declared else 'expected signed by --pubkey'})")
        return
    try:
        key = load_public_key(pubkey) if pubkey else Ed25519PublicKey.from_public_bytes(
            bytes.fromhex(str((declared or {}).get("public_key", ""))))
    except (SigningKeyError, ValueError, OSError) as exc:
        out.problems.append(f"{SIGNATURE}: no key to check it with ({exc})"[:300])
        return
    try:
        key.verify(sig_path.read_bytes(), data)
    except InvalidSignature:
        out.problems.append(f"{SIGNATURE}: the signature does not match {MANIFEST} "
                            f"({'--pubkey' if pubkey else 'the key the manifest names'})")
        return
    out.checked["signature"] = "valid (--pubkey)" if pubkey else "valid for the key the manifest names"
    if not pubkey:
        out.notes.append("signature checked against the key inside the manifest: pass --pubkey "
                         "to show it is the operator's key")


def _check_timestamp(out: Verification, data: bytes, tsa_ca) -> None:
    tsr = out.directory / TIMESTAMP
    if not tsr.exists():
        if tsa_ca:
            out.problems.append(f"{TIMESTAMP}: missing (--tsa-ca given)")
        return
    from cardshop_auditor.evidence.timestamp import TimestampError, check_token
    try:
        info = check_token(tsr.read_bytes(), hashlib.sha256(data).digest(), tsa_ca)
    except TimestampError as exc:
        out.problems.append(f"{TIMESTAMP}: {exc}"[:300])
        return
    out.checked["timestamp"] = info
    if not tsa_ca:
        out.notes.append("timestamp imprint checked, but not the TSA's certificate chain: pass --tsa-ca")


def _check_files(out: Verification, manifest: dict) -> None:
    listed = {}
    for entry in manifest["files"]:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            listed[entry["path"]] = entry
    root = out.directory.resolve()
    for rel, entry in listed.items():
        path = (out.directory / rel)
        if rel.startswith("/") or ".." in Path(rel).parts or not str(path.resolve()).startswith(str(root)):
            out.problems.append(f"{MANIFEST}: lists a path outside the scan directory: {rel!r}"[:300])
            continue
        if not path.exists() and not path.is_symlink():
            out.problems.append(f"{rel}: missing")
            continue
        now = file_entry(out.directory, rel)
        if now["sha256"] != entry.get("sha256"):
            out.problems.append(f"{rel}: sha256 {now['sha256']} does not match the manifest's {entry.get('sha256')}")
        elif now["bytes"] != entry.get("bytes"):
            out.problems.append(f"{rel}: {now['bytes']} bytes, the manifest says {entry.get('bytes')}")
    for rel in scan_files(out.directory):
        if rel not in listed and rel not in NOT_LISTED:
            out.problems.append(f"{rel}: not in the manifest (added after the scan)")
    out.checked["files"] = len(listed)


# --------------------------------------------------------------------------- the WARC


def _check_warc(out: Verification) -> None:
    from cardshop_auditor.evidence.warc import WarcArchive, warc_path
    try:
        report = json.loads((out.directory / "report.json").read_text("utf-8"))
    except (OSError, ValueError):
        out.problems.append("report.json: cannot be read as JSON")
        return
    path = warc_path(out.directory)
    if not path.exists():
        if isinstance(report.get("warc"), dict):
            out.problems.append(f"{path.relative_to(out.directory).as_posix()}: missing (report.json cites it)")
        return
    rel = path.relative_to(out.directory).as_posix()
    try:
        archive = WarcArchive(path)
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on a damaged file
        out.problems.append(f"{rel}: cannot be read ({type(exc).__name__}: {exc})"[:300])
        return
    pages = {}
    rehashed = 0
    for row in report.get("pages") or []:
        ref = row.get("warc") if isinstance(row, dict) else None
        if not isinstance(ref, dict):
            continue
        pages[ref.get("record_id")] = row
        if ref.get("record_type") != "response" or not row.get("sha256"):
            continue
        record = archive.by_id(ref.get("record_id"))
        if record is None:
            out.problems.append(f"{rel}: record {ref.get('record_id')} ({row.get('url')}) is not in the WARC")
            continue
        if record.redacted and "response-body" in record.redacted:
            continue                                 # a masked secret: the body cannot re-hash
        if _payload_sha256(archive, record.id) != row["sha256"]:
            out.problems.append(f"{rel}: record {record.id} ({record.target_uri}) does not re-hash to "
                                f"the page's sha256 in report.json")
        rehashed += 1
    _check_screenshots(out, report, archive, rel)
    read = _read_texts(out.directory)
    quotes = found = 0
    texts: dict[str, tuple[str, str]] = {}
    for node in _cited(report):
        ref = node["warc"]
        quote = _as_quote(node["candidates"], read.get(ref.get("target_uri")) or ())
        if quote is None:                            # our own wording (a summary), not a quote
            continue
        record = archive.by_id(ref.get("record_id"))
        if record is None:
            out.problems.append(f"{rel}: record {ref.get('record_id')} cited for {quote[:40]!r} is not in the WARC")
            continue
        quotes += 1
        if record.id not in texts:
            texts[record.id] = _flat(archive, record.id, (pages.get(record.id) or {}).get("encoding"))
        if _quoted_in(quote, texts[record.id]):
            found += 1
        else:
            out.problems.append(f"{rel}: record {record.id} ({record.target_uri}) does not hold the quoted "
                                f"sentence {quote[:60]!r}")
    out.checked["warc"] = {"records": len(archive.records), "pages_rehashed": rehashed,
                           "quotes": quotes, "quotes_found": found}


def _check_screenshots(out: Verification, report: dict, archive, rel: str) -> None:
    """Each screenshot file is the one report.json describes and the WARC recorded."""
    from cardshop_auditor.evidence.manifest import sha256_file
    root = out.directory.resolve()
    for item in report.get("evidence") or []:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        path = (out.directory / item["path"]).resolve()
        if root not in path.parents or not path.is_file():
            continue                                 # named by the file check (missing / outside)
        digest = sha256_file(path)
        if item.get("sha256") and digest != item["sha256"]:
            out.problems.append(f"{item['path']}: not the screenshot report.json describes (sha256 differs)")
        ref = item.get("warc") if isinstance(item.get("warc"), dict) else None
        if ref and archive.by_id(ref.get("record_id")) is None:
            out.problems.append(f"{rel}: record {ref.get('record_id')} of {item['path']} is not in the WARC")
        elif ref and _payload_sha256(archive, ref["record_id"]) != digest:
            out.problems.append(f"{item['path']}: not the screenshot the WARC recorded "
                                f"(record {ref['record_id']})")


def _read_texts(directory: Path) -> dict[str, list[str]]:
    """URL → the page texts the extractors read (artifacts/pages.jsonl, itself in the
    manifest), flattened: what tells a quote of the page from the report's own wording."""
    from cardshop_auditor.artifacts import read_pages
    texts: dict[str, list[str]] = {}
    path = directory / "artifacts" / "pages.jsonl"
    if not path.exists():
        return texts
    try:
        for page in read_pages(path):
            flat = _flatten(page.html or "")
            for url in {page.url, page.final_url} - {None, ""}:
                texts.setdefault(url, []).extend(flat)
    except (OSError, ValueError):
        return texts
    return texts


def _as_quote(candidates: list[str], page_texts) -> str | None:
    """The first candidate (or its value after a ``label: `` prefix) that the page the
    extractors read holds; None when the report's text is its own wording."""
    for text in candidates:
        forms = [text] + ([text.split(": ", 1)[1]] if ": " in text else [])
        for form in forms:
            if form.strip() and _quoted_in(form, page_texts):
                return form
    return None


def _payload_sha256(archive, record_id: str) -> str | None:
    try:
        return archive.payload_sha256(record_id)
    except Exception:  # noqa: BLE001 - a damaged record: it does not re-hash
        return None


def _cited(report: dict):
    """Every node of report.json that quotes a sentence and points at a WARC record."""
    stack = [(report.get("findings"), 0)]
    stack += [(c.get("evidence"), 0) for c in report.get("checks") or [] if isinstance(c, dict)]
    while stack:
        node, depth = stack.pop()
        if depth > 10:
            continue
        if isinstance(node, list):
            stack += [(item, depth + 1) for item in node]
        elif isinstance(node, dict):
            ref = node.get("warc")
            candidates = [node[k] for k in QUOTE_KEYS if isinstance(node.get(k), str) and node[k].strip()]
            if isinstance(ref, dict) and candidates:
                yield {"warc": ref, "candidates": candidates}
            stack += [(v, depth + 1) for k, v in node.items() if k != "warc" and isinstance(v, (dict, list))]


def _flat(archive, record_id: str, encoding: str | None) -> tuple[str, str]:
    """The recorded page as text without whitespace: raw markup, and tags removed with
    entities decoded (a quote may span an inline tag or hold an entity)."""
    try:
        body = archive.payload(record_id)
    except Exception:  # noqa: BLE001 - a damaged record holds no sentence
        return "", ""
    text = None
    for candidate in (encoding, "utf-8", "gb18030"):
        if not candidate:
            continue
        try:
            text = body.decode(candidate)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    if text is None:
        text = body.decode("utf-8", "replace")
    return _flatten(text)


def _flatten(text: str) -> tuple[str, str]:
    return _SPACE.sub("", text), _SPACE.sub("", html.unescape(_TAG.sub("", text)))


def _quoted_in(quote: str, flat: tuple[str, str]) -> bool:
    """Every part of the quote (an elided ``…`` splits it) is in the record's text."""
    parts = [p for p in (_SPACE.sub("", s) for s in _ELLIPSIS.split(html.unescape(quote))) if len(p) >= 2]
    if not parts:
        return True
    return all(any(part in text for text in flat) for part in parts)
