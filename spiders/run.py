"""Run the shop spider in this process: ``python -m spiders.run JOB.json``.

The parent (auditor.gather) starts this as a child process: Twisted's reactor cannot be
restarted in one process, and a hostile site that blows up memory only takes the child
with it.  Job file: {"options": {...}, "shops": [{"id", "url", "out_dir"}, ...]}.
"""
from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    job = json.loads(open(argv[0], encoding="utf-8").read())
    from scrapy.crawler import CrawlerProcess

    from auditor.options import AuditOptions
    from spiders.settings import crawl_settings
    from spiders.shop import ShopSpider

    options = AuditOptions.from_json(job.get("options", {}))
    process = CrawlerProcess(settings=crawl_settings(options, shops=len(job["shops"])),
                             install_root_handler=False)
    process.crawl(ShopSpider, shops=job["shops"], options=job.get("options", {}))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
