"""RFC 3161 trusted timestamps of the manifest (``--tsa URL``), with ``rfc3161-client``.

    request_timestamp(url, message)    POST a TimeStampReq (sha256 of ``message``, a nonce,
                                       the TSA's certificate asked for) and return the DER
                                       TimeStampResp once it is checked: granted, our
                                       imprint, our nonce
    check_token(tsr, digest, ca)       the response's imprint is ``digest``; with ``ca``
                                       (PEM: the TSA's root, and intermediates) its
                                       signature and certificate chain hold up too

The TSA is contacted only when asked, and through the audit's network policy
(auditor/netpolicy.py): a public address, or a network allowed with ``--allow-network``;
the address checked is the address connected to.
"""
from __future__ import annotations

import http.client
import socket
import ssl
from pathlib import Path
from urllib.parse import urlsplit

MAX_RESPONSE = 1 << 20
TIMEOUT = 15.0
CONTENT_TYPE = "application/timestamp-query"


class TimestampError(Exception):
    """No usable timestamp: the one line says why."""


def _pinned_connection(url: str, allow_networks, timeout: float):
    from cardshop_auditor.netpolicy import DNSFailure, NetPolicy, refusal_text, resolver, url_host_port
    parts = urlsplit(url)
    hp = url_host_port(url)
    if parts.scheme not in ("http", "https") or not hp:
        raise TimestampError(f"--tsa must be an http(s) URL, not {url[:80]!r}")
    host, port = hp
    try:
        ips = resolver().resolve(host, timeout=timeout)
    except (DNSFailure, OSError) as exc:
        raise TimestampError(f"TSA {host}: does not resolve ({exc})") from None
    policy = NetPolicy.for_start("", (), allow_networks)
    decision = policy.check(port, ips)
    if not decision:
        raise TimestampError(f"TSA {refusal_text(host, port, decision)} (allow it with --allow-network)")
    ip = decision.ip

    class Pinned(http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.create_connection((ip, port), self.timeout)
            if parts.scheme == "https":
                self.sock = self._context.wrap_socket(self.sock, server_hostname=host)

    kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    return Pinned(host, port, timeout=timeout, **kwargs), (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def request_timestamp(url: str, message: bytes, allow_networks=(), timeout: float = TIMEOUT) -> bytes:
    """The DER TimeStampResp stamping the sha256 of ``message`` from the TSA at ``url``."""
    import hashlib
    import rfc3161_client
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response
    message_digest = hashlib.sha256(message).digest()
    request = TimestampRequestBuilder().hash_algorithm(HashAlgorithm.SHA256).data(message).nonce(nonce=True).build()
    body = request.as_bytes()
    conn, path = _pinned_connection(url, allow_networks, timeout)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": CONTENT_TYPE,
                                                        "User-Agent": "cardshop-auditor"})
        resp = conn.getresponse()
        data = resp.read(MAX_RESPONSE + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise TimestampError(f"TSA {urlsplit(url).hostname}: {type(exc).__name__}: {exc}"[:200]) from None
    finally:
        conn.close()
    if resp.status != 200:
        raise TimestampError(f"TSA answered HTTP {resp.status}")
    if len(data) > MAX_RESPONSE:
        raise TimestampError("TSA answer larger than 1 MiB")
    try:
        response = decode_timestamp_response(data)
    except (ValueError, rfc3161_client.VerificationError) as exc:
        raise TimestampError(f"TSA answer is not a TimeStampResp ({exc})"[:200]) from None
    if response.status not in (0, 1):
        raise TimestampError(f"TSA refused the request (status {response.status}: "
                             f"{'; '.join(response.status_string)[:100]})")
    if response.tst_info.message_imprint.message != message_digest:
        raise TimestampError("TSA token stamps another message than the manifest")
    if response.tst_info.nonce != request.nonce:
        raise TimestampError("TSA token carries another nonce than the request's")
    return data


def _load_certs(path: str | Path):
    from cryptography import x509
    data = Path(path).read_bytes()
    try:
        return x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data else [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise TimestampError(f"--tsa-ca {path}: not a PEM/DER certificate file ({exc})"[:200]) from None


def check_token(tsr: bytes, digest: bytes, tsa_ca: str | Path | None = None) -> dict:
    """What the token says (time, TSA serial, policy) once its imprint is ``digest`` and,
    with ``tsa_ca``, its signature and chain are valid; else ``TimestampError``."""
    import rfc3161_client
    from rfc3161_client import VerifierBuilder, decode_timestamp_response
    try:
        response = decode_timestamp_response(tsr)
        info = response.tst_info
    except (ValueError, rfc3161_client.VerificationError) as exc:
        raise TimestampError(f"not an RFC 3161 time-stamp response ({exc})"[:200]) from None
    if info.message_imprint.message != digest:
        raise TimestampError("the token's message imprint is not the sha256 of manifest.json")
    if tsa_ca:
        certs = _load_certs(tsa_ca)
        roots = [c for c in certs if c.issuer == c.subject]
        if not roots:
            raise TimestampError(f"--tsa-ca {tsa_ca}: holds no self-signed root certificate")
        builder = VerifierBuilder()
        for cert in roots:
            builder = builder.add_root_certificate(cert)
        for cert in certs:
            if cert not in roots:
                builder = builder.add_intermediate_certificate(cert)
        try:
            builder.build().verify(response, digest)
        except (rfc3161_client.VerificationError, ValueError) as exc:
            raise TimestampError(f"the token does not verify against --tsa-ca: {exc}"[:200]) from None
    return {"time": info.gen_time.isoformat(), "serial": info.serial_number,
            "policy": info.policy.dotted_string, "chain_checked": bool(tsa_ca)}
