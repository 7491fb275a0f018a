"""Alerts: the webhook that tells someone a shop changed.

    hook = Webhook(url, secret=b"…")            # or webhook_from_args(args)
    deliver(hook, payload, list_key="changed")  # True, or False after one line on stderr

An alert is only delivered when the endpoint itself answers 2xx:

* redirects are never followed (a 30x is a failure: a POST turned into a GET to another
  host is not an alert);
* every other status is a failure; network errors, timeouts, 408, 429 and 5xx are retried
  with exponential backoff, bounded in count (``retries``) and in total time (``max_time``);
* the body is capped (``max_bytes``, 256 KiB): the list of changes is cut, and the payload
  says how many were left out;
* with a secret the body is signed: ``X-Cardshop-Timestamp: <unix seconds>`` and
  ``X-Cardshop-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>``.  The
  secret comes from an environment variable or a file, and is never printed.

A command whose alert could not be delivered exits 5 (DESIGN.md), unless a higher code
applies.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cardshop_auditor.errors import EXIT_ALERT, UsageError
from cardshop_auditor.logs import get_logger

EXIT_ALERT_FAILED = EXIT_ALERT         # kept for callers of the old name
MAX_BYTES = 256 * 1024
SIGNATURE_HEADER = "X-Cardshop-Signature"
TIMESTAMP_HEADER = "X-Cardshop-Timestamp"
RETRY_STATUSES = {408, 429}                 # and every 5xx


class AlertError(Exception):
    """The alert was not delivered; ``str(exc)`` is one line, without the secret."""


@dataclass
class Webhook:
    url: str
    secret: bytes | None = None
    timeout: float = 10.0        # seconds per attempt (connect + answer)
    retries: int = 3             # further attempts after the first
    backoff: float = 1.0         # first pause; doubled after each failed attempt
    max_time: float = 60.0       # no new attempt starts after this many seconds
    max_bytes: int = MAX_BYTES

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the webhook must be an http(s) URL with a host")
        if self.secret is not None and not self.secret:
            raise ValueError("the webhook secret is empty")

    def __repr__(self) -> str:                       # never shows the secret
        return f"Webhook({self.url!r}, signed={self.secret is not None})"


# --------------------------------------------------------------------------- payload


def cap_payload(payload: dict, max_bytes: int = MAX_BYTES, list_key: str = "changes") -> bytes:
    """The JSON body, at most ``max_bytes``: when too large, the longest prefix of
    ``payload[list_key]`` that fits is kept and ``truncated`` says what was left out."""
    body = _encode(payload)
    items = payload.get(list_key)
    if len(body) <= max_bytes:
        return body
    items = items if isinstance(items, list) else []

    def with_first(n: int) -> bytes:
        note = {"omitted": len(items) - n, "total": len(items), "max_bytes": max_bytes,
                "note": f"payload over {max_bytes} bytes: only the first {n} of {len(items)} "
                        f"entries of {list_key!r} are included; see diff.json / summary.json"}
        return _encode({**payload, list_key: items[:n], "truncated": note})

    lo, hi = 0, len(items)                     # the largest n whose body fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(with_first(mid)) <= max_bytes:
            lo = mid
        else:
            hi = mid - 1
    body = with_first(lo)
    if len(body) <= max_bytes:
        return body
    # even without any entry the rest is too large: only what identifies the alert
    small = {k: v for k, v in payload.items() if isinstance(v, (str, int, float, bool)) or v is None}
    small = {k: (v[:200] if isinstance(v, str) else v) for k, v in list(small.items())[:20]}
    return _encode({**small, list_key: [], "truncated": {
        "omitted": len(items), "total": len(items), "max_bytes": max_bytes,
        "note": f"payload over {max_bytes} bytes even without its entries; see diff.json / summary.json"}})


def _encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """What a receiver recomputes to check an alert came from us and was not altered."""
    return "sha256=" + hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- sending


def post(hook: Webhook, payload: dict, list_key: str = "changes", *, sleep=time.sleep) -> int:
    """POST the alert; returns the 2xx status, or raises AlertError after the last try."""
    body = cap_payload(payload, hook.max_bytes, list_key)
    started = time.monotonic()
    pause = hook.backoff
    attempt = 0
    while True:
        attempt += 1
        try:
            status = _post_once(hook, body)
        except (OSError, http.client.HTTPException) as exc:
            problem, retry = _describe_error(exc), True
        else:
            if 200 <= status < 300:
                return status
            problem = f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
            retry = status in RETRY_STATUSES or status >= 500
        spent = time.monotonic() - started
        if not retry or attempt > hook.retries or spent + pause > hook.max_time:
            tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
            raise AlertError(f"{problem} after {tries}")
        sleep(pause)
        pause *= 2


def _post_once(hook: Webhook, body: bytes) -> int:
    parts = urlsplit(hook.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=hook.timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=hook.timeout)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "cardshop-auditor",
               "Content-Length": str(len(body))}
    if parts.username or parts.password:       # user:pass@ in the URL: HTTP basic auth
        import base64
        from urllib.parse import unquote
        token = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}".encode("utf-8")
        headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
    if hook.secret is not None:
        stamp = str(int(time.time()))
        headers[TIMESTAMP_HEADER] = stamp
        headers[SIGNATURE_HEADER] = signature(hook.secret, stamp, body)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(64 * 1024)               # the answer is not used; a little is drained
        return response.status
    finally:
        conn.close()


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return "TLS error"
    if isinstance(exc, socket.gaierror):
        return "host name not resolved"
    return f"network error ({type(exc).__name__})"


def deliver(hook: Webhook, payload: dict, list_key: str = "changes") -> bool:
    """Send the alert; one line on stderr either way.  False: not delivered (exit 5)."""
    log = get_logger("alerts")
    where = _redacted(hook.url)
    try:
        status = post(hook, payload, list_key)
    except AlertError as exc:
        log.error(f"alert not delivered to {where}: {exc}", extra={"exit_code": int(EXIT_ALERT)})
        return False
    log.info(f"webhook: HTTP {status} from {where}")
    return True


def _redacted(url: str) -> str:
    """The URL without user:password@ and without the query (tokens often live there)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path or '/'}"


