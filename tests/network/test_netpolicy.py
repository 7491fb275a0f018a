"""The network policy and the site key as pure functions: no traffic at all."""
from __future__ import annotations

import threading

import pytest

from cardshop_auditor import netpolicy
from cardshop_auditor.netpolicy import NetPolicy, PinnedResolver, classify, parse_networks
from cardshop_auditor.urls import site_key

REFUSED = [
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"), ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"), ("10.255.255.255", "private"), ("172.16.0.1", "private"),
    ("172.31.255.255", "private"), ("192.168.1.1", "private"),
    ("169.254.1.1", "link-local"), ("169.254.169.254", "metadata"), ("169.254.170.2", "metadata"),
    ("100.100.100.200", "metadata"), ("100.64.0.1", "carrier-grade"), ("100.127.255.255", "carrier-grade"),
    ("0.0.0.0", "unspecified"), ("0.1.2.3", "unspecified"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("192.0.2.10", "documentation"), ("198.51.100.1", "documentation"), ("203.0.113.9", "documentation"),
    ("198.18.0.1", "benchmarking"), ("192.0.0.8", "IETF"),
    ("::1", "loopback"), ("::", "unspecified"), ("fc00::1", "ULA"), ("fd12:3456::1", "ULA"),
    ("fe80::1", "link-local"), ("fe80::1%eth0", "link-local"), ("fec0::1", "site-local"),
    ("ff02::1", "multicast"), ("fd00:ec2::254", "metadata"), ("2001:db8::1", "documentation"),
    ("::ffff:127.0.0.2", "loopback"), ("::ffff:10.1.2.3", "private"), ("::ffff:169.254.169.254", "metadata"),
    ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::a9fe:a9fe", "metadata"), ("2002:7f00:1::", "loopback"),
    ("2002:c0a8:101::1", "private"), ("::127.0.0.1", "IPv4-compatible"), ("2001::1", "Teredo"),
    ("64:ff9b:1::1", "NAT64"), ("100::1", "discard"), ("[::1]", "loopback"),
]

