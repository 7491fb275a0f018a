"""`cardshop-audit worker --broker URL --db URL`: a Dramatiq worker auditing shops enqueued by
`batch --broker`, storing them in the database; run as many as you like, on as many
machines as you like (auditor/engine).

Messages are untrusted (auditor/queue_tasks.py, auditor/engine/broker.py): a worker takes
programs, local files and credentials only from its own flags below, never from a task."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("worker", help="audit shops queued by `batch --broker` (any number of machines)",
                       description="Take shops from the Dramatiq broker filled by `cardshop-audit batch "
                                   "FILE --broker URL --db URL`, audit them, store each result in the "
                                   "database (exactly once), and repeat. A shop whose worker dies is handed "
                                   "to another worker once its heartbeat is older than --heartbeat-timeout. "
                                   "Tasks are untrusted: a task's URL must "
                                   "resolve to a public address or one in this worker's --allow-network; "
                                   "programs, files and credentials come from this worker's own flags.")
    p.add_argument("--broker", "--redis", dest="broker", required=True,
                   help="the Dramatiq broker: redis://host:6379/0 (run Redis with appendonly yes) or "
                        "amqp://user:password@host:5672/vhost (RabbitMQ)")
    p.add_argument("--db", required=True, help="the shared history database (postgresql://…)")
    p.add_argument("--out", type=Path, help="where this worker writes report directories "
                                            "(default: the user cache dir)")
    p.add_argument("--threads", type=int, default=2,
                   help="chunks of shops audited at once (default 2; a chunk is one crawl process)")
    p.add_argument("--prefetch", type=int, default=0,
                   help="chunks this worker takes from the broker at once (default --threads: a chunk "
                        "waits on the broker, for any worker, until a thread of this one is free)")
    p.add_argument("--concurrency", type=int, default=8,
                   help="shops of a chunk crawled at once (default 8, as batch --concurrency)")
    p.add_argument("--heartbeat-timeout", type=float, default=60.0,
                   help="seconds without a heartbeat after which a worker counts as dead and its shops "
                        "go to another worker (default 60)")
    p.add_argument("--max-attempts", type=int, default=3,
                   help="give a shop up after this many failed audits (default 3; retried with backoff)")
    p.add_argument("--min-backoff", type=float, default=2.0, help="first retry after this many seconds "
                                                                  "(default 2; doubling up to 60)")
    p.add_argument("--max-dead-letters", type=int, default=10_000,
                   help="messages kept in the broker's dead-letter queue (default 10000): past it the "
                        "oldest are dropped and counted (metrics, the batch summary line)")
    p.add_argument("--idle-exit", type=float, default=0,
                   help="exit after this many seconds with nothing to do (default: run forever)")
    p.add_argument("--metrics-port", type=int,
                   help="serve Prometheus metrics (Dramatiq's middleware) on this port; 0 picks a free one")
    p.add_argument("--metrics-host", default="127.0.0.1", help="address the metrics listen on "
                                                               "(default 127.0.0.1)")
    p.add_argument("--worker-id", help="name stored with each scan (default host-pid)")
    p.add_argument("--browser-path", help="Chromium binary on this machine (never taken from the queue)")
    p.add_argument("--storage-state", help="Playwright storage state file for logged-in audits on this worker")
    p.add_argument("--icp-registry", help="local CSV of ICP records on this worker")
    p.add_argument("--auth", type=Path,
                   help="JSON/CSV credentials per site (as for batch --auth): used for tasks that ask to log "
                        "in (credential_ref); default $CARDSHOP_WORKER_AUTH. Passwords never travel on the queue")
    p.add_argument("--credentials", type=Path, metavar="FILE",
                   help="TOML/JSON of named credentials (a table per name a batch file's password_env gives: "
                        "username, sites it may be typed into, and password_env / password_file on this "
                        "worker): used for tasks whose credential_ref names one. Tasks carry only the name")
    p.add_argument("--queue-secret-env", metavar="VAR",
                   help="environment variable holding the secret shared with `batch --queue-secret-env`: "
                        "only tasks signed with it are audited (default $CARDSHOP_QUEUE_SECRET; "
                        "without one, tasks are not checked and a warning is logged)")
    from cardshop_auditor.commands._common import add_network_options
    add_network_options(p)         # a task's URL reaches a non-public address only through these
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import UsageError

    if min(args.threads, args.concurrency, args.max_attempts) < 1 or args.heartbeat_timeout <= 0 \
            or args.min_backoff < 0 or args.max_dead_letters < 1:
        raise UsageError("--threads, --concurrency, --max-attempts ≥ 1; --heartbeat-timeout > 0; "
                         "--min-backoff ≥ 0; --max-dead-letters ≥ 1")
    import logging

    from cardshop_auditor import logs, secrets
    # every record of this process — ours, Dramatiq's, the libraries', the audits' — in the
    # chosen format (--log-format json: one object per line), scrubbed; -v: their debug too
    chatty = getattr(args, "verbose", 0) > 0 or getattr(args, "debug", False)
    logs.capture_everything(logging.DEBUG if chatty else logging.WARNING)
    logging.getLogger("dramatiq").setLevel(logging.DEBUG if chatty else logging.WARNING)
    secrets.guard_streams()        # logs and tracebacks never show a credential the worker resolved
    for url in (args.broker, args.db):
        secrets.register_url_credentials(url)
    # a broken file is a usage error now, not a dead letter per task; every password the
    # worker may type is known to the scrubber before the first task arrives
    from cardshop_auditor.engine.credentials import register_worker_secrets
    for entry in register_worker_secrets(args.auth, args.credentials):
        secrets.warn(f"{entry}: its password is not available now (variable unset or file unreadable); "
                     "tasks that need it are dead-lettered")
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
    from cardshop_auditor.engine.broker import EngineSettings
    from cardshop_auditor.engine.worker import WorkerConfig, run_worker
    settings = EngineSettings(heartbeat_timeout=args.heartbeat_timeout, max_attempts=args.max_attempts,
                              min_backoff=args.min_backoff, max_backoff=max(60.0, args.min_backoff),
                              dead_message_cap=args.max_dead_letters)
    cfg = WorkerConfig(broker_url=args.broker, db=args.db, out_dir=out, worker_id=args.worker_id or "",
                       threads=args.threads, prefetch=max(0, args.prefetch), concurrency=args.concurrency,
                       idle_exit=args.idle_exit,
                       settings=settings,
                       browser_path=args.browser_path, storage_state=args.storage_state,
                       icp_registry=args.icp_registry, auth=args.auth, credentials=args.credentials,
                       allow_networks=network["allow_networks"], insecure_login=network["insecure_login"],
                       queue_secret=secret, metrics_port=args.metrics_port, metrics_host=args.metrics_host)
    run_worker(cfg)
    return 0
