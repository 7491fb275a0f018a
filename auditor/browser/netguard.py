"""The network side of one shop's browser context: which origins it may reach, at which
addresses, what was refused, and whether the shop's TLS certificate held.

Three layers, all answering with the same rule (``SessionNetwork.decide``):
  * the Playwright route (``route_pattern``, ``ShopSession._route``) aborts requests to anything but the
    shop's own origins at allowed addresses, before they leave the page;
  * ``GuardProxy`` (auditor/browser/proxy.py), this context's only way out: every TCP
    connection Chromium opens (navigations, subresources, fetch/XHR, form posts, popups,
    preconnects, WebSockets) is decided there on the address it will go to, resolved once
    and pinned (``auditor.netpolicy``);
  * WebRTC cannot send UDP around the proxy (launch flags + ``RTC_OFF_JS``).

The shop's policy and pinned addresses come from the static crawl (artifacts'
``meta.network``), so the browser connects to the addresses the crawler checked: a DNS
answer that changes between the crawl and the browser stage changes nothing.
"""
from __future__ import annotations

import re
import threading

from cardshop_auditor import netpolicy
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.netpolicy import NetPolicy, PinnedResolver
from cardshop_auditor.urls import site_key

DEFAULT_PORTS = netpolicy.DEFAULT_PORTS
PASSTHROUGH_SCHEMES = ("data", "blob", "about", "chrome-error", "chrome")
MAX_REFUSALS_KEPT = 50

# WebRTC gathers candidates over UDP straight from the renderer, around any proxy and
# request route: the constructors are removed in every frame (the launch flags
# --force-webrtc-ip-handling-policy=disable_non_proxied_udp keep UDP off even if a page
# finds a constructor elsewhere).
RTC_OFF_JS = source("rtc_off")

CERT_ERROR = re.compile(r"net::ERR_(?:CERT_[A-Z_]+|SSL_[A-Z_]+|BAD_SSL_CLIENT_AUTH_CERT|"
                        r"CERTIFICATE_[A-Z_]+)")


def route_pattern(allowed: set[tuple[str, int]]) -> "re.Pattern[str]":
    """A regex for the context route: every URL that is not *certainly* allowed (the shop's
    own hosts on the ports whose pinned addresses the policy allows, data:/blob:/about:).  Requests it does not
    match continue inside the Playwright driver, without a round trip to Python; the rest
    reach ``ShopSession._route``, which decides with ``allowed_url`` as always (so a URL
    this pattern over-matches costs a round trip, never a wrong decision).  Valid as a
    Python and as a JavaScript regex (the driver matches it)."""
    ports: dict[str, set[int]] = {}
    for host, port in allowed:
        ports.setdefault(host, set()).add(port)
    alts = [r"(?:data|blob|about|chrome-error|chrome):"]
    for host in sorted(ports):
        name = r"\[" + re.escape(host) + r"\]" if ":" in host else re.escape(host)
        for scheme, default in (("http", 80), ("https", 443)):
            listed = "|".join(str(p) for p in sorted(ports[host]))
            # no port in the URL: the scheme's default, only when that port is allowed
            bare = "?" if default in ports[host] else ""
            alts.append(rf"{scheme}://{name}(?::(?:{listed})){bare}(?:[/?#]|$)")
    return re.compile("^(?!" + "|".join(alts) + ")", re.IGNORECASE)


origin_key = netpolicy.url_host_port      # (host, port with the scheme's default)


