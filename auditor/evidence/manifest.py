"""The scan's manifest: what files the scan wrote, their sha256, and who vouches for it.

    manifest.json   sha256 and size of every file of the scan directory (report.json,
                    report.html, evidence/ with the WARC and screenshots, scan.wacz,
                    artifacts/), the tool version, the options used (secrets removed),
                    the target, the scan's start and end (UTC)
    manifest.sig    optional: the Ed25519 signature of manifest.json's bytes (``--sign-key``)
    manifest.tsr    optional: an RFC 3161 time-stamp response whose message imprint is the
                    sha256 of manifest.json (``--tsa URL``; auditor/evidence/timestamp.py)

The manifest hash (sha256 of manifest.json as written) is what the history database keeps,
what the PDF prints on every page, and what ``cardshop-audit verify`` checks everything
against.  report.pdf is rendered after the manifest (it prints its hash), so it is not
listed: it is a rendering of report.html, which is.
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from cardshop_auditor import __version__

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
TIMESTAMP = "manifest.tsr"
# Written after the manifest, or the manifest itself: never listed in it.
NOT_LISTED = (MANIFEST, SIGNATURE, TIMESTAMP, "report.pdf")
CHUNK = 1 << 20


class SigningKeyError(ValueError):
    """The --sign-key file is not an Ed25519 private key we can read."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan_files(out_dir: Path) -> list[str]:
    """Every regular file under ``out_dir`` (POSIX relative paths, sorted) but the
    manifest's own files and our temp files; a symlink is listed, never followed."""
    found = []
    for root, dirs, files in os.walk(out_dir):
        dirs.sort()
        for name in files:
            rel = Path(root, name).relative_to(out_dir).as_posix()
            if rel in NOT_LISTED or (name.startswith(".") and name.endswith(".tmp")):
                continue
            found.append(rel)
    return sorted(found)


def file_entry(out_dir: Path, rel: str) -> dict:
    path = out_dir / rel
    if path.is_symlink():
        return {"path": rel, "sha256": hashlib.sha256(os.readlink(path).encode("utf-8", "surrogateescape"))
                .hexdigest(), "bytes": 0, "symlink": True}
    return {"path": rel, "sha256": sha256_file(path), "bytes": path.stat().st_size}


def _options_json(options) -> dict:
    """The options as run, with every registered secret masked and the password dropped."""
    from cardshop_auditor.secrets import scrub_obj
    data = options.to_json() if hasattr(options, "to_json") else dict(options or {})
    for name in ("password", "sign_key"):    # the key's path says nothing; its bytes never leave
        data.pop(name, None)
    return scrub_obj(data)


def build_manifest(out_dir: Path, report: dict, options, started_at: str, finished_at: str | None = None,
                   public_key: str | None = None, extra: dict | None = None) -> dict:
    out_dir = Path(out_dir)
    manifest = {
        "schema_version": 1,
        "kind": "cardshop-auditor scan manifest",
        "tool": "cardshop-auditor", "tool_version": __version__,
        "target": report.get("target") if isinstance(report, dict) else None,
        "started_at": started_at, "finished_at": finished_at or utc_now(),
        "hash_algorithm": "sha256",
        "options": _options_json(options),
        "files": [file_entry(out_dir, rel) for rel in scan_files(out_dir)],
        **(extra or {}),             # a rescore's record (auditor/evidence/reseal.py)
    }
    if public_key:
        manifest["signature"] = {"algorithm": "Ed25519", "public_key": public_key, "file": SIGNATURE}
    return manifest


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- signing


