"""Real redis-server, RabbitMQ and PostgreSQL for the tests, started on free loopback ports
in a temporary directory and stopped afterwards (Debian packages: redis-server,
rabbitmq-server, postgresql).

Used by tests/scale/conftest.py and tests/storage/conftest.py (loaded by path, so it does
not matter whether tests/ is a package).  Each server is started once per test process,
however many conftests ask for it, and stopped when the last user releases it (and at exit
in any case).

PostgreSQL refuses to run as root: as root the cluster is created and run as the
``postgres`` user of the Debian package (or a ``cardshop-pg`` system user created with
useradd), in a directory under /tmp that user owns.
"""
from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class ServiceUnavailable(RuntimeError):
    """The binaries are not installed (``make install`` installs them)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


# --------------------------------------------------------------------------- redis


class RedisServer:
    """``persistent``: an append-only file (as a broker should be run), so ``restart()``
    keeps the queues."""

    def __init__(self, persistent: bool = False):
        binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None)
        if not binary:
            raise ServiceUnavailable("redis-server not installed (apt-get install redis-server)")
        self.binary, self.persistent = binary, persistent
        self.dir = tempfile.mkdtemp(prefix="cardshop-redis-")
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "redis.log"), "ab")
        self._start()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def _start(self) -> None:
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else \
            ["--appendonly", "no"]
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *persistence,
             "--dir", self.dir, "--protected-mode", "yes", "--daemonize", "no"],
            stdout=self.log, stderr=subprocess.STDOUT)
        _wait_port(self.port, 15, self.proc)

    def _terminate(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self, down_for: float = 0.0) -> None:
        """Stop the server (as an operator's restart does: SIGTERM) and start it again on
        the same port and data directory after ``down_for`` seconds."""
        self._terminate()
        time.sleep(down_for)
        self._start()

    def stop_node(self) -> None:
        """Stop the server (its data kept): ``start_node`` brings it back on the same port."""
        self._terminate()

    def start_node(self) -> None:
        self._start()

    def stop(self) -> None:
        self._terminate()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- rabbitmq

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"     # the Debian package's, run as it is


class RabbitmqServer:
    """A RabbitMQ node of its own: its node name, AMQP, distribution and epmd ports (free,
    on 127.0.0.1), Mnesia, log and config in a temporary directory, no plugins (so no
    management listener).  ``restart()`` keeps its data: durable queues and persistent
    messages survive it, as on a real broker."""

    def __init__(self):
        binary = RABBITMQ_SERVER if os.path.exists(RABBITMQ_SERVER) else shutil.which("rabbitmq-server")
        if not binary:
            raise ServiceUnavailable("rabbitmq-server not installed (apt-get install rabbitmq-server)")
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="cardshop-rabbitmq-")
        ports: set[int] = set()
        while len(ports) < 3:
            ports.add(free_port())
        self.port, self.dist_port, self.epmd_port = sorted(ports)
        self.node = f"cardshop{os.getpid()}p{self.port}@localhost"
        conf = os.path.join(self.dir, "rabbitmq.conf")
        with open(conf, "w") as f:
            f.write(f"listeners.tcp.1 = 127.0.0.1:{self.port}\nlog.console = false\nlog.file.level = warning\n"
                    "loopback_users.guest = true\n")
        with open(os.path.join(self.dir, "enabled_plugins"), "w") as f:
            f.write("[].\n")
        open(os.path.join(self.dir, "rabbitmq-env.conf"), "w").close()      # not /etc/rabbitmq's
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": self.dir,  # its cookie
            "RABBITMQ_NODENAME": self.node, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port), "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port), "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_MNESIA_BASE": os.path.join(self.dir, "mnesia"),
            "RABBITMQ_LOG_BASE": os.path.join(self.dir, "log"),
            "RABBITMQ_CONFIG_FILE": conf, "RABBITMQ_CONF_ENV_FILE": os.path.join(self.dir, "rabbitmq-env.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": os.path.join(self.dir, "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(self.dir, "enabled_plugins"),
            "RABBITMQ_PID_FILE": os.path.join(self.dir, "rabbitmq.pid"),
        }
        self.log = open(os.path.join(self.dir, "rabbitmq.out"), "ab")
        self.proc: subprocess.Popen | None = None
        self._start()
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def _start(self) -> None:
        self.proc = subprocess.Popen([self.binary], env=self.env, cwd=self.dir, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_port(self.port, 120, self.proc)        # the Erlang VM boots in 5-20 s on a busy machine
        except Exception:
            self._terminate()
            raise

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _terminate(self) -> None:
        """SIGTERM to the node's process group (the script, the Erlang VM: a clean shutdown,
        as an operator's restart), SIGKILL after 30 s."""
        if self.proc is None:
            return
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while self._group_alive() and time.monotonic() < deadline:
                self.proc.poll()
                time.sleep(0.1)
            if not self._group_alive():
                break
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass

    def restart(self, down_for: float = 0.0) -> None:
        """Stop the node and start it again on the same ports and data after ``down_for`` s."""
        self._terminate()
        time.sleep(down_for)
        self._start()

    def stop_node(self) -> None:
        """Stop the node (its data kept): ``start_node`` brings it back."""
        self._terminate()

    def start_node(self) -> None:
        self._start()

    def stop(self) -> None:
        self._terminate()
        epmd = shutil.which("epmd")              # the epmd this node started, on its own port
        if epmd:
            subprocess.run([epmd, "-port", str(self.epmd_port), "-kill"], capture_output=True, timeout=10,
                           env={"PATH": self.env["PATH"], "ERL_EPMD_PORT": str(self.epmd_port)})
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- postgres


def _pg_bindir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if candidates:
        return os.path.dirname(candidates[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    raise ServiceUnavailable("PostgreSQL server binaries not found (apt-get install postgresql)")


def _pg_user() -> pwd.struct_passwd | None:
    """None when not root (run as ourselves); else an unprivileged account for postgres."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "cardshop-pg"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "cardshop-pg"],
                   check=True, capture_output=True)
    return pwd.getpwnam("cardshop-pg")


class PostgresServer:
    SUPERUSER = "cardshop_auditor"

    def __init__(self):
        bindir = _pg_bindir()
        self.user = _pg_user()
        self.dir = tempfile.mkdtemp(prefix="cardshop-pg-", dir="/tmp")
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "sock")
        os.makedirs(self.sock)
        if self.user is not None:
            for path in (self.dir, self.sock):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        self.port = free_port()
        self._pg_ctl = os.path.join(bindir, "pg_ctl")
        self._run([os.path.join(bindir, "initdb"), "-D", self.data, "-U", self.SUPERUSER, "--auth=trust",
                   "--encoding=UTF8", "--locale=C", "--no-sync"], timeout=120)
        opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -F "
                "-c full_page_writes=off -c synchronous_commit=off -c max_connections=100")
        self._run([self._pg_ctl, "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "postgres.log"),
                   "-w", "-t", "60", "start"], timeout=90)
        self.url = f"postgresql://{self.SUPERUSER}@127.0.0.1:{self.port}/postgres"
        self._n = 0

    def _run(self, cmd: list[str], timeout: float) -> None:
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.dir,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}, **kwargs)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")

    def create_database(self, prefix: str = "t") -> str:
        """A fresh empty database; returns its postgresql:// URL."""
        import psycopg
        self._n += 1
        name = f"{prefix}_{os.getpid()}_{self._n}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.SUPERUSER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return f"postgresql://{self.SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run([self._pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop"], timeout=60)
        except Exception:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- shared, refcounted

_running: dict[str, object] = {}
_users: dict[str, int] = {}
_FACTORIES = {"redis": RedisServer, "rabbitmq": RabbitmqServer, "postgres": PostgresServer}


def acquire(kind: str):
    if kind not in _running:
        _running[kind] = _FACTORIES[kind]()
        _users[kind] = 0
    _users[kind] += 1
    return _running[kind]


def release(kind: str) -> None:
    _users[kind] -= 1
    if _users[kind] <= 0:
        _running.pop(kind).stop()


@atexit.register
def _stop_all() -> None:
    for kind in list(_running):
        try:
            _running.pop(kind).stop()
        except Exception:
            pass


def load():
    """This module (for conftests that load it by path)."""
    import sys
    return sys.modules[__name__]
