"""Run the shop spider in this process: ``python -m spiders.run JOB.json``.

The parent (auditor.gather) starts this as a child process: Twisted's reactor cannot be
restarted in one process, and a hostile site that blows up memory only takes the child
with it.  Job file: {"options": {...}, "shops": [{"id", "url", "out_dir"}, ...],
"parent_pid": N, "deadline_seconds": S, "memory_limit": BYTES}.

Before anything else the child binds its life to the parent's (it gets SIGKILL when the
parent dies, Linux only), arms SIGALRM for its deadline (default action: terminate), and
caps its address space, so it can never outlive or outgrow the audit that started it.
"""
from __future__ import annotations

import json
import os
import signal
import sys


def _die_with_parent(parent_pid: int | None) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)          # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent_pid and os.getppid() != parent_pid:       # the parent died before prctl
        os._exit(1)


def _limit_memory(limit: int | None) -> None:
    if not limit:
        return
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


def main(argv: list[str]) -> int:
    job = json.loads(open(argv[0], encoding="utf-8").read())
    _die_with_parent(job.get("parent_pid"))
    if job.get("deadline_seconds") and hasattr(signal, "alarm"):
        signal.alarm(max(1, int(job["deadline_seconds"] + 0.999)))
    _limit_memory(job.get("memory_limit"))
    from scrapy.crawler import CrawlerProcess

    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.spiders.settings import crawl_settings
    from cardshop_auditor.spiders.shop import ShopSpider

    options = AuditOptions.from_json(job.get("options", {}))
    process = CrawlerProcess(settings=crawl_settings(options, shops=len(job["shops"])))
    process.crawl(ShopSpider, shops=job["shops"], options=job.get("options", {}))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
