"""Real HTTP endpoints on 127.0.0.1 for the alert tests (imported by module name): each
answers POSTs with a scripted sequence of behaviours and records what it received."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Endpoint:
    """``Endpoint([503, 503, 204])``: the n-th request gets the n-th answer (the last one
    repeats).  An answer is a status, ``("redirect", status, location)`` or ``("slow",
    seconds, status)``.  ``received`` lists {method, path, headers, body, at}."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.received.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                       "body": body, "at": time.monotonic()})
                answer = owner.answers[min(len(owner.received), len(owner.answers)) - 1]
                if isinstance(answer, tuple) and answer[0] == "slow":
                    time.sleep(answer[1])
                    answer = answer[2]
                if isinstance(answer, tuple) and answer[0] == "redirect":
                    self.send_response(answer[1])
                    self.send_header("Location", answer[2])
                else:
                    self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET = do_PUT = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
