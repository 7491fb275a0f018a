"""Gather: run the static crawl in a child process and hand back each shop's artifacts.

``crawl_static`` streams: ``on_shop_done(shop_id)`` is called as soon as the child
reports a shop finished, so judging overlaps crawling in batches.

The child (``python -m cardshop_auditor.spiders.run``) is bounded three ways, so no site can hold an
audit hostage or take the parent down with it:

* a hard wall-clock limit (``hard_wall``): the parent kills the child when it is past it,
  and the child arms its own alarm for the same moment plus a grace period;
* the child dies with its parent (Linux ``PR_SET_PDEATHSIG``): a killed scan leaves no
  orphan crawler behind;
* an address-space limit (``crawler_memory_limit``), so a runaway page cannot exhaust
  the machine: the child dies, the parent keeps what it had streamed.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from cardshop_auditor.artifacts import ShopArtifacts, ShopMeta
from cardshop_auditor.options import AuditOptions

CHILD_GRACE = 5.0     # the child's own alarm fires this long after the parent's wall


def hard_wall(options: AuditOptions, shops: int) -> float:
    """Seconds the whole crawl may take: every shop's budget plus request timeouts (a
    request in flight when the budget ends may run one more timeout; robots.txt one too),
    start-up, and a little per shop for large batches.  With ``shops_in_flight`` the shops
    are crawled in that many lanes, one after another in each."""
    from cardshop_auditor.spiders.settings import shops_in_flight

    window = shops_in_flight(options, shops)
    rounds = -(-shops // window) if shops > window else 1
    return rounds * (options.shop_time_budget + 3 * options.timeout) + 30 + 2 * shops


def memory_cap(options: AuditOptions, shops: int) -> int:
    """Address-space cap of the crawler child: ``crawler_memory_limit``, raised for big
    batches so that every request in flight may hold a full page and its decompressed
    body twice over (raw bytes + decoded text) without hitting it.  0: no cap."""
    if not options.crawler_memory_limit:
        return 0
    from cardshop_auditor.spiders.settings import concurrent_requests
    in_flight = concurrent_requests(options, shops)
    per_request = 2 * (options.max_page_bytes + options.max_decompressed_bytes)
    return max(options.crawler_memory_limit, (1 << 30) + in_flight * per_request)


def crawl_static(shops: Iterable[dict], options: AuditOptions,
                 on_shop_done: Callable[[str], None] | None = None,
                 log: Callable[[str], None] | None = None,
                 return_artifacts: bool = True,
                 while_starting: Callable[[], None] | None = None) -> dict[str, ShopArtifacts]:
    """shops: [{"id", "url", "out_dir"}].  Returns artifacts per shop id (also on disk).

    ``return_artifacts=False`` (callers that stream through ``on_shop_done``) returns {}:
    loading every shop's pages back at the end held all of a batch's HTML in memory at
    once (770 MB at 1,000 shops, bench/README.md).  ``while_starting`` runs once the
    child is started, while it imports Scrapy (the parent loads its own modules then)."""
    shops = list(shops)
    if not shops:
        return {}
    for shop in shops:   # a re-run must never pick up the previous run's artifacts
        _clear_artifacts(Path(shop["out_dir"]) / "artifacts")
    wall = hard_wall(options, len(shops))
    job = {"options": {**options.to_json(), "username": None},     # the crawler logs in nowhere
           "shops": shops, "parent_pid": os.getpid(),
           "deadline_seconds": wall + CHILD_GRACE,
           "memory_limit": memory_cap(options, len(shops))}
    job_path = _write_job(job)
    done: set[str] = set()
    env = _child_env()
    stderr_path = job_path + ".stderr"
    started = time.monotonic()
    timed_out = False
    child = None
    try:
        with open(stderr_path, "w") as err:
            # -P: the user's directory is not on the child's sys.path (a ``spiders`` of
            # theirs is never imported); this installation is, through PYTHONPATH.  The child
            # runs in the user's directory, never in the install root: every path it is given
            # is absolute, and nothing may ever land inside the installed package.
            child = subprocess.Popen([sys.executable, "-P", "-m", "cardshop_auditor.spiders.run", job_path],
                                     stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                                     cwd=_child_cwd(), errors="replace")
            lines = _pump(child.stdout)
            if while_starting:
                while_starting()
            try:
                while True:
                    left = wall - (time.monotonic() - started)
                    try:
                        # Past the wall, only what the child already wrote is read (judging a
                        # shop in on_shop_done may have taken the parent past it).
                        line = lines.get(timeout=min(left, 1.0)) if left > 0 else lines.get_nowait()
                    except queue.Empty:
                        if left <= 0:
                            timed_out = child.poll() is None
                            break
                        continue
                    if line is None:        # the child closed stdout: it is exiting
                        break
                    if line.startswith("DONE "):
                        shop_id = line[5:].strip()
                        done.add(shop_id)
                        if on_shop_done:
                            on_shop_done(shop_id)
                try:
                    child.wait(timeout=max(1.0, wall - (time.monotonic() - started)))
                except subprocess.TimeoutExpired:
                    timed_out = True
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
        if timed_out:
            failure = f"crawler stopped at its hard time limit ({wall:g} s)"
        elif child.returncode not in (0, None):
            failure = _describe_exit(child.returncode, _tail(stderr_path))
        else:
            failure = ""
    finally:
        for path in (job_path, stderr_path):
            try:
                os.unlink(path)
            except OSError:
                pass
    if failure and log:
        log(f"static crawl: {failure}")
    results: dict[str, ShopArtifacts] = {}
    for shop in shops:
        directory = Path(shop["out_dir"]) / "artifacts"
        if (directory / "meta.json").exists():
            if return_artifacts:
                results[shop["id"]] = ShopArtifacts.load(directory)
        else:   # the child died before finishing this shop: keep what it streamed
            meta = ShopMeta(target=shop["url"])
            reason = "crawler process ended before this shop finished"
            if failure:
                reason += f": {failure}"
            meta.errors.append(reason)
            partial = ShopArtifacts.load_partial(directory, meta)
            partial.save(directory)
            if return_artifacts:
                results[shop["id"]] = partial
            if on_shop_done and shop["id"] not in done:
                on_shop_done(shop["id"])
    return results


def _write_job(job: dict) -> str:
    """The child's job file (private: mkstemp is 0600), removed again if it cannot be
    written whole (disk full)."""
    fd, path = tempfile.mkstemp(prefix="cardshop-job-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(job, fh, ensure_ascii=False)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _pump(stream) -> "queue.Queue[str | None]":
    """Read the child's stdout in a thread, so the parent's clock keeps running while the
    child is silent (a blocking readline would wait for a hung child forever)."""
    lines: queue.Queue = queue.Queue()

    def run() -> None:
        try:
            for line in stream:
                lines.put(line)
        except (OSError, ValueError):
            pass
        finally:
            lines.put(None)
    threading.Thread(target=run, name="crawler-stdout", daemon=True).start()
    return lines


def _clear_artifacts(directory: Path) -> None:
    from cardshop_auditor.evidence.warc import warc_path
    for path in (directory / "meta.json", directory / "pages.jsonl", warc_path(directory.parent)):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def _describe_exit(code: int, tail: str) -> str:
    if code < 0:
        import signal
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        what = {"SIGKILL": "killed (out of memory, or its hard time limit)",
                "SIGALRM": "stopped at its hard time limit"}.get(name, f"killed by {name}")
        return f"crawler process {what}" + (f": {tail}" if tail else "")
    if "MemoryError" in tail:
        return "crawler process ran out of memory (crawler_memory_limit)"
    return f"crawler process exited with code {code}" + (f": {tail}" if tail else "")


def _tail(path: str, lines: int = 3) -> str:
    try:
        text = Path(path).read_text("utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])[:400]


def _import_root() -> str:
    """Directory from which the crawl child imports this installation (the one holding
    cardshop_auditor; an editable install finds it through its own import hook)."""
    import cardshop_auditor
    return str(Path(cardshop_auditor.__file__).resolve().parent.parent)


def _child_env() -> dict[str, str]:
    from cardshop_auditor.secrets import child_env
    env = dict(child_env(), PYTHONUNBUFFERED="1")     # the crawler needs no password variable
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_import_root(), os.environ.get("PYTHONPATH")) if p)
    return env


def _child_cwd() -> str:
    try:
        return os.getcwd()
    except OSError:          # the user's directory was removed under us
        return tempfile.gettempdir()
