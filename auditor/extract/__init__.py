"""Extractors: artifacts in, findings out.  Pure: no network, no clock.

``extract_findings(artifacts) -> dict`` returns the ``findings`` object of report.json.
The keys below the line ``--- contract`` are DESIGN.md's and must keep their names;
the rest are extra facts the checks need (report.json allows extra keys).

findings = {
  # --- contract (DESIGN.md) -------------------------------------------------------
  "icp": {"number": "京ICP备12345678号-1",   # normalised: half-width, no spaces
          "valid_format": True,              # matches the format and is not a placeholder
          "placeholder": False,              # 12345678 / XXXXXXXX / 00000000 style
          "source_url": "...", "in_footer": True,
          "raw": "京 ICP 备 １２３４５６７８ 号"} | None,
  "icp_license": {"number": "京ICP证070359号", "kind": "icp_license|b2|network_culture",
                  "source_url": "..."} | None,
  "psb_filing": {"number": "京公网安备11010502030143号", "region_code": "110105",
                 "consistent": True, "source_url": "...", "in_footer": True} | None,
  "business": {"uscc": "91440300708461136T" | None, "uscc_valid": True | False | None,
               "company_name": "深圳市某某科技有限公司" | None, "source_url": "..."} | None,
  "agreement": {"url": "...", "title": "用户服务协议",
                "reachable_from_home": True,          # linked from the start page (or its footer/nav)
                "pages": ["...", "..."],              # every page that contributed clauses
                "clauses": [{"kind": "refund_activated_fee", "text": "<verbatim sentence>",
                             "source_url": "...", "fee_percent": 10}]} | None,
  "refund_entry": {"found": False, "steps": [], "clicks": None, "url": None,
                   "requires_login": True, "screenshot": None,
                   "in_overflow_menu": False,         # the control sat inside 更多/… menu
                   "evaluated": False,                # False: could not look (login, no browser)
                   "method": "static|browser", "reason": "..."},
  "contacts": {"phones": [], "emails": [], "qq": [], "wechat": [], "address": None},
  # --- extra ------------------------------------------------------------------------
  "signals": {                                         # fly-by-night fingerprints, each with evidence
      "template": [{"id": "dujiaoka", "url": "...", "snippet": "Powered by：@独角数卡"}],
      "payment":  [{"id": "codepay", "url": "...", "snippet": "码支付"}],
      "anti_blocking": [{"id": "fanghong", "url": "...", "snippet": "..."}]},
  "site": {"start_url": "...", "final_url": "...", "https": False, "host": "...",
           "pages_fetched": 12, "pages_failed": 0, "login_required": True,
           "needs_browser": False,                      # start page looked like an app shell
           "gather_errors": ["..."]},
}
"""
from __future__ import annotations

from cardshop_auditor.extract.findings import extract_findings  # noqa: F401  (public entry point)