PUBLIC = ["8.8.8.8", "1.1.1.1", "114.114.114.114", "223.5.5.5", "2400:3200::1", "2606:4700::1111",
          "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("ip,word", REFUSED)
def test_every_non_public_range_is_refused(ip, word):
    kind = classify(ip)
    assert kind is not None, ip
    assert word.lower() in kind.lower(), (ip, kind)
    assert not NetPolicy().check_ip(ip, 80)


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_are_allowed(ip):
    assert classify(ip) is None
    decision = NetPolicy().check_ip(ip, 443)
    assert decision and decision.reason == "public address"


def test_garbage_is_refused():
    assert classify("not-an-ip") == "not an IP address"
    assert not NetPolicy().check_ip("300.1.1.1", 80)


def test_start_address_is_allowed_on_its_own_port_only():
    policy = NetPolicy.for_start("http://127.0.0.1:8000/", ["127.0.0.1"])
    assert policy.check_ip("127.0.0.1", 8000)
    assert policy.check_ip("::ffff:127.0.0.1", 8000)        # the same address, mapped
    refused = policy.check_ip("127.0.0.1", 8001)
    assert not refused and "start port" in refused.reason
    assert not policy.check_ip("127.0.0.2", 8000)
    assert not policy.check_ip("::1", 8000)
    assert not policy.check_ip("10.0.0.1", 8000)


def test_start_default_ports():
    https = NetPolicy.for_start("https://shop.lan/", ["10.1.2.3"])
    assert https.check_ip("10.1.2.3", 443) and not https.check_ip("10.1.2.3", 80)
    assert not https.check_ip("10.1.2.4", 443)


def test_start_on_metadata_needs_an_explicit_allow():
    policy = NetPolicy.for_start("http://evil.example/", ["169.254.169.254"])
    assert not policy.check_ip("169.254.169.254", 80)
    allowed = NetPolicy.for_start("http://evil.example/", ["169.254.169.254"], ["169.254.169.254/32"])
    assert allowed.check_ip("169.254.169.254", 80)


def test_allowed_networks_any_port_and_mapped_forms():
    policy = NetPolicy.for_start("http://127.0.0.1:8000/", ["127.0.0.1"], ["10.0.0.0/8", "127.0.0.0/8"])
    assert policy.check_ip("10.9.8.7", 1234).reason == "allowed network 10.0.0.0/8"
    assert policy.check_ip("127.0.0.2", 9) and policy.check_ip("::ffff:10.0.0.1", 80)
    assert not policy.check_ip("192.168.0.1", 80)
    assert not policy.check_ip("::1", 8000)            # IPv6 loopback is not in 127/8


def test_every_address_of_a_name_must_be_allowed():
    policy = NetPolicy.for_start("http://shop.example/", ["8.8.4.4"])
    assert policy.check(80, ["8.8.8.8", "1.1.1.1"])
    decision = policy.check(80, ["8.8.8.8", "127.0.0.2"])
    assert not decision and decision.ip == "127.0.0.2"
    assert not policy.check(80, [])


def test_parse_networks_rejects_nonsense():
    assert [str(n) for n in parse_networks(["10.0.0.0/8", "127.0.0.2", "fd00::/8"])] == \
        ["10.0.0.0/8", "127.0.0.2/32", "fd00::/8"]
    with pytest.raises(ValueError, match="not a network"):
        parse_networks(["intranet"])


def test_refusal_text_names_host_address_and_reason():
    decision = NetPolicy().check_ip("127.0.0.2", 80)
    text = netpolicy.refusal_text("cdn.example.com", 80, decision)
    assert text.startswith("refused_address: cdn.example.com:80 → 127.0.0.2 (loopback address")


# ---- pinned resolution -------------------------------------------------------------

def test_resolver_pins_the_first_answer():
    answers = iter([("8.8.8.8",), ("127.0.0.2",)])        # a rebinding DNS server
    calls = []

    def lookup(host, timeout):
        calls.append(host)
        return next(answers)
    pins = PinnedResolver(rules="", lookup=lookup)
    assert pins.resolve("rebind.example") == ("8.8.8.8",)
    assert pins.resolve("REBIND.example.") == ("8.8.8.8",)  # same name, same pin
    assert calls == ["rebind.example"]


def test_resolver_one_lookup_for_concurrent_askers():
    started = threading.Event()
    release = threading.Event()
    calls = []

    def lookup(host, timeout):
        calls.append(host)
        started.set()
        release.wait(5)
        return ("8.8.8.8",)
    pins = PinnedResolver(rules="", lookup=lookup)
    results = []
    threads = [threading.Thread(target=lambda: results.append(pins.resolve("a.example"))) for _ in range(5)]
    for t in threads:
        t.start()
    started.wait(5)
    release.set()
    for t in threads:
        t.join(5)
    assert calls == ["a.example"] and results == [("8.8.8.8",)] * 5


def test_resolver_rules_and_literals_never_ask_dns():
    def lookup(host, timeout):
        raise AssertionError(f"DNS asked for {host}")
    pins = PinnedResolver(rules="MAP shop.example.com 127.0.0.1, MAP cdn.example.com 127.0.0.2, EXCLUDE x",
                          lookup=lookup)
    assert pins.resolve("shop.example.com") == ("127.0.0.1",)
    assert pins.resolve("cdn.example.com") == ("127.0.0.2",)
    assert pins.resolve("[::1]") == ("::1",)
    assert pins.resolve("10.0.0.1") == ("10.0.0.1",)


def test_resolver_failure_is_dns_failure():
    def lookup(host, timeout):
        raise OSError("nxdomain")
    with pytest.raises(netpolicy.DNSFailure):
        PinnedResolver(rules="", lookup=lookup).resolve("nowhere.example")


# ---- site key ---------------------------------------------------------------------

def test_site_key_uses_the_private_psl_section():
    assert site_key("https://a.github.io/") != site_key("https://b.github.io/")
    assert site_key("http://shop1.cn.com/") != site_key("http://shop2.cn.com/")
    assert site_key("http://www.shop.com.cn/") == site_key("http://m.shop.com.cn/x")
    assert site_key("http://a.example.com/") == site_key("http://cdn.example.com/")


def test_site_key_includes_the_port():
    assert site_key("http://shop.cn:8080/") != site_key("http://shop.cn:9090/")
    assert site_key("http://shop.cn/") == site_key("https://shop.cn/") == site_key("http://shop.cn:80/")
    assert site_key("http://127.0.0.1:8000/") != site_key("http://127.0.0.1:8001/")
    assert site_key("http://127.0.0.1:8000/") != site_key("http://127.0.0.2:8000/")
    assert site_key("http://localhost:8000/") != site_key("http://localhost:9000/")


def test_site_key_is_offline():
    from cardshop_auditor.urls import _extractor
    extract = _extractor()
    assert tuple(extract.suffix_list_urls) == () and extract.include_psl_private_domains
