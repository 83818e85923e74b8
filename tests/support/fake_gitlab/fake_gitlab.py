#!/usr/bin/env python3
"""A fake GitLab for flowrun's tests: REST API v4 (notes, discussions, merge requests, epics, Duo workflows) and git
smart HTTP on one loopback port, plus /__admin endpoints to set it up, inject faults and inspect what happened.

Usage: fake_gitlab.py --data-dir DIR [--url-root /PATH] [--verbose] [--no-stdin-watch]
With --url-root the instance lives under that path (http://127.0.0.1:PORT/PATH/api/v4, .../PATH/<project>.git), as
a GitLab installed with a relative URL root does, and anything outside it but /__admin is 404.
Prints `READY <port>` once listening on 127.0.0.1; exits on SIGTERM, SIGINT, or when stdin reaches EOF (so it never
outlives the test that started it). Python standard library only; needs `git` (with http-backend) on PATH.
"""

import sys

sys.dont_write_bytecode = True  # never leave __pycache__ in the source tree

import argparse  # noqa: E402
import http.server  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402

from faults import FaultRules  # noqa: E402
from request_handler import RequestHandler  # noqa: E402
from request_log import RequestLog  # noqa: E402
from store import Store  # noqa: E402


class FakeGitLabServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, data_dir, verbose, url_root=""):
        super().__init__(("127.0.0.1", 0), RequestHandler)
        self.verbose = verbose
        self.url_root = url_root
        self.store = Store(data_dir)
        self.store.base_url = f"http://127.0.0.1:{self.server_address[1]}{url_root}"
        self.faults = FaultRules()
        self.request_log = RequestLog()

    def handle_error(self, request, client_address):
        # A client that goes away mid-request is normal in fault tests; only say more with --verbose.
        if self.verbose:
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="where the bare repositories are created (DIR/repos)")
    parser.add_argument("--url-root", default="", type=_url_root,
                        help="serve the instance under this path, e.g. /gitlab (a relative URL root)")
    parser.add_argument("--verbose", action="store_true", help="log requests (never headers or bodies) to stderr")
    parser.add_argument("--no-stdin-watch", action="store_true", help="keep running when stdin is closed")
    arguments = parser.parse_args()

    server = FakeGitLabServer(arguments.data_dir, arguments.verbose, arguments.url_root)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if not arguments.no_stdin_watch:
        threading.Thread(target=_wait_for_stdin_eof, args=(stop,), daemon=True).start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY {server.server_address[1]}", flush=True)
    while not stop.wait(3600):
        pass
    # Handler threads may be blocked on a client; leave at once instead of waiting for them.
    sys.stdout.flush()
    os._exit(0)


def _url_root(text):
    """The root as "/gitlab" (one leading slash, none trailing), or "" for none."""
    root = text.strip("/")
    if root and (not all(part and part not in (".", "..") for part in root.split("/"))
                 or any(c in root for c in "?#%\\ ")):
        raise argparse.ArgumentTypeError("a URL root is a plain path such as /gitlab")
    return "/" + root if root else ""


def _wait_for_stdin_eof(stop):
    try:
        while sys.stdin.buffer.read1(65536):
            pass
    except (OSError, ValueError):
        pass
    stop.set()


if __name__ == "__main__":
    main()
