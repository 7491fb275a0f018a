"""``verify`` over a rescored scan: the seals a rescore superseded (auditor/evidence/reseal.py).

The newest manifest.json lists every file, ``superseded/<n>/`` included, and the plain file
check holds it to the disk.  Walking back from it, each superseded seal must be:

* the very manifest the newer one names (its sha256);
* still true of the scan's files: every file it lists is, by the newest manifest's hashes,
  unchanged, apart from the reports the rescore rewrote, whose sealed copies in its
  ``superseded/<n>/`` folder must match;
* with its own signature and timestamp, if it had them, over its own bytes.

So a rescore can only have replaced report.json and report.html; the crawl's files (WARC,
screenshots, artifacts) are the ones the original scan sealed, and its signature says so.
"""
from __future__ import annotations

import hashlib
import json
import re

from cardshop_auditor.evidence.manifest import MANIFEST, SIGNATURE, TIMESTAMP

MAX_SEALS = 50
_SEAL_PATH = re.compile(r"superseded/([1-9][0-9]{0,5})/manifest\.json")


def check_superseded(out, manifest: dict, pubkey=None, tsa_ca=None) -> list[str]:
    """Problems go to ``out.problems``, what held to ``out.checked["superseded"]`` and a note;
    returns the sha256 of every superseded manifest, newest first."""
    listed = {e["path"]: e for e in manifest.get("files") or []
              if isinstance(e, dict) and isinstance(e.get("path"), str)}
    hashes: list[str] = []
    seals: list[dict] = []
    current = manifest
    while isinstance(current.get("rescore"), dict) and len(hashes) < MAX_SEALS:
        rescore = current["rescore"]
        supersedes = rescore.get("supersedes") if isinstance(rescore.get("supersedes"), dict) else {}
        rel = supersedes.get("manifest")
        match = _SEAL_PATH.fullmatch(rel) if isinstance(rel, str) else None
        if match is None:
            out.problems.append(f"{MANIFEST}: names no superseded seal of ours ({str(rel)[:80]!r})")
            break
        folder = rel.rsplit("/", 1)[0]
        if any(p.is_symlink() for p in (out.directory / "superseded", out.directory / folder, out.directory / rel)):
            out.problems.append(f"{rel}: a symbolic link, not the superseded seal")
            break
        try:
            data = (out.directory / rel).read_bytes()
            older = json.loads(data.decode("utf-8"))
            if not isinstance(older, dict) or not isinstance(older.get("files"), list):
                raise ValueError("no file list")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            out.problems.append(f"{rel}: cannot be read as a manifest ({getattr(exc, 'strerror', None) or exc})"[:300])
            break
        digest = hashlib.sha256(data).hexdigest()
        if digest != supersedes.get("sha256"):
            out.problems.append(f"{rel}: sha256 {digest} is not the superseded seal's "
                                f"{supersedes.get('sha256')} (replaced after the rescore)")
        rewritten = {p for p in supersedes.get("rewritten") or [] if isinstance(p, str)}
        changed = _changed_since(out, older, listed, folder, rewritten, rel)
        seal = {"manifest": rel, "sha256": digest, "rescored_at": rescore.get("at"),
                "files_unchanged": not changed,
                "signature": _signature(out, folder, older, data, pubkey),
                "timestamp": _timestamp(out, folder, data, tsa_ca)}
        seals.append(seal)
        hashes.append(digest)
        current = older
    if seals:
        out.checked["superseded"] = seals
        newest = seals[0]
        out.notes.append(f"rescored at {newest['rescored_at']}: report.json and report.html rewritten; "
                         f"the scan's seal before it is {newest['manifest']} (signature: {newest['signature']})")
    return hashes


def _changed_since(out, older: dict, listed: dict, folder: str, rewritten: set, rel: str) -> bool:
    changed = False
    for entry in older["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        path = entry["path"]
        now_path = f"{folder}/{path}" if path in rewritten else path
        now = listed.get(now_path)
        if now is None:
            out.problems.append(f"{now_path}: sealed by {rel} but no longer in {MANIFEST}"[:300])
            changed = True
        elif now.get("sha256") != entry.get("sha256"):
            out.problems.append(f"{now_path}: changed since {rel} sealed it (sha256 {now.get('sha256')}, "
                                f"sealed {entry.get('sha256')})"[:300])
            changed = True
    return changed


def _signature(out, folder: str, older: dict, data: bytes, pubkey) -> str:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cardshop_auditor.evidence.manifest import SigningKeyError, load_public_key
    sig = out.directory / folder / SIGNATURE
    declared = older.get("signature") if isinstance(older.get("signature"), dict) else None
    if not sig.is_file():
        if declared:
            out.problems.append(f"{folder}/{SIGNATURE}: missing (its manifest is declared signed)")
            return "missing"
        return "none"
    try:
        key = load_public_key(pubkey) if pubkey else Ed25519PublicKey.from_public_bytes(
            bytes.fromhex(str((declared or {}).get("public_key", ""))))
        key.verify(sig.read_bytes(), data)
    except (SigningKeyError, ValueError, OSError) as exc:
        out.problems.append(f"{folder}/{SIGNATURE}: no key to check it with ({exc})"[:300])
        return "unchecked"
    except InvalidSignature:
        out.problems.append(f"{folder}/{SIGNATURE}: the signature does not match {folder}/{MANIFEST}")
        return "invalid"
    return "valid (--pubkey)" if pubkey else "valid for the key the manifest names"


def _timestamp(out, folder: str, data: bytes, tsa_ca) -> str:
    tsr = out.directory / folder / TIMESTAMP
    if not tsr.is_file():
        return "none"
    from cardshop_auditor.evidence.timestamp import TimestampError, check_token
    try:
        info = check_token(tsr.read_bytes(), hashlib.sha256(data).digest(), tsa_ca)
    except TimestampError as exc:
        out.problems.append(f"{folder}/{TIMESTAMP}: {exc}"[:300])
        return "invalid"
    return str(info.get("time") or "valid")