def _netloc(host: str, port: int) -> str:
    return (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")


class SessionNetwork:
    """Scope + address policy + refusals + certificate status of one shop context."""

    def __init__(self, start_url: str, options, origins: set[tuple[str, int]],
                 network: dict | None = None):
        network = network or {}
        self.resolver = PinnedResolver()                      # this context's pins only
        for host, ips in (network.get("pins") or {}).items():
            if ips:
                self.resolver.seed(host, ips)
        allow = list(getattr(options, "allow_networks", None) or [])
        crawl_policy = network.get("policy") or {}
        if crawl_policy.get("start_ips"):
            # the crawl's view of the start address: the browser must not resolve it anew
            start_ips = crawl_policy["start_ips"]
        else:
            hp = netpolicy.url_host_port(start_url)
            try:
                start_ips = self.resolver.resolve(hp[0]) if hp else ()
            except netpolicy.DNSFailure:
                start_ips = ()
        self.policy = NetPolicy.for_start(start_url, start_ips, allow)
        self.origins = set(origins)
        self.refused: list[dict] = []
        self.refused_count = 0
        self._decisions: dict[tuple[str, int], tuple] = {}
        self._noted: set[tuple[str, int]] = set()
        self._sites = {site_key(f"http://{_netloc(h, p)}/") for h, p in self.origins}
        self._lock = threading.Lock()
        # TLS: None until an https page loaded; False once any certificate failed.
        self.certificate: dict | None = None

    # ---- decisions ----------------------------------------------------------------------
    def decide(self, host: str, port: int) -> tuple[str | None, str | None]:
        """(pinned address to connect to, None) when the context may reach host:port, else
        (None, why), the refusal noted once per host:port."""
        host = host.lower().strip("[]").rstrip(".")
        address, decision = self._judge(host, port)
        if address is not None:
            return address, None
        if decision is None:
            return None, "not one of the shop's own hosts"
        text = netpolicy.refusal_text(host, port, decision)
        with self._lock:
            if (host, port) in self._noted:
                return None, text
            self._noted.add((host, port))
            self.refused_count += 1
            if len(self.refused) < MAX_REFUSALS_KEPT:
                self.refused.append({"host": host, "port": port, "ip": decision.ip,
                                     "reason": decision.reason, "by": "browser"})
        return None, text

    def _judge(self, host: str, port: int):
        """(address, None) allowed; (None, Decision) refused for its address; (None, None)
        out of scope.  Out-of-scope names are not resolved (a shop must not make us look up
        names it chooses) unless they are on the shop's own site, so that the report can
        say where its subdomains point; IP literals are classified as they are."""
        key = (host, port)
        with self._lock:
            if key in self._decisions:
                return self._decisions[key]
        in_scope = key in self.origins
        literal = netpolicy.parse_ip(host)
        if in_scope or literal is not None or site_key(f"http://{_netloc(host, port)}/") in self._sites:
            try:
                ips = self.resolver.resolve(host)
                decision = self.policy.check(port, ips)
            except netpolicy.DNSFailure as exc:
                decision = netpolicy.Decision(False, "", str(exc))
            if in_scope:
                answer = (decision.ip, None) if decision else (None, decision)
            else:
                answer = (None, None if decision or not decision.ip else decision)
        else:
            answer = (None, None)
        with self._lock:
            self._decisions[key] = answer
        return answer

    def allowed_url(self, url: str) -> bool:
        scheme = url.split(":", 1)[0].lower()
        if scheme in PASSTHROUGH_SCHEMES:
            return True
        if scheme not in DEFAULT_PORTS:
            return False
        key = origin_key(url)
        return key is not None and self.decide(*key)[0] is not None

    def reachable_origins(self) -> set[tuple[str, int]]:
        """The shop's origins that the policy lets through (for the route's fast path)."""
        return {o for o in self.origins if self._judge(*o)[0] is not None}

    # ---- TLS ----------------------------------------------------------------------------
    @property
    def certificate_ok(self) -> bool:
        """False once any certificate of the shop failed verification in this context."""
        return not (self.certificate and self.certificate.get("ok") is False)

    def certificate_failed(self, url: str, error: str) -> None:
        if self.certificate is None or self.certificate.get("ok") is not False:
            self.certificate = {"ok": False, "url": url[:300], "error": error}

    def report(self) -> dict:
        from cardshop_auditor.browser import sandbox
        return {"policy": self.policy.to_json(), "refused": list(self.refused),
                "sandbox": sandbox.status(),
                "refused_count": self.refused_count, "certificate": self.certificate,
                "pins": {h: list(ips) for h, ips in sorted(self.resolver.pins().items())[:50]}}