def load_signing_key(path: str | Path):
    """An Ed25519 private key from a PEM / DER (PKCS#8, unencrypted or OpenSSH) file, or the
    raw 32-byte seed (binary, or 64 hex characters)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"--sign-key {path}: {exc.strerror or exc}") from None
    key = None
    stripped = data.strip()
    if len(data) == 32:
        key = Ed25519PrivateKey.from_private_bytes(data)
    elif len(stripped) == 64 and all(c in b"0123456789abcdefABCDEF" for c in stripped):
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stripped.decode("ascii")))
    else:
        loaders = (serialization.load_pem_private_key, serialization.load_der_private_key,
                   serialization.load_ssh_private_key)
        for loader in loaders:
            try:
                key = loader(data, password=None)
                break
            except (ValueError, TypeError, serialization.UnsupportedAlgorithm):
                continue
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"--sign-key {path}: not an unencrypted Ed25519 private key "
                              f"(PEM, DER, OpenSSH or the raw 32-byte seed)")
    return key


def public_key_hex(key) -> str:
    from cryptography.hazmat.primitives import serialization
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def load_public_key(path: str | Path):
    """An Ed25519 public key: PEM / DER SubjectPublicKeyInfo, OpenSSH, or raw (32 bytes / 64 hex)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    data = Path(path).read_bytes()
    stripped = data.strip()
    key = None
    if len(data) == 32:
        key = Ed25519PublicKey.from_public_bytes(data)
    elif len(stripped) == 64 and all(c in b"0123456789abcdefABCDEF" for c in stripped):
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(stripped.decode("ascii")))
    else:
        for loader in (serialization.load_pem_public_key, serialization.load_der_public_key,
                       serialization.load_ssh_public_key):
            try:
                key = loader(data)
                break
            except (ValueError, TypeError, serialization.UnsupportedAlgorithm):
                continue
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"--pubkey {path}: not an Ed25519 public key (PEM, DER, OpenSSH or raw)")
    return key


# --------------------------------------------------------------------------- writing


def write_atomic(path: Path, data: bytes) -> None:
    """Exactly these bytes (no scrubbing pass: the hash and signature are of them), via a
    temp file, fsync and rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_manifest(out_dir: Path, report: dict, options, started_at: str,
                   sign_key: str | None = None, tsa_url: str | None = None, log=None,
                   finished_at: str | None = None, extra: dict | None = None, tsa_networks=None) -> dict:
    """manifest.json (+ .sig, + .tsr) in ``out_dir``; returns ``{"sha256", "paths", ...}``.
    A TSA that cannot be reached is logged and leaves the manifest unstamped (the scan
    stands; verify then reports no timestamp); a bad key is raised (checked up front).
    ``tsa_networks``: where the TSA may be (default: the options' --allow-network)."""
    out_dir = Path(out_dir)
    for stale in (SIGNATURE, TIMESTAMP):             # from a previous scan in this directory
        (out_dir / stale).unlink(missing_ok=True)
    key = load_signing_key(sign_key) if sign_key else None
    manifest = build_manifest(out_dir, report, options, started_at, finished_at,
                              public_key=public_key_hex(key) if key else None, extra=extra)
    data = manifest_bytes(manifest)
    write_atomic(out_dir / MANIFEST, data)
    digest = hashlib.sha256(data).hexdigest()
    result = {"sha256": digest, "paths": {"manifest": out_dir / MANIFEST}, "signed": False, "timestamped": False}
    if key is not None:
        write_atomic(out_dir / SIGNATURE, key.sign(data))
        result["paths"]["signature"] = out_dir / SIGNATURE
        result["signed"] = True
    if tsa_url:
        from cardshop_auditor.evidence.timestamp import TimestampError, request_timestamp
        try:
            token = request_timestamp(tsa_url, data,
                                      allow_networks=tsa_networks if tsa_networks is not None
                                      else getattr(options, "allow_networks", ()) or ())
        except TimestampError as exc:
            if log:
                log(f"{manifest.get('target')}: no RFC 3161 timestamp: {exc}"[:300])
        else:
            write_atomic(out_dir / TIMESTAMP, token)
            result["paths"]["timestamp"] = out_dir / TIMESTAMP
            result["timestamped"] = True
    return result
