"""Coordinator signatures on queue tasks.

Anyone who can write to Redis can push a task; with a secret shared by the coordinator
(`batch --queue-secret-env VAR`) and its workers (`worker --queue-secret-env VAR`, default
$CARDSHOP_QUEUE_SECRET), each task carries an HMAC-SHA256 over a canonical JSON of its
batch id, shop id and payload, and a worker audits only tasks whose signature it can
verify.  The secret is registered with auditor.secrets: never printed, never in a child's
environment."""
from __future__ import annotations

import hashlib
import hmac
import json
import os

from cardshop_auditor.queue_tasks import TaskRejected

DEFAULT_ENV = "CARDSHOP_QUEUE_SECRET"
MIN_SECRET = 16
SIGNATURE_CHARS = 64             # hex SHA-256


class QueueSecretError(ValueError):
    """The configured secret is missing or too short (a usage error)."""


def queue_secret(env_var: str | None = None) -> str | None:
    """The shared secret from ``env_var`` (required to be set when named) or from
    $CARDSHOP_QUEUE_SECRET; None when neither is configured."""
    name = env_var or DEFAULT_ENV
    value = os.environ.get(name)
    if not value:
        if env_var:
            raise QueueSecretError(f"--queue-secret-env {env_var}: the variable is not set")
        return None
    if len(value) < MIN_SECRET:
        raise QueueSecretError(f"the queue secret in ${name} is shorter than {MIN_SECRET} characters")
    from cardshop_auditor import secrets
    secrets.register(value, "token")
    return value


def canonical(batch_id: str, shop_id: str, payload: dict) -> bytes:
    """One byte string per task, whatever the key order or escapes of its stored JSON."""
    return json.dumps({"v": 1, "batch": batch_id, "shop": shop_id, "payload": payload},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def sign(secret: str, batch_id: str, shop_id: str, payload: dict) -> str:
    return hmac.new(secret.encode("utf-8"), canonical(batch_id, shop_id, payload), hashlib.sha256).hexdigest()


def verify(secret: str, batch_id: str, shop_id: str, raw_payload: str, signature: str | None) -> None:
    """Nothing when ``signature`` is the coordinator's for this task; TaskRejected otherwise."""
    if not signature:
        raise TaskRejected("unsigned task: this worker audits only tasks signed with its queue secret")
    if len(signature) != SIGNATURE_CHARS:
        raise TaskRejected("bad task signature (not an HMAC-SHA256)")
    try:
        payload = json.loads(raw_payload)
    except ValueError:
        raise TaskRejected("bad task signature (payload is not JSON)") from None
    if not isinstance(payload, dict):
        raise TaskRejected("bad task signature (payload is not a JSON object)")
    if not hmac.compare_digest(sign(secret, batch_id, shop_id, payload), signature.lower()):
        raise TaskRejected("bad task signature (not signed by this queue's coordinator, or altered)")
