"""`cardshop-audit serve`: the buyers' web page and its JSON API (cardshop_auditor.web)."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="the web page for buyers: paste a shop's link, get the verdict and a refund guide",
                       description="Serve the web page (and its JSON API, /api/openapi.json) on HOST:PORT. "
                                   "Submitted shops are audited by a bounded pool of scan slots on the same "
                                   "engine as batches; results go to the history database. Only public "
                                   "addresses are audited unless --allow-network says more.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; behind a "
                                                        "reverse proxy keep it local)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--db", help="history database: sqlite:///… (default: the user data dir) or postgresql://…")
    p.add_argument("--slots", type=int, default=2, help="scans running at once (default 2)")
    p.add_argument("--max-waiting", type=int, default=200,
                   help="scans allowed to wait for a slot; beyond that visitors get a 'busy' page (default 200)")
    p.add_argument("--rate", type=float, default=6.0, help="submissions per client per minute (default 6)")
    p.add_argument("--recent-hours", type=float, default=24.0,
                   help="show a result this recent for the same site instead of scanning again (default 24)")
    p.add_argument("--work-dir", type=Path, help="scratch space for running scans (default: the user cache dir)")
    p.add_argument("--browser", choices=["auto", "always", "never"], default="auto",
                   help="browser stage for submitted shops (default auto)")
    p.add_argument("--browser-path", help="Chromium binary (else $CARDSHOP_CHROMIUM, Playwright's, /usr/bin/chromium)")
    p.add_argument("--time-budget", type=float, default=60.0, help="seconds for one shop's static crawl (default 60)")
    p.add_argument("--forwarded-allow-ips", default=None,
                   help="trust X-Forwarded-For from these proxy addresses (e.g. 127.0.0.1 behind nginx): "
                        "rate limits then apply to the real client")
    p.add_argument("--broker", metavar="URL",
                   help="hand scans to `cardshop-audit worker` processes through this broker (redis://… or "
                        "amqp://…; "
                        "needs a --db the workers share); --slots is then how many are in flight on them")
    p.add_argument("--queue-secret-env", metavar="VAR",
                   help="environment variable with the secret the workers check tasks with "
                        "(default $CARDSHOP_QUEUE_SECRET)")
    from cardshop_auditor.commands._common import add_network_options
    add_network_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    import uvicorn

    from cardshop_auditor import secrets
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.commands._common import network_options
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.web.app import create_app
    from cardshop_auditor.web.core import WebConfig
    from cardshop_auditor.web.engine import InProcessEngine

    if args.slots < 1 or args.max_waiting < 1 or args.rate <= 0 or not (0 < args.port < 65536):
        raise UsageError("--slots ≥ 1, --max-waiting ≥ 1, --rate > 0, --port 1-65535")
    secrets.guard_streams()
    secrets.register_url_credentials(args.db)
    networks = network_options(args)
    options = AuditOptions(browser=args.browser, browser_path=args.browser_path, shop_time_budget=args.time_budget,
                           **networks)
    config = WebConfig(db=args.db, allow_networks=networks["allow_networks"], max_waiting=args.max_waiting,
                       per_minute=args.rate, recent_hours=args.recent_hours)
    work_dir = args.work_dir or Path(_cache_dir()) / "web-scans"
    log = lambda m: print(f"[cardshop-audit] {m}", flush=True)     # noqa: E731
    engine = InProcessEngine(options, work_dir, slots=args.slots, log=log)
    if args.broker:
        if not args.db:
            raise UsageError("--broker needs --db: the workers store their results there")
        from cardshop_auditor.web.engine import WorkerEngine
        secrets.register_url_credentials(args.broker)
        engine = WorkerEngine(args.broker, options, local=engine, slots=args.slots,
                              queue_secret=_queue_secret(args.queue_secret_env), log=log)
    app = create_app(config, engine)
    print(f"[cardshop-audit] serving http://{args.host}:{args.port}/ ({args.slots} scan slot(s))", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                proxy_headers=bool(args.forwarded_allow_ips), forwarded_allow_ips=args.forwarded_allow_ips,
                server_header=False)
    return 0


def _queue_secret(env_var: str | None) -> str | None:
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.queue_signing import QueueSecretError, queue_secret
    try:
        return queue_secret(env_var)
    except QueueSecretError as exc:
        raise UsageError(str(exc)) from None


def _cache_dir() -> str:
    from platformdirs import user_cache_dir
    return user_cache_dir("cardshop-auditor")
