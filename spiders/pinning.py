"""The crawler's name resolution, pinned, and its address check.

``PinnedTwistedResolver`` is installed on the reactor (``TWISTED_DNS_RESOLVER``): every
connection Scrapy opens (pages, redirects, robots.txt) asks it for addresses, and it
answers from ``auditor.netpolicy``'s per-process pins.  The address check
(``check_request``) resolves through the same pins before a request may be downloaded,
so the address that was checked is the address Twisted connects to.
"""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from twisted.internet import threads
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IHostnameResolver, IHostResolution
from zope.interface import implementer

from cardshop_auditor import netpolicy


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str):
        self.name = name

    def cancel(self) -> None:
        pass


@implementer(IHostnameResolver)
class PinnedTwistedResolver:
    def __init__(self, reactor, timeout: float = 10.0):
        self.reactor = reactor
        self.timeout = timeout

    @classmethod
    def from_crawler(cls, crawler, reactor):
        return cls(reactor, crawler.settings.getfloat("DNS_TIMEOUT") or 10.0)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None,  # noqa: N802, N803
                        transportSemantics="TCP"):  # noqa: N803 (Twisted's names)
        resolution = _Resolution(hostName)
        receiver.resolutionBegan(resolution)
        pins = netpolicy.resolver()

        def deliver(ips) -> None:
            for ip in ips:
                parsed = netpolicy.parse_ip(ip)
                if parsed is None:
                    continue
                if parsed.version == 4:
                    receiver.addressResolved(IPv4Address("TCP", str(parsed), portNumber))
                else:
                    receiver.addressResolved(IPv6Address("TCP", str(parsed), portNumber, 0, 0))
            receiver.resolutionComplete()

        known = pins.pinned(hostName) or _literal(hostName)
        if known is not None:
            deliver(known)
        else:
            d = threads.deferToThread(pins.resolve, hostName, self.timeout)
            d.addCallbacks(deliver, lambda _failure: receiver.resolutionComplete())
        return resolution


def _literal(host: str):
    ip = netpolicy.parse_ip(host)
    return (str(ip),) if ip is not None else None


async def resolve(host: str, timeout: float) -> tuple[str, ...]:
    """The host's pinned addresses (looked up in a thread the first time)."""
    from scrapy.utils.defer import maybe_deferred_to_future

    pins = netpolicy.resolver()
    known = pins.pinned(host) or _literal(host)
    if known is not None:
        return known
    from twisted.internet import defer, reactor
    lookup = threads.deferToThread(pins.resolve, host, timeout)
    lookup.addTimeout(timeout, reactor)        # getaddrinfo has no timeout of its own
    try:
        return await maybe_deferred_to_future(lookup)
    except netpolicy.DNSFailure as exc:
        raise DNSLookupError(str(exc)) from None
    except defer.TimeoutError:
        raise DNSLookupError(f"the host name {host} did not resolve within {timeout:g} s") from None


async def check_request(spider, shop, request, timeout: float) -> None:
    """Refuse (IgnoreRequest ``refused_address: …``) a request whose host resolves to an
    address the shop's policy does not allow.  Requests of no shop (robots.txt) may only
    go to a host:port a shop's request was allowed to reach."""
    hp = netpolicy.url_host_port(request.url)
    if hp is None:
        raise IgnoreRequest("refused_address: no host in the URL")
    host, port = hp
    approved = _approved(spider)
    if shop is None:
        if (host, port) not in approved:
            raise IgnoreRequest(f"refused_address: {host}:{port} (not a host of an audited shop)")
        return
    if shop.policy is None:
        start = netpolicy.url_host_port(shop.start_url)
        start_ips = await resolve(start[0], timeout) if start else ()
        shop.policy = netpolicy.NetPolicy.for_start(shop.start_url, start_ips,
                                                     getattr(spider.options, "allow_networks", ()))
    ips = await resolve(host, timeout)
    decision = shop.policy.check(port, ips)
    if decision:
        approved.add((host, port))
        shop.pins[host] = list(ips)
        return
    shop.refuse(request, host, port, decision)
    if request.meta.get("depth", 0) == 0 and request.meta.get("redirect_urls"):
        decision = netpolicy.Decision(False, decision.ip, f"{decision.reason}; the start page "
                                                          f"redirected to {request.url[:200]}")
    raise IgnoreRequest(netpolicy.refusal_text(host, port, decision))


def _approved(spider) -> set:
    approved = getattr(spider, "_approved_endpoints", None)
    if approved is None:
        approved = spider._approved_endpoints = set()
    return approved
