"""The crawler's view of a shop's TLS certificate: verified, recorded, never fatal.

Scrapy does not verify certificates by default (it reads the page whatever the
certificate), and failing the crawl on a bad certificate would lose the public pages a
consumer can read anyway.  So the crawler keeps reading, but every TLS handshake is
verified against the system's trust store (chain) and the host name (service_identity),
and the first problem per host:port is recorded (``status``); the spider puts the start
host's status into ``meta.network['certificate']``.  The browser stage verifies for real
(and types no credential where a certificate failed): auditor/browser/session.py.

Built on Scrapy's private TLS classes; if they move, ``recording_factory`` returns None
and the crawl runs with Scrapy's own factory (the certificate is then not reported).
"""
from __future__ import annotations

import ssl
import threading

# OpenSSL's X509_V_ERR_* codes a shop's certificate is likely to hit
X509_ERRORS = {9: "certificate is not yet valid", 10: "certificate has expired",
               18: "self-signed certificate", 19: "self-signed certificate in certificate chain",
               20: "unable to get local issuer certificate", 21: "unable to verify the first certificate",
               23: "certificate revoked", 26: "unsupported certificate purpose", 2: "unable to get issuer certificate",
               7: "certificate signature failure", 62: "hostname mismatch"}

_lock = threading.Lock()
_status: dict[tuple[str, int], dict] = {}


def status(host: str, port: int) -> dict | None:
    with _lock:
        found = _status.get((host.lower(), port))
        return dict(found) if found else None


def _record(host: str, port: int, error: str | None) -> None:
    key = (host.lower(), port)
    with _lock:
        known = _status.get(key)
        if known is None or (error and known.get("ok")):
            _status[key] = {"ok": error is None, "error": error}


def recording_factory(crawler):
    """A Scrapy TLS context factory that verifies and records, or None."""
    try:
        from OpenSSL import SSL
        from service_identity import VerificationError
        from service_identity.exceptions import CertificateError
        from service_identity.hazmat import DNS_ID, IPAddress_ID, verify_service_identity
        from service_identity.pyopenssl import extract_patterns

        from scrapy.core.downloader.contextfactory import _ScrapyCertificateOptions, _ScrapyClientContextFactory
        from scrapy.core.downloader.tls import _ScrapyClientTLSOptions26
    except ImportError:
        return None

    class TrustingStoreOptions(_ScrapyCertificateOptions):
        def _makeContext(self, skipCiphers: bool = False):
            context = super()._makeContext(skipCiphers)
            paths = ssl.get_default_verify_paths()
            try:
                context.load_verify_locations(paths.cafile or paths.openssl_cafile,
                                              paths.capath or paths.openssl_capath)
            except Exception:  # noqa: BLE001 - no trust store: every chain will be reported
                pass
            return context

    class RecordingTLSOptions(_ScrapyClientTLSOptions26):
        port = 443

        def clientConnectionForTLS(self, tlsProtocol):  # noqa: N802, N803 (Twisted's names)
            conn = super().clientConnectionForTLS(tlsProtocol)
            host, port = self._hostnameASCII, self.port
            ident = DNS_ID(host) if self._hostnameIsDnsName else IPAddress_ID(host)
            problems: list[str] = []

            def verify(connection, cert, err, depth, ok) -> bool:
                if not ok and not problems:
                    problems.append(f"certificate verify failed: {X509_ERRORS.get(err, f'X509 error {err}')}")
                if depth == 0:
                    if not problems:
                        try:
                            verify_service_identity(extract_patterns(cert), [ident], [])
                        except (CertificateError, VerificationError, ValueError) as exc:
                            problems.append(f"certificate is not valid for {host}: {str(exc)[:120]}")
                    _record(host, port, problems[0] if problems else None)
                return True                      # never fatal: the crawl reads on
            conn.set_verify(SSL.VERIFY_PEER, verify)
            return conn

    class RecordingContextFactory(_ScrapyClientContextFactory):
        _options = None

        def _get_cert_options(self):
            if self._options is None:           # one context (and trust store) per crawl
                self._options = TrustingStoreOptions(**self._get_cert_options_kwargs())
            return self._options

        def creatorForNetloc(self, hostname: bytes, port: int):
            creator = RecordingTLSOptions(self._get_cert_options()._makeTLSConnection, hostname.decode("ascii"))
            creator.port = port
            return creator

    try:
        return RecordingContextFactory.from_crawler(crawler)
    except Exception:  # noqa: BLE001
        return None
