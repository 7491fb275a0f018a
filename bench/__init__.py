"""Benchmark harness: ``make bench`` = ``python -m bench``.

    bench.farm       a seeded synthetic farm of card shops (pages built in memory)
    bench.server     an asyncio HTTP server for the farm (one port per shop) + its capacity test
    bench.baseline   a plain Scrapy crawl of the same pages, no extraction (the speed limit)
    bench.pipeline   the static audit pipeline (cardshop_auditor.pipeline.audit_shops) in a child process
    bench.browser    the browser stage's refund-entry search on a sample of logged-in shops
    bench.procs      peak RSS / PSS of a process tree, CPU time of a process
    bench.judge      judging alone, CPU ms per page per stage (load, extract, judge, report…)
    bench.profile    py-spy runs and per-process summaries (self / inclusive time)
    bench.__main__   runs all of it, prints a table, writes bench/results.json

See bench/README.md for what each figure means and the figures measured on this machine.
"""
