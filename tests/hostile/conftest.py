"""Hostile suite plumbing: one HostileServer for the session, and a table of wall time and
peak memory per case printed at the end of the run (pytest's terminal summary)."""
from __future__ import annotations

import pytest

from fixtures.hostile.server import HostileServer
from hostile_helpers import MEASURED


@pytest.fixture(scope="session")
def hostile_server():
    with HostileServer() as server:
        yield server


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not MEASURED:
        return
    tr = terminalreporter
    tr.section("hostile cases: wall time and peak memory (CLI + crawler child)")
    tr.write_line(f"{'case':28} {'exit':>4} {'status':9} {'wall s':>7} {'bound':>6} {'peak MB':>8}  reason")
    for name, m in sorted(MEASURED.items()):
        tr.write_line(f"{name:28} {m['rc']:>4} {m['status'] or '-':9} {m['wall']:7.1f} {m['bound']:6.0f} "
                      f"{m['rss']:8.0f}  {(m['reason'] or '')[:70]}")
    walls = [m["wall"] for m in MEASURED.values()]
    rss = [m["rss"] for m in MEASURED.values()]
    tr.write_line(f"{len(MEASURED)} cases; max wall {max(walls):.1f} s, max peak memory {max(rss):.0f} MB")
