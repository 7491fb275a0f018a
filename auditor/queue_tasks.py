"""What a worker accepts from the queue, and what a coordinator may put on it.

Anyone who can write to Redis can write a task, so a task is untrusted input, like a
shop's page.  Before a worker uses one:

* the task id ``<batch id>:<shop id>`` is two safe path components (``ID_PATTERN``);
* the payload is bounded JSON matching ``schema/queue_task.schema.json``: a http(s) URL,
  a label, at most a ``credential_ref`` — never a password, never a path;
* the batch's options come from an allow-list of audit limits with bounded values.
  Options that name a program or a local file (``browser_path``, ``storage_state``,
  ``icp_registry``…) or carry credentials are never taken from the queue: each worker has
  its own (``cardshop-audit worker --browser-path … --auth …``);
* every directory a worker writes or deletes is built from validated ids and resolved
  inside its output directory (``contained_dir``).

A task that fails any of these is dead-lettered with a reason written by us: a fixed
sentence naming the field, never the value it carried (a value may be a secret).
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
MAX_TASK_ID = 257                 # two ids and the colon
MAX_PAYLOAD_BYTES = 16 * 1024     # a URL, a label and a reference: far less in practice
MAX_CHUNK = 100                   # shops per engine task (the single-process batch's chunk, batch.CHUNK_SHOPS)
MAX_OPTIONS_BYTES = 16 * 1024
MAX_REASON = 300
# Options a worker takes only from its own configuration, never from a batch: they name
# programs, local files or credentials, or widen where the audit may connect.
WORKER_ONLY_OPTIONS = ("browser_path", "storage_state", "icp_registry", "username", "password",
                       "allow_networks", "insecure_login")
_CREDENTIAL_WORDS = re.compile(r"pass|pwd|secret|token|cookie|auth|credential|session|key", re.I)
_SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")


class TaskRejected(ValueError):
    """The task (or its batch) is malformed or asks for something a queue may not decide.
    ``str(exc)`` is the dead-letter reason: our own words, bounded, no payload values."""

    def __init__(self, reason: str):
        super().__init__(reason[:MAX_REASON])


@dataclass(frozen=True)
class QueueTask:
    batch_id: str
    shop_id: str
    url: str
    label: str = ""
    credential_ref: str | None = None        # "site" or the URL's host[:port]: log in
    credential_user: str | None = None       # the user name the worker's entry must have
    credential_name: str | None = None       # an entry of the worker's --credentials file
    order_no: str | None = None              # for a public order-query refund flow
    options: tuple = ()                      # (AuditOptions field, value) pairs of this shop's own


# --------------------------------------------------------------------------- ids and paths


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def split_task_id(task: object) -> tuple[str, str]:
    """``<batch id>:<shop id>`` → (batch id, shop id), each a safe path component."""
    if not isinstance(task, str) or len(task) > MAX_TASK_ID:
        raise TaskRejected("task id too long")
    batch_id, colon, shop_id = task.partition(":")
    if not colon:
        raise TaskRejected("task id is not <batch id>:<shop id>")
    if not is_valid_id(batch_id):
        raise TaskRejected("batch id has characters outside [A-Za-z0-9._-] or does not start with a letter/digit")
    if not is_valid_id(shop_id):
        raise TaskRejected("shop id has characters outside [A-Za-z0-9._-] or does not start with a letter/digit")
    return batch_id, shop_id


def describe_task_id(task: object) -> str:
    """The id as it may be shown in a log: itself when valid, else an escaped, cut form."""
    if isinstance(task, str):
        try:
            split_task_id(task)
            return task
        except TaskRejected:
            return ascii(task[:60]) + ("…" if len(task) > 60 else "")
    return f"<{type(task).__name__}>"


def contained_dir(root: Path, *parts: str) -> Path:
    """root/part/… for validated ids, resolved (symlinks followed) and checked to stay
    strictly inside root; raises TaskRejected otherwise.  Call it right before a write or
    an rmtree, never trust a path built earlier."""
    for part in parts:
        if not is_valid_id(part):
            raise TaskRejected("path component is not a valid id")
    base = Path(root).resolve()
    path = base.joinpath(*parts)
    resolved = path.resolve()
    if resolved == base or not resolved.is_relative_to(base):
        raise TaskRejected("task directory would leave the worker's output directory")
    return resolved


# --------------------------------------------------------------------------- schema


@lru_cache(maxsize=None)
def _validator(definition: str):
    import jsonschema
    from importlib import resources
    schema = json.loads(resources.files("cardshop_auditor.schema").joinpath("queue_task.schema.json").read_text("utf-8"))
    root = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(root)


def _field_name(path) -> str:
    names = [p if isinstance(p, str) and _SAFE_NAME.fullmatch(p) else "?" for p in path]
    return ".".join(names) or "(top level)"


def _schema_reason(error, what: str) -> str:
    """A reason from a jsonschema error without its message (which quotes the value)."""
    field = _field_name(error.absolute_path)
    check = error.validator
    if check == "additionalProperties":
        what = f"{what} field {field}" if error.absolute_path else what
        extra = sorted(k for k in error.instance if k not in (error.schema.get("properties") or {}))
        named = [k if _SAFE_NAME.fullmatch(k) else "?" for k in extra[:5]]
        if any(_CREDENTIAL_WORDS.search(k) for k in extra):
            return (f"{what} carries a credential field ({', '.join(named)}): credentials never travel "
                    f"on the queue; send credential_ref and give the worker --auth FILE")
        return f"{what} has fields outside the schema: {', '.join(named)}"
    if check == "type":
        return f"{what} field {field}: wrong type (expected {error.validator_value})"
    if check in ("maxLength", "minLength", "maximum", "minimum", "exclusiveMinimum"):
        return f"{what} field {field}: out of bounds ({check} {error.validator_value})"
    if check == "pattern":
        return f"{what} field {field}: characters or form not allowed"
    if check == "oneOf":
        if isinstance(error.instance, dict):        # an object form with a field none of the forms has
            known = {k for form in error.validator_value for k in (form.get("properties") or {})}
            extra = sorted(k for k in error.instance if k not in known)
            if any(_CREDENTIAL_WORDS.search(k) for k in extra):
                named = [k if _SAFE_NAME.fullmatch(k) else "?" for k in extra[:5]]
                return (f"{what} field {field} carries a credential field ({', '.join(named)}): credentials "
                        f"never travel on the queue; send credential_ref and give the worker --auth FILE")
        return f"{what} field {field}: not one of the allowed forms"
    if check == "const":
        return f"{what} field {field}: not the allowed value"
    if check == "enum":
        return f"{what} field {field}: not one of {error.validator_value}"
    if check == "required":
        return f"{what}: a required field is missing (url)"
    return f"{what} field {field}: fails the {check} check"


def _check(instance, definition: str, what: str) -> None:
    import jsonschema
    error = jsonschema.exceptions.best_match(_validator(definition).iter_errors(instance))
    if error is not None:
        raise TaskRejected(_schema_reason(error, what))


def _load_json(raw: object, limit: int, what: str):
    if raw is None:
        raise TaskRejected(f"{what} missing")
    if isinstance(raw, bytes):
        size = len(raw)
    elif isinstance(raw, str):
        size = len(raw.encode("utf-8", "surrogatepass"))
    else:
        raise TaskRejected(f"{what} is not text")
    if size > limit:
        raise TaskRejected(f"{what} too large ({size} bytes; at most {limit})")
    try:
        data = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except _NotFinite:
        raise TaskRejected(f"{what} has NaN or Infinity: not a number a bound can hold") from None
    except (ValueError, RecursionError) as exc:
        where = f" at char {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        raise TaskRejected(f"{what} is not valid JSON{where}") from None
    try:
        # a lone surrogate (\ud800) parses, then fails every file, log and database
        # write of the whole chunk: refused here, alone, with its reason
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise TaskRejected(f"{what} has text that is not valid Unicode (a lone surrogate escape)") from None
    except (ValueError, RecursionError):
        raise TaskRejected(f"{what} is nested too deeply") from None
    return data


class _NotFinite(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = float(text)                     # 1e999 is inf
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def _no_constant(name: str):
    """json's NaN / Infinity / -Infinity: compare false with every bound (NaN passes
    ``minimum`` and ``maximum`` alike), so a budget of NaN would never run out."""
    raise _NotFinite(name)


def parse_task(task: str, raw_payload: object) -> QueueTask:
    """The claimed task id and its raw payload → a QueueTask, or TaskRejected."""
    batch_id, shop_id = split_task_id(task)
    payload = _load_json(raw_payload, MAX_PAYLOAD_BYTES, "payload")
    _check(payload, "payload", "payload")
    url = payload["url"]
    try:
        parts = urlsplit(url)
        parts.port                                  # raises on a port that is not a number
    except ValueError:
        raise TaskRejected("payload field url: not a parseable URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise TaskRejected("payload field url: not an http(s) URL with a host")
    ref, user, name = payload.get("credential_ref"), None, None
    if isinstance(ref, dict) and "name" in ref:      # {"name": N}: the worker's --credentials entry N
        ref, name = None, ref["name"]
    elif isinstance(ref, dict):                      # {"auth": true, "username": U}
        ref, user = "site", ref.get("username")
    if ref is not None and ref != "site" and ref.lower() not in _site_keys(url):
        raise TaskRejected("payload field credential_ref: names another site than the task's URL "
                           "(a credential is only ever used on its own site)")
    options = tuple(sorted((payload.get("options") or {}).items()))
    return QueueTask(batch_id, shop_id, url, payload.get("label") or "", ref, user, name,
                     payload.get("order_no"), options)


def parse_batch_options(raw: object) -> tuple[dict, list[str]]:
    """The batch's options from the queue → (the allowed ones, notes on what was ignored).
    Values of allowed options out of bounds reject the batch (TaskRejected)."""
    if raw is None:
        return {}, []
    data = _load_json(raw, MAX_OPTIONS_BYTES, "batch options")
    if not isinstance(data, dict):
        raise TaskRejected("batch options are not a JSON object")
    allowed_names = set(_validator("batch_options").schema["$defs"]["batch_options"]["properties"])
    allowed = {k: v for k, v in data.items() if k in allowed_names}
    notes = []
    for key in sorted(k for k in data if k not in allowed_names):
        name = key if _SAFE_NAME.fullmatch(key) else "?"
        if data[key] in (None, "", False, [], {}):
            continue                               # unset: nothing to ignore
        if key in WORKER_ONLY_OPTIONS:
            notes.append(f"option {name} ignored: programs, local files, credentials and network scope "
                         f"come from the worker's own flags, never from the queue")
        else:
            notes.append(f"option {name} ignored: not an option a batch may set")
    _check(allowed, "batch_options", "batch options")
    return allowed, notes


def queue_options(options_json: dict) -> dict:
    """What a coordinator puts on the queue for its workers: the allow-listed options only."""
    allowed_names = set(_validator("batch_options").schema["$defs"]["batch_options"]["properties"])
    return {k: v for k, v in options_json.items() if k in allowed_names and v is not None}


def worker_only_options_set(options_json: dict) -> list[str]:
    """The worker-only options a coordinator was given (they do not travel: say so)."""
    return [k for k in WORKER_ONLY_OPTIONS if k not in ("username", "password") and options_json.get(k)]


_SERVICE_PORTS = {"redis": 6379, "rediss": 6379, "amqp": 5672, "amqps": 5671, "postgres": 5432, "postgresql": 5432,
                  "mysql": 3306}


def service_endpoints(urls) -> tuple[tuple[frozenset, int], ...]:
    """(addresses, port) of each of a worker's own services (its broker, its database), for
    check_start_address; a URL without a network host (sqlite) names none."""
    import ipaddress

    from cardshop_auditor import netpolicy
    found = []
    for url in urls:
        try:
            parts = urlsplit(url or "")
            port = parts.port or _SERVICE_PORTS.get(parts.scheme.lower().split("+")[0], 0)
        except ValueError:
            continue
        host = (parts.hostname or "").lower().rstrip(".")
        if not host or not port:
            continue
        try:
            ips = netpolicy.resolver().resolve(host)
        except netpolicy.DNSFailure:
            continue
        found.append((frozenset(str(ipaddress.ip_address(ip)) for ip in ips), port))
    return tuple(found)


def _hits_endpoint(ips, port: int, endpoints) -> bool:
    """Whether (ips, port) is one of ``endpoints``.  A loopback service counts for every
    loopback address: a server bound to 0.0.0.0 answers 127.0.0.2 as well."""
    import ipaddress
    addrs = [ipaddress.ip_address(ip) for ip in ips]
    for service_ips, service_port in endpoints:
        if port != service_port:
            continue
        service = [ipaddress.ip_address(ip) for ip in service_ips]
        for addr in addrs:
            if str(addr) in service_ips or (addr.is_loopback and any(s.is_loopback for s in service)) \
                    or any(s.is_unspecified for s in service):
                return True
    return False


def check_start_address(url: str, allow_networks=(), endpoints=()) -> tuple[str, tuple[str, ...]]:
    """A queued URL's host and its (pinned) addresses, when every address is public or in
    the worker's own --allow-network; TaskRejected otherwise.  A task URL is chosen by
    whoever wrote the queue, so unlike `scan URL` its own address earns no exception:
    a task cannot point a worker at 127.0.0.1:6379, the LAN or a metadata endpoint.
    A name that does not resolve passes (the audit reports the shop unreachable)."""
    from cardshop_auditor import netpolicy
    host, port = netpolicy.url_host_port(url) or ("", 0)
    try:
        ips = netpolicy.resolver().resolve(host)
    except netpolicy.DNSFailure:
        return host, ()
    if _hits_endpoint(ips, port, endpoints):   # whatever --allow-network says
        raise TaskRejected(f"task URL points at this worker's own broker or database (port {port}): "
                           "never audited")
    policy = netpolicy.NetPolicy(allowed_networks=netpolicy.parse_networks(allow_networks))
    decision = policy.check(port, ips)
    if not decision:
        raise TaskRejected(f"task URL resolves to a {decision.reason}: workers audit only public addresses "
                           f"unless started with --allow-network CIDR")
    return host, ips


_UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean_label(label: str | None) -> str:
    """A label the worker will accept: no control or bidi characters, at most 200 chars."""
    return _UNSAFE_TEXT.sub(" ", label or "").strip()[:200]


# --------------------------------------------------------------------------- credentials


def _site_keys(url: str) -> set[str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return {host, f"{host}:{parts.port}"} if parts.port else {host}


def resolve_credentials(task: QueueTask, auth_file: Path | None,
                        named: Path | None = None) -> tuple[str, str] | None:
    """The worker's own credentials for a task that asks to log in (``credential_ref``):
    looked up by the task's URL in the worker's --auth file (or $CARDSHOP_WORKER_AUTH), or
    by name in its --credentials file (entries bound to the sites they may be typed into),
    so a queue writer can ask for a login but never choose which password goes to which site.
    (The same rule as cardshop_auditor.browser.credentials.resolve_credentials for untrusted references.)
    None: the task asks for none.  Raises TaskRejected when the worker has none for it."""
    if task.credential_name:
        from cardshop_auditor.engine.credentials import NamedCredentialError, named_credentials
        if named is None:
            raise TaskRejected("task names a credential (credential_ref.name) but this worker has no "
                               "--credentials file")
        try:
            return named_credentials(named, task.credential_name, task.url)
        except NamedCredentialError as exc:
            raise TaskRejected(str(exc)) from None
    if not task.credential_ref:
        return None
    path = auth_file or (Path(os.environ["CARDSHOP_WORKER_AUTH"]) if os.environ.get("CARDSHOP_WORKER_AUTH") else None)
    if path is None:
        raise TaskRejected("task asks to log in (credential_ref) but this worker has no --auth file")
    from cardshop_auditor.browser.credentials import credentials_for
    creds = credentials_for(path, task.url)
    if not creds:
        raise TaskRejected("task asks to log in (credential_ref) but the worker's --auth file has "
                           "no entry for its site")
    if task.credential_user and creds[0] != task.credential_user:
        raise TaskRejected("task asks to log in as another user than the worker's --auth entry for its site")
    return creds


def scrub(text: str) -> str:
    """``text`` with every secret this process knows masked (auditor.secrets: the
    credentials a worker resolved register themselves), cut to MAX_REASON characters."""
    from cardshop_auditor import secrets
    return secrets.scrub(text)[:MAX_REASON]