# --------------------------------------------------------------------------- command line


def add_webhook_options(parser, what: str) -> None:
    """--webhook URL and its companions, for `batch` and `diff`."""
    parser.add_argument("--webhook", metavar="URL",
                        help=f"POST {what} to this http(s) URL as JSON; redirects are not followed and "
                             "anything but 2xx is a failure (exit 5)")
    parser.add_argument("--webhook-secret-env", metavar="VAR",
                        help="sign the webhook body with HMAC-SHA256, the secret read from this "
                             f"environment variable (headers {SIGNATURE_HEADER}, {TIMESTAMP_HEADER})")
    parser.add_argument("--webhook-secret-file", type=Path, metavar="FILE",
                        help="as --webhook-secret-env, the secret read from this file")
    parser.add_argument("--webhook-retries", type=int, default=3, metavar="N",
                        help="further attempts after a network error, timeout, 408, 429 or 5xx (default 3)")
    parser.add_argument("--webhook-timeout", type=float, default=10.0, metavar="S",
                        help="seconds per attempt (default 10)")
    parser.add_argument("--webhook-max-time", type=float, default=60.0, metavar="S",
                        help="no new attempt after this many seconds (default 60)")


def webhook_from_args(args) -> Webhook | None:
    """The Webhook the options describe, or None; a UsageError (exit 2) when they are wrong."""
    if not args.webhook:
        if args.webhook_secret_env or args.webhook_secret_file:
            raise UsageError("--webhook-secret-env/--webhook-secret-file need --webhook")
        return None
    if args.webhook_secret_env and args.webhook_secret_file:
        raise UsageError("give --webhook-secret-env or --webhook-secret-file, not both")
    if args.webhook_retries < 0 or args.webhook_retries > 20 or args.webhook_timeout <= 0 \
            or args.webhook_max_time < 0:
        raise UsageError("--webhook-retries 0…20, --webhook-timeout > 0, --webhook-max-time ≥ 0")
    secret = None
    if args.webhook_secret_env:
        value = os.environ.get(args.webhook_secret_env)
        if not value:
            raise UsageError(f"--webhook-secret-env: ${args.webhook_secret_env} is not set or empty")
        secret = value.encode("utf-8")
    elif args.webhook_secret_file:
        try:
            secret = Path(args.webhook_secret_file).read_bytes().strip()
        except OSError as exc:
            raise UsageError(f"--webhook-secret-file: cannot read ({exc.strerror or type(exc).__name__})") from None
        if not secret:
            raise UsageError("--webhook-secret-file: the file is empty")
    from cardshop_auditor import secrets as run_secrets
    if secret:
        run_secrets.register(secret.decode("utf-8", "replace"), "webhook")
    run_secrets.register_url_credentials(args.webhook)
    try:
        return Webhook(args.webhook, secret=secret, timeout=args.webhook_timeout, retries=args.webhook_retries,
                       max_time=args.webhook_max_time)
    except ValueError as exc:
        raise UsageError(f"--webhook: {exc}") from None
