"""Which network addresses an audit may connect to: the one place that decides.

A shop is untrusted: its redirects, links, scripts and forms must not steer the crawler or
the browser into the auditor's own networks (loopback services, the office LAN, a cloud
metadata endpoint).  So every connection is judged on the address it will really go to,
after name resolution:

* public (globally routable) addresses are allowed: *which* public hosts are in scope is
  decided elsewhere (the site key, the browser's host list), never widened here;
* every other address (loopback, RFC 1918, link-local, CGNAT, multicast, reserved,
  unspecified, IPv6 ULA / link-local / loopback, and IPv4 hidden in IPv6: mapped,
  NAT64, 6to4) is refused, except
    - the start URL's own address(es) on the start URL's own port: the user chose to
      audit that host (a shop on 127.0.0.1:8000 may reach 127.0.0.1:8000, not
      127.0.0.1:8001 nor 127.0.0.2), and
    - networks the user allows with ``--allow-network CIDR`` (any port);
* cloud metadata addresses are never allowed by the start exception, only by an explicit
  ``--allow-network``.

Names are resolved once per process and the answer is kept (``PinnedResolver``): the
address that was checked is the address that is connected to, so a DNS answer that
changes between the check and the connection (rebinding) changes nothing.

``CARDSHOP_HOST_RESOLVER_RULES`` (``MAP host ip, MAP host2 ip2``, Chromium's syntax) makes
the resolver answer ``ip`` for ``host`` without asking DNS: the tests use it to give a
shop a subdomain on 127.0.0.2.  The answer is then checked like any other.
"""
from __future__ import annotations

import ipaddress
import os
import socket
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

RULES_ENV = "CARDSHOP_HOST_RESOLVER_RULES"
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}

# (network, what it is).  The first match names the refusal; anything not global that no
# row names is refused as "reserved".
_RANGES = [(ipaddress.ip_network(net), label) for net, label in (
    ("0.0.0.0/8", "unspecified address"),
    ("10.0.0.0/8", "private network (RFC 1918)"),
    ("100.64.0.0/10", "carrier-grade NAT (100.64/10)"),
    ("127.0.0.0/8", "loopback address"),
    ("169.254.0.0/16", "link-local address"),
    ("172.16.0.0/12", "private network (RFC 1918)"),
    ("192.0.0.0/24", "reserved (IETF protocol assignments)"),
    ("192.0.2.0/24", "reserved (documentation)"),
    ("192.88.99.0/24", "reserved (6to4 relay)"),
    ("192.168.0.0/16", "private network (RFC 1918)"),
    ("198.18.0.0/15", "reserved (benchmarking)"),
    ("198.51.100.0/24", "reserved (documentation)"),
    ("203.0.113.0/24", "reserved (documentation)"),
    ("224.0.0.0/4", "multicast address"),
    ("240.0.0.0/4", "reserved (240/4, broadcast)"),
    ("::/128", "unspecified address"),
    ("::1/128", "loopback address"),
    ("::/96", "reserved (IPv4-compatible IPv6)"),
    ("64:ff9b:1::/48", "reserved (local-use NAT64)"),
    ("100::/64", "reserved (discard prefix)"),
    ("2001::/32", "reserved (Teredo tunnel)"),
    ("2001:db8::/32", "reserved (documentation)"),
    ("fc00::/7", "unique local address (IPv6 ULA)"),
    ("fe80::/10", "link-local address"),
    ("fec0::/10", "site-local address (deprecated)"),
    ("ff00::/8", "multicast address"),
)]

# Instance metadata services: a page that reaches one can read the machine's cloud
# credentials.  AWS / GCP / Azure / OpenStack, AWS ECS tasks, AWS IPv6, Alibaba Cloud,
# Tencent Cloud and Oracle use these.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.169.253", "fd00:ec2::254", "100.100.100.200",
    "169.254.0.23", "192.0.0.192"))

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_6TO4 = ipaddress.ip_network("2002::/16")


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped ::ffff:a.b.c.d, NAT64
    64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::), else None."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _6TO4:
        return ip.sixtofour
    return None


