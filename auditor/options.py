"""Every limit and switch of an audit, with its default, in one place."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass
class AuditOptions:
    # crawl limits
    max_pages: int = 40                 # pages per shop
    max_depth: int = 3                  # link depth from the start page
    max_page_bytes: int = 2_000_000     # per response, streamed and cut off
    max_decompressed_bytes: int = 8_000_000   # gzip/brotli bombs
    max_redirects: int = 5
    max_links_per_page: int = 200       # fan-out (crawler traps)
    max_pages_per_pattern: int = 10     # pages sharing one URL shape (/cal?d=N, /p/N.html): traps
    timeout: float = 15.0               # seconds per request (connect + read)
    shop_time_budget: float = 60.0      # seconds for the whole static crawl of one shop
    retry_after_max: float = 5.0        # honour Retry-After up to this many seconds
    obey_robots: bool = True
    warc: bool = True                   # archive every exchange in evidence/scan.warc.gz (auditor/evidence)
    wacz: bool = False                  # also package the scan as scan.wacz (replay in pywb / ReplayWeb.page)
    manifest: bool = True               # manifest.json: sha256 of every file of the scan (auditor/evidence/manifest.py)
    sign_key: str | None = None         # Ed25519 private key file: sign the manifest (the key never leaves the process)
    tsa_url: str | None = None          # RFC 3161 TSA to timestamp the manifest (none contacted unless given)
    pdf: bool = False                   # also write report.pdf (Chromium's print, A4, manifest hash on every page)
    concurrency_per_shop: int = 4
    shops_in_flight: int = 0            # shops crawled at once by one crawler (0: what the request
                                        # concurrency serves, 64); the rest start as others finish
    crawler_memory_limit: int = 2 << 30   # address-space cap of the crawler child (bytes; 0: none)
    user_agent: str = "cardshop-auditor/0.1 (+compliance audit; contact via report)"
    # networks (CIDR) the audit may reach besides public addresses and the start URL's own
    # address:port (auditor/netpolicy.py); e.g. ["10.0.0.0/8"] for an intranet shop
    allow_networks: list = field(default_factory=list)
    # browser stage
    browser: str = "auto"               # auto | always | never
    browser_path: str | None = None     # explicit Chromium binary
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    storage_state: str | None = None
    order_no: str | None = None
    insecure_login: bool = False        # type credentials into pages whose TLS certificate failed
    browser_time_budget: float = 45.0
    click_budget: int = 12
    # offline lookups
    icp_registry: str | None = None     # local CSV of ICP records, never an online query
    lang: str = "zh"

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data.pop("password", None)      # never written to disk
        data.pop("sign_key", None)      # the operator's key file: not part of what was audited
        return data

    @classmethod
    def from_json(cls, data: dict) -> "AuditOptions":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
