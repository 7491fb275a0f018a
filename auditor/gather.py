"""Gather: run the static crawl in a child process and hand back each shop's artifacts.

``crawl_static`` streams: ``on_shop_done(shop_id)`` is called as soon as the child
reports a shop finished, so judging overlaps crawling in batches.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable

from auditor.artifacts import ShopArtifacts, ShopMeta
from auditor.options import AuditOptions


def crawl_static(shops: Iterable[dict], options: AuditOptions,
                 on_shop_done: Callable[[str], None] | None = None,
                 log: Callable[[str], None] | None = None) -> dict[str, ShopArtifacts]:
    """shops: [{"id", "url", "out_dir"}].  Returns artifacts per shop id (also on disk)."""
    shops = list(shops)
    if not shops:
        return {}
    job = {"options": options.to_json(), "shops": shops}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(job, fh, ensure_ascii=False)
        job_path = fh.name
    done: set[str] = set()
    # Hard wall for the whole child: every shop's budget plus request timeouts, so a
    # server that drips bytes forever cannot hold the audit hostage.
    wall = options.shop_time_budget + 3 * options.timeout + 30 + 2 * len(shops)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    stderr_path = job_path + ".stderr"
    started = time.monotonic()
    try:
        with open(stderr_path, "w") as err:
            child = subprocess.Popen([sys.executable, "-m", "spiders.run", job_path],
                                     stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                                     cwd=_import_root())
            try:
                for line in child.stdout:
                    if line.startswith("DONE "):
                        shop_id = line[5:].strip()
                        done.add(shop_id)
                        if on_shop_done:
                            on_shop_done(shop_id)
                    if time.monotonic() - started > wall:
                        break
                child.wait(timeout=max(1, wall - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                pass
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
        failure = _tail(stderr_path) if child.returncode not in (0, None) else ""
    finally:
        for path in (job_path, stderr_path):
            try:
                os.unlink(path)
            except OSError:
                pass
    results: dict[str, ShopArtifacts] = {}
    for shop in shops:
        directory = Path(shop["out_dir"]) / "artifacts"
        if (directory / "meta.json").exists():
            results[shop["id"]] = ShopArtifacts.load(directory)
        else:   # the child died before finishing this shop: keep what it streamed
            meta = ShopMeta(target=shop["url"])
            reason = "crawler process ended before this shop finished"
            if failure:
                reason += f": {failure}"
            meta.errors.append(reason)
            partial = ShopArtifacts.load_partial(directory, meta)
            partial.save(directory)
            results[shop["id"]] = partial
            if on_shop_done and shop["id"] not in done:
                on_shop_done(shop["id"])
    return results


def _tail(path: str, lines: int = 3) -> str:
    try:
        text = Path(path).read_text("utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])[:400]


def _import_root() -> str:
    """Directory from which `python -m spiders.run` imports this installation."""
    import spiders
    return str(Path(spiders.__file__).resolve().parent.parent)
