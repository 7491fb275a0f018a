"""``rescore`` re-seals the scan directory it rewrites.

A rescore writes report.json and report.html again from the saved artifacts; the crawl's
own files (evidence/ with the WARC and screenshots, artifacts/, scan.wacz) are left as
they are.  So that ``verify DIR`` still holds afterwards, and holds the rescore to account:

* the directory must verify before it is rescored (a file changed since the scan is never
  sealed anew): ``ResealRefused`` otherwise;
* the seal being replaced moves to ``superseded/<n>/``: its manifest.json, its signature
  and timestamp if it had them, and the report.json / report.html / report.pdf it sealed;
* a new manifest.json lists every file (``superseded/`` included) and records the rescore
  under ``"rescore"``: when, by which version, the superseded manifest's path and sha256,
  and which files were rewritten.  ``verify`` then checks that every file the superseded
  seal lists is unchanged but those (auditor/evidence/chain.py), and the superseded
  signature and timestamp against the superseded manifest's bytes;
* signing: ``rescore --sign-key`` signs the new manifest (``--tsa`` stamps it).  Without
  a key the new manifest is unsigned, and the original signature is not carried over nor
  claimed: it stays valid for the superseded manifest, which still vouches for the crawl's
  files and the original report; ``verify --pubkey`` fails on the unsigned rescore.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from cardshop_auditor import __version__
from cardshop_auditor.evidence.manifest import MANIFEST, SIGNATURE, TIMESTAMP, sha256_file, utc_now, write_manifest

SUPERSEDED = "superseded"
REWRITTEN = ("report.json", "report.html")          # what rescore writes again
KEPT_WITH_SEAL = (MANIFEST, SIGNATURE, TIMESTAMP, *REWRITTEN, "report.pdf")


class ResealRefused(ValueError):
    """The directory does not match its manifest: rescoring it would seal the change."""


def sealed(out_dir: Path) -> bool:
    return (Path(out_dir) / MANIFEST).is_file()


def check_before_rescore(out_dir: Path) -> dict:
    """The current manifest, once the directory verifies (files, signature against the key
    it names, timestamp imprint, WARC quotes); ``ResealRefused`` naming the first problems."""
    from cardshop_auditor.evidence.verify import verify_scan
    result = verify_scan(out_dir)
    if not result.ok:
        shown = "; ".join(result.problems[:3]) + (f" (and {len(result.problems) - 3} more)"
                                                   if len(result.problems) > 3 else "")
        raise ResealRefused(f"{out_dir} does not match its manifest, so it is not rescored "
                            f"(run `cardshop-audit verify {out_dir}`): {shown}"[:600])
    return json.loads((Path(out_dir) / MANIFEST).read_text("utf-8"))


def set_aside(out_dir: Path) -> dict:
    """Copy the current seal and the reports it sealed to ``superseded/<n>/``; the root's
    signature, timestamp and PDF (of the old manifest and report) are removed.  Returns
    the record the new manifest keeps under ``rescore.supersedes``."""
    out_dir = Path(out_dir)
    root = out_dir / SUPERSEDED
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise ResealRefused(f"{root}: not a directory of ours (a link or a file), so {out_dir} is not rescored")
    number = 1 + max((int(p.name) for p in root.iterdir() if p.name.isascii() and p.name.isdigit()),
                     default=0) if root.is_dir() else 1
    folder = root / str(number)
    folder.mkdir(parents=True)
    for name in KEPT_WITH_SEAL:
        source = out_dir / name
        if source.is_file() and not source.is_symlink():
            shutil.copy2(source, folder / name)
    for name in (SIGNATURE, TIMESTAMP, "report.pdf"):
        (out_dir / name).unlink(missing_ok=True)
    rel = f"{SUPERSEDED}/{number}"
    return {"manifest": f"{rel}/{MANIFEST}", "sha256": sha256_file(folder / MANIFEST),
            "rewritten": list(REWRITTEN), "kept": sorted(p.name for p in folder.iterdir()),
            "signed": (folder / SIGNATURE).is_file(), "timestamped": (folder / TIMESTAMP).is_file()}


def reseal(out_dir: Path, report: dict, previous: dict, supersedes: dict, options, log=None) -> dict:
    """The new manifest.json (+ signature with ``options.sign_key``, + timestamp with
    ``options.tsa_url``) over the rescored directory; returns write_manifest's result."""
    from cardshop_auditor.options import AuditOptions
    scanned = AuditOptions.from_json(previous.get("options") or {})
    record = {"rescore": {"at": utc_now(), "tool_version": __version__, "lang": getattr(options, "lang", None),
                          "signed": bool(options.sign_key), "supersedes": supersedes}}
    # the options of the scan (a rescore crawls nothing) and its own start and end
    networks = sorted({*(scanned.allow_networks or ()), *(getattr(options, "allow_networks", ()) or ())})
    return write_manifest(out_dir, report, scanned, started_at=str(previous.get("started_at") or utc_now()),
                          finished_at=previous.get("finished_at"), sign_key=options.sign_key,
                          tsa_url=options.tsa_url, log=log, extra=record, tsa_networks=networks)