def parse_ip(text: str | IPAddress) -> IPAddress | None:
    if isinstance(text, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return text
    value = str(text or "").strip().strip("[]")
    value = value.split("%", 1)[0]          # fe80::1%eth0: the zone does not change the range
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def canonical(ip: IPAddress) -> IPAddress:
    """IPv4 hidden in IPv6 as the IPv4 address itself: ``::ffff:127.0.0.2`` is 127.0.0.2."""
    return embedded_ipv4(ip) or ip


def classify(ip: str | IPAddress) -> str | None:
    """What kind of non-public address ``ip`` is (the reason to refuse it), or None when
    it is a public address.  Unparsable text counts as refused."""
    parsed = parse_ip(ip)
    if parsed is None:
        return "not an IP address"
    parsed = canonical(parsed)
    if parsed in METADATA:
        return "cloud metadata address"
    for network, label in _RANGES:
        if parsed.version == network.version and parsed in network:
            return label
    if not parsed.is_global:
        return "reserved address"
    return None


def parse_networks(values) -> tuple:
    """``--allow-network`` values as networks; ValueError names the bad one."""
    out = []
    for value in values or ():
        try:
            out.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise ValueError(f"--allow-network {value!r} is not a network (e.g. 10.0.0.0/8, 127.0.0.2/32, fd00::/8)") from None
    return tuple(out)


def url_host_port(url: str) -> tuple[str, int] | None:
    """(lower-case host without brackets, port with the scheme's default), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower().rstrip("."), port


@dataclass(frozen=True)
class Decision:
    allowed: bool
    ip: str = ""
    reason: str = ""            # why refused, or on what ground allowed

    def __bool__(self) -> bool:
        return self.allowed


@dataclass
class NetPolicy:
    """The address rules of one shop's audit (see the module docstring)."""
    start_port: int = 0
    start_ips: frozenset = field(default_factory=frozenset)     # canonical addresses of the start host
    allowed_networks: tuple = ()

    @classmethod
    def for_start(cls, start_url: str, start_ips, allow_networks=()) -> "NetPolicy":
        hp = url_host_port(start_url)
        ips = frozenset(canonical(ip) for ip in (parse_ip(a) for a in start_ips or ()) if ip is not None)
        networks = allow_networks if all(not isinstance(n, str) for n in allow_networks or ()) \
            else parse_networks(allow_networks)
        return cls(start_port=hp[1] if hp else 0, start_ips=ips, allowed_networks=tuple(networks or ()))

    def check_ip(self, ip: str | IPAddress, port: int) -> Decision:
        parsed = parse_ip(ip)
        if parsed is None:
            return Decision(False, str(ip), "not an IP address")
        shown = str(parsed)
        for net in self.allowed_networks:
            for candidate in {parsed, canonical(parsed)}:
                if candidate.version == net.version and candidate in net:
                    return Decision(True, shown, f"allowed network {net}")
        kind = classify(parsed)
        if kind is None:
            return Decision(True, shown, "public address")
        plain = canonical(parsed)
        if plain in self.start_ips and kind != "cloud metadata address":
            if port == self.start_port:
                return Decision(True, shown, "the start URL's own address")
            return Decision(False, shown, f"{kind}: the start URL's own address, but port {port} "
                                          f"is not the start port {self.start_port}")
        return Decision(False, shown, kind)

    def check(self, port: int, ips) -> Decision:
        """Every address a name resolves to must be allowed (a connection may go to any
        of them); the first refusal is the answer."""
        ips = list(ips or ())
        if not ips:
            return Decision(False, "", "the host name does not resolve")
        first = None
        for ip in ips:
            decision = self.check_ip(ip, port)
            if not decision:
                return decision
            first = first or decision
        return first

    def to_json(self) -> dict:
        return {"start_port": self.start_port, "start_ips": sorted(str(ip) for ip in self.start_ips),
                "allowed_networks": [str(n) for n in self.allowed_networks]}


def refusal_text(host: str, port: int, decision: Decision) -> str:
    """``refused_address: …`` as the crawler and the browser report it."""
    where = f"{host}:{port}" if port else host
    at = f" → {decision.ip}" if decision.ip and decision.ip != host else ""
    return f"refused_address: {where}{at} ({decision.reason})"


# ---- resolution, pinned ---------------------------------------------------------------

def parse_rules(text: str | None) -> dict[str, tuple[str, ...]]:
    """``MAP host ip, MAP host ip2`` → {host: (ip, ip2)}; other rules are ignored."""
    out: dict[str, list[str]] = {}
    for rule in (text or "").split(","):
        words = rule.split()
        if len(words) == 3 and words[0].upper() == "MAP" and parse_ip(words[2]) is not None:
            out.setdefault(words[1].lower().rstrip("."), []).append(str(parse_ip(words[2])))
    return {host: tuple(ips) for host, ips in out.items()}


class DNSFailure(OSError):
    pass


class PinnedResolver:
    """Host name → addresses, resolved once per process and kept: every later question
    about the host gets the same answer (no rebinding).  Thread-safe; one lookup per name
    even when many ask at once."""

    def __init__(self, rules: str | None = None, lookup=None):
        self._rules = parse_rules(os.environ.get(RULES_ENV) if rules is None else rules)
        self._lookup = lookup or _getaddrinfo
        self._pins: dict[str, tuple[str, ...]] = {}
        self._failed: dict[str, str] = {}
        self._lock = threading.Lock()
        self._busy: dict[str, threading.Event] = {}

    def pinned(self, host: str) -> tuple[str, ...] | None:
        return self._pins.get(_host_key(host))

    def pins(self) -> dict[str, tuple[str, ...]]:
        with self._lock:
            return dict(self._pins)

    def seed(self, host: str, ips) -> tuple[str, ...]:
        """Pin ``host`` to ``ips`` unless it is pinned already (the first answer stays)."""
        key = _host_key(host)
        with self._lock:
            if key not in self._pins:
                self._pins[key] = tuple(str(ip) for ip in ips)
            return self._pins[key]

    def resolve(self, host: str, timeout: float = 10.0) -> tuple[str, ...]:
        """The pinned addresses of ``host`` (an IP literal is its own answer).  Raises
        DNSFailure when the name does not resolve."""
        key = _host_key(host)
        literal = parse_ip(key)
        if literal is not None:
            return (str(literal),)
        while True:
            with self._lock:
                if key in self._pins:
                    return self._pins[key]
                if key in self._failed:
                    raise DNSFailure(self._failed[key])
                wait = self._busy.get(key)
                if wait is None:
                    event = self._busy[key] = threading.Event()
                    break
            if not wait.wait(timeout):
                raise DNSFailure(f"the host name {key} did not resolve within {timeout:g} s")
        try:
            if key in self._rules:
                ips = self._rules[key]
            else:
                ips = self._lookup(key, timeout)
            with self._lock:
                if ips:
                    self._pins[key] = tuple(dict.fromkeys(ips))
                else:
                    self._failed[key] = f"the host name {key} does not resolve"
        except OSError as exc:
            with self._lock:
                self._failed[key] = f"the host name {key} does not resolve ({type(exc).__name__})"
        finally:
            with self._lock:
                self._busy.pop(key, None)
            event.set()
        return self.resolve(key, timeout)


def _host_key(host: str) -> str:
    return str(host or "").strip().strip("[]").lower().rstrip(".")


def _getaddrinfo(host: str, timeout: float) -> tuple[str, ...]:
    del timeout   # getaddrinfo has none: callers bound it (a thread, the request timeout)
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(parse_ip(info[4][0])) for info in infos if parse_ip(info[4][0])))


_RESOLVER: PinnedResolver | None = None
_RESOLVER_LOCK = threading.Lock()


def resolver() -> PinnedResolver:
    """The process's resolver (the crawler child and the browser stage each have one)."""
    global _RESOLVER
    with _RESOLVER_LOCK:
        if _RESOLVER is None:
            _RESOLVER = PinnedResolver()
        return _RESOLVER


def reset_resolver() -> None:
    """Forget every pin (tests; a long-lived worker between batches)."""
    global _RESOLVER
    with _RESOLVER_LOCK:
        _RESOLVER = None
