"""One HTTP/1.1 connection of the fake GitLab: reads each request, applies injected faults, records it, and hands it
to the admin, git or REST API code."""

import http.server
import socket
import sys
import time
import traceback

import admin_api
import git_http
import rest_api
import web_pages
from http_messages import BadRequest, Response, error, parse_params, read_body, reason, status_message


class RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitLab"
    sys_version = ""

    def version_string(self):
        return self.server_version

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format, *args):
        # Quiet unless --verbose; request lines are logged without their query string (tokens can hide there).
        if self.server.verbose:
            sys.stderr.write("fake_gitlab: " + (format % args) + "\n")

    def log_request(self, code="-", size="-"):
        if self.server.verbose:
            self.log_message("%s %s -> %s", self.command, self.path.partition("?")[0], code)

    # ----- responses ------------------------------------------------------------------------------------------------

    def send_complete(self, response):
        """Records the request (before the client can see the answer) and sends a whole response."""
        self._record(response.status)
        self.send_response(response.status, reason(response.status))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)
        return response.status

    def start_streamed_response(self, status_line, headers):
        """Records the request and sends the status and headers of a response whose body follows; without a
        Content-Length among the headers the body must be sent chunked."""
        code_text, _, phrase = status_line.partition(" ")
        code = int(code_text) if code_text.isdigit() else 502
        self._record(code)
        self.send_response(code, phrase or reason(code))
        for name, value in headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        return code

    def _record(self, status):
        if self._entry is not None:
            self._entry["status"] = status
            self.server.request_log.add(self._entry)
            self._entry = None

    # ----- dispatch -------------------------------------------------------------------------------------------------

    def _dispatch(self):
        self._entry = None
        raw_path, _, query = self.path.partition("?")
        try:
            body = read_body(self.rfile, self.headers)
        except BadRequest as bad:
            self.close_connection = True
            self.send_complete(error(400, f"400 Bad request - {bad}"))
            return
        if raw_path.startswith("/__admin/"):
            self.send_complete(admin_api.handle(self.server, self.command, raw_path, body))
            return
        inside_root, path = self._within_root(raw_path)
        git_target = git_http.match(path)
        kind = "git" if git_target else "web" if inside_root and _is_page(self.command, path) else "api"
        self._entry = {"method": self.command, "path": raw_path, "query": query,
                       "headers": {name.lower(): value for name, value in self.headers.items()},
                       "body": "" if git_target else body.decode("utf-8", "replace"), "kind": kind}
        try:
            if self._apply_fault(raw_path):
                return
            if not inside_root:
                self.send_complete(Response(404, {"error": "404 Not Found"}))
            elif git_target:
                git_http.serve(self, self.server.store, git_target[0], git_target[1], query, body,
                               self.server.verbose)
            elif path.startswith("/api/v4/"):
                try:
                    params = parse_params(query, body, self.headers.get("Content-Type"))
                except BadRequest as bad:
                    self.send_complete(error(400, f"400 Bad request - {bad}"))
                    return
                self.send_complete(rest_api.handle(self.server.store, self.command, path, query, params,
                                                   self.headers))
            elif kind == "web":
                self.send_complete(web_pages.handle(self.server.store, path))
            else:
                self.send_complete(Response(404, {"error": "404 Not Found"}))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as failure:  # a bug in the fake: answer 500 and say where, without request data
            self.close_connection = True
            sys.stderr.write(f"fake_gitlab: internal error on {self.command} {raw_path}: "
                             f"{type(failure).__name__}\n")
            if self.server.verbose:
                traceback.print_exc()
            if self._entry is not None:
                self.send_complete(error(500))

    def _within_root(self, raw_path):
        """(True, the path below the instance's relative URL root) when the request is under it, else (False, the
        path as sent): a client that ignores the root gets nothing but 404."""
        root = self.server.url_root
        if not root:
            return True, raw_path
        if raw_path == root:
            return True, "/"
        if raw_path.startswith(root + "/"):
            return True, raw_path[len(root):]
        return False, raw_path

    def _apply_fault(self, raw_path):
        """Applies the first matching injected fault; True when it replaced the real answer."""
        fault = self.server.faults.take(self.command, raw_path)
        if fault is None:
            return False
        if fault.delay_ms:
            time.sleep(fault.delay_ms / 1000.0)
        if fault.drop_connection:
            self._record(0)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if fault.status:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            if fault.location is not None:
                # The rest of the request's path and its query carried over, as a moved server would answer.
                query = self.path.partition("?")[2]
                headers["Location"] = fault.location + raw_path + ("?" + query if query else "")
            self.send_complete(Response(fault.status, {"message": status_message(fault.status)}, headers))
            return True
        return False


def _is_page(method, path):
    """A browser's request for a page (what a link in a note leads to), not an API or git request."""
    return method == "GET" and not path.startswith(("/api/", "/__admin/"))
