"""`cardshop-audit worker --broker URL --db URL`: audit shops from the Redis queue, store them
in the database; run as many as you like, on as many machines as you like.

The queue is untrusted (auditor/queue_tasks.py): a worker takes programs, local files and
credentials only from its own flags below, never from a task."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("worker", help="audit shops queued by `batch --redis` (any number of machines)",
                       description="Take shops from the Redis queue filled by `cardshop-audit batch FILE "
                                   "--redis URL --db URL`, audit them, store each result in the database "
                                   "(exactly once), and repeat. A shop whose worker dies is handed out "
                                   "again when its lease expires. Tasks are untrusted: a task's URL must "
                                   "resolve to a public address or one in this worker's --allow-network; "
                                   "programs, files and credentials come from this worker's own flags.")
    p.add_argument("--broker", "--redis", dest="redis", required=True, help="redis://host:6379/0")
    p.add_argument("--db", required=True, help="the shared history database (postgresql://…)")
    p.add_argument("--out", type=Path, help="where this worker writes report directories "
                                            "(default: the user cache dir)")
    p.add_argument("--chunk", type=int, default=4, help="shops claimed and crawled together (default 4)")
    p.add_argument("--lease", type=float, default=120.0,
                   help="seconds a claimed shop stays invisible to other workers without a heartbeat "
                        "(default 120; renewed every lease/3 while the worker is alive)")
    p.add_argument("--max-attempts", type=int, default=3,
                   help="give a shop up after this many failed attempts (default 3)")
    p.add_argument("--idle-exit", type=float, default=0,
                   help="exit after this many seconds with an empty queue (default: run forever)")
    p.add_argument("--worker-id", help="name in the queue (default host-pid)")
    p.add_argument("--browser-path", help="Chromium binary on this machine (never taken from the queue)")
    p.add_argument("--storage-state", help="Playwright storage state file for logged-in audits on this worker")
    p.add_argument("--icp-registry", help="local CSV of ICP records on this worker")
    p.add_argument("--auth", type=Path,
                   help="JSON/CSV credentials per site (as for batch --auth): used for tasks that ask to log "
                        "in (credential_ref); default $CARDSHOP_WORKER_AUTH. Passwords never travel on the queue")
    p.add_argument("--queue-secret-env", metavar="VAR",
                   help="environment variable holding the secret shared with `batch --queue-secret-env`: "
                        "only tasks signed with it are audited (default $CARDSHOP_QUEUE_SECRET; "
                        "without one, tasks are not checked and a warning is logged)")
    from cardshop_auditor.commands._common import add_network_options
    add_network_options(p)         # a task's URL reaches a non-public address only through these
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.queue import WorkerConfig, run_worker

    if args.chunk < 1 or args.lease <= 0 or args.max_attempts < 1:
        raise UsageError("--chunk ≥ 1, --lease > 0, --max-attempts ≥ 1")
    from cardshop_auditor import secrets
    secrets.guard_streams()        # logs and tracebacks never show a credential the worker resolved
    for url in (args.redis, args.db):
        secrets.register_url_credentials(url)
    if args.auth:                  # a broken file is a usage error now, not a dead letter per task
        from cardshop_auditor.browser.credentials import load_credentials
        load_credentials(args.auth)
    from cardshop_auditor.queue_signing import QueueSecretError, queue_secret
    try:
        secret = queue_secret(args.queue_secret_env)
    except QueueSecretError as exc:
        raise UsageError(str(exc)) from None
    out = args.out
    if out is None:
        from platformdirs import user_cache_dir
        out = Path(user_cache_dir("cardshop-auditor")) / "worker"
    from cardshop_auditor.commands._common import network_options
    network = network_options(args)
    cfg = WorkerConfig(redis_url=args.redis, db=args.db, out_dir=out, worker_id=args.worker_id or "",
                       chunk=args.chunk, lease=args.lease, max_attempts=args.max_attempts,
                       idle_exit=args.idle_exit, browser_path=args.browser_path,
                       storage_state=args.storage_state, icp_registry=args.icp_registry, auth=args.auth,
                       allow_networks=network["allow_networks"], insecure_login=network["insecure_login"],
                       queue_secret=secret)
    run_worker(cfg)
    return 0
