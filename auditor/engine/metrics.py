"""Monitoring with Dramatiq's standard Prometheus middleware (``dramatiq_messages_total``,
``dramatiq_message_errors_total``, ``dramatiq_message_retries_total``,
``dramatiq_message_rejects_total`` (dead-lettered), ``dramatiq_messages_inprogress``,
``dramatiq_message_duration_milliseconds``) plus ``cardshop_dead_letters_total{reason}``,
``cardshop_dead_letter_queue_messages`` and ``cardshop_dead_letter_queue_dropped_total``
(the broker's dead-letter queue, shared by all workers: held, and dropped over its cap),
served by prometheus_client on ``worker --metrics-port P`` (``--metrics-host``, default
127.0.0.1: exposed on another interface only when asked).

The values live in a per-worker directory (prometheus_client's multiprocess mode, which
Dramatiq's middleware uses), created at start and removed at exit.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading

_state: dict = {}
_REASON_KINDS = 50


def middleware():
    """Dramatiq's Prometheus middleware, its values in a directory of this worker's own.
    Call before anything imports prometheus_client (its storage is chosen at import)."""
    directory = tempfile.mkdtemp(prefix="cardshop-metrics-")
    os.environ["dramatiq_prom_db"] = directory
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    from dramatiq.middleware import prometheus
    prometheus.DB_PATH = directory
    _state["dir"] = directory
    _state["middleware"] = prometheus.Prometheus()
    return _state["middleware"]


class Exposition:
    def __init__(self, server, thread):
        self.server, self.thread = server, thread
        self.server_port = server.server_port

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        directory = _state.pop("dir", None)
        _state.clear()
        # its open files are in the directory removed below: a later worker in this process
        # opens its own.  close_all_multiprocess_files() works once per process (it forgets
        # its cleanups); the value class's own close_all_files() every time.
        from prometheus_client import values
        close = getattr(values.ValueClass, "close_all_files", None) or values.close_all_multiprocess_files
        close()
        if directory:
            shutil.rmtree(directory, ignore_errors=True)


def serve(broker, host: str, port: int) -> Exposition:
    """Boot the middleware's metrics and serve them on host:port (0: a free port)."""
    _state["middleware"].after_process_boot(broker)
    import prometheus_client
    from prometheus_client import multiprocess
    registry = prometheus_client.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=_state["dir"])
    # not in prometheus_client's global registry (the multiprocess collector reads its
    # values from the directory): a second worker in one process must not collide with it
    _state["dead"] = prometheus_client.Counter("cardshop_dead_letters_total",
                                               "Tasks dead-lettered by this worker, per kind of reason.",
                                               ["reason"], registry=None)
    _state["kinds"] = set()
    _state["lock"] = threading.Lock()
    registry.register(_DeadLetterQueue(broker))
    server, thread = prometheus_client.start_http_server(port, addr=host, registry=registry)
    return Exposition(server, thread)


class _DeadLetterQueue:
    """Read from the broker at each scrape: the same figures on every worker."""

    def __init__(self, broker):
        self.broker = broker

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
        from cardshop_auditor.engine.broker import dead_letter_stats
        try:
            held, dropped = dead_letter_stats(self.broker)
        except Exception:          # the broker away: the scrape still answers (dramatiq's own figures)
            return
        yield GaugeMetricFamily("cardshop_dead_letter_queue_messages",
                                "Messages in the broker's dead-letter queue (capped: worker --max-dead-letters).",
                                value=held)
        if dropped is not None:         # RabbitMQ drops over the cap itself and does not count
            yield CounterMetricFamily("cardshop_dead_letter_queue_dropped",
                                      "Oldest dead-letter messages dropped over the cap.", value=dropped)


def count_dead_letter(reason: str) -> None:
    counter = _state.get("dead")
    if counter is None:
        return
    kind = re.split(r"[(:]", reason, maxsplit=1)[0].strip()[:60] or "other"
    with _state["lock"]:
        if kind not in _state["kinds"]:
            if len(_state["kinds"]) >= _REASON_KINDS:
                kind = "other"
            _state["kinds"].add(kind)
    counter.labels(kind).inc()
