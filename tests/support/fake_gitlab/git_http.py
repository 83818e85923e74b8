"""Git smart HTTP, as GitLab serves it: /<project full path>.git/{info/refs,git-upload-pack,git-receive-pack},
HTTP Basic auth with a token as password, answered by `git http-backend` running as a CGI program."""

import base64
import os
import re
import subprocess
import threading
import urllib.parse

from http_messages import Response

GIT_PATH = re.compile(r"^/(?P<project>[^?]+?)(?:\.git)?/(?P<endpoint>info/refs|git-upload-pack|git-receive-pack)$")
BASIC_REALM = {"WWW-Authenticate": 'Basic realm="GitLab"'}
ACCESS_DENIED = ("HTTP Basic: Access denied. If a password was provided for Git authentication, the password was "
                 "incorrect or you're required to use a token instead of a password.\n")


def match(raw_path):
    """(project path, endpoint) when the path is a smart HTTP endpoint, else None."""
    if raw_path.startswith(("/api/", "/__admin/")):
        return None
    found = GIT_PATH.match(urllib.parse.unquote(raw_path))
    return (found.group("project"), found.group("endpoint")) if found else None


def _credentials(headers):
    authorization = headers.get("Authorization") or ""
    if authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    username, separator, password = decoded.partition(":")
    return (username, password) if separator else None


def _authenticate(store, headers):
    """The token record when the Basic credentials are valid for git, as GitLab accepts them: a personal access
    token with any user name, an OAuth token with `oauth2`, a CI job token with `gitlab-ci-token`."""
    credentials = _credentials(headers)
    if credentials is None:
        return None
    username, password = credentials
    record = store.token(password)
    if record is None:
        return None
    required_user = {"oauth": "oauth2", "job": "gitlab-ci-token"}.get(record["kind"])
    if required_user is not None and username != required_user:
        return None
    return record


def serve(handler, store, project_path, endpoint, query, body, verbose):
    """Answers one git request through the handler (a BaseHTTPRequestHandler); returns the status sent."""
    headers = handler.headers
    service = endpoint if endpoint != "info/refs" else urllib.parse.parse_qs(query).get("service", [""])[-1]
    if service not in ("git-upload-pack", "git-receive-pack"):
        return handler.send_complete(Response(403, text="Git dumb HTTP protocol is not supported.\n"))
    record = _authenticate(store, headers)
    if record is None:
        return handler.send_complete(Response(401, text=ACCESS_DENIED, headers=BASIC_REALM))
    project = store.project_by_repo_path(project_path)
    if project is None:
        return handler.send_complete(Response(404, text="The project you were looking for could not be found or "
                                                        "you don't have permission to view it.\n"))
    if service == "git-receive-pack" and record["kind"] == "job":
        return handler.send_complete(Response(403, text="You are not allowed to push code to this project.\n"))
    user = store.user(record["username"])
    path_info = "/" + project["path_with_namespace"] + ".git/" + endpoint
    environment = dict(os.environ)
    environment.update({
        "GIT_PROJECT_ROOT": store.repos_dir, "GIT_HTTP_EXPORT_ALL": "1", "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_METHOD": handler.command, "PATH_INFO": path_info,
        "QUERY_STRING": query, "CONTENT_TYPE": headers.get("Content-Type") or "",
        "REMOTE_USER": user["username"], "REMOTE_ADDR": handler.client_address[0],
        # What GitLab gives its server hooks, so a test hook can look at who pushed.
        "GL_USERNAME": user["username"], "GL_ID": f"user-{user['id']}", "GL_PROTOCOL": "http",
        "GL_PROJECT_PATH": project["path_with_namespace"], "GL_REPOSITORY": f"project-{project['id']}",
    })
    if handler.command == "POST":
        environment["CONTENT_LENGTH"] = str(len(body))
    for header, variable in (("Content-Encoding", "HTTP_CONTENT_ENCODING"), ("Git-Protocol", "HTTP_GIT_PROTOCOL")):
        if headers.get(header):
            environment[variable] = headers.get(header)
    return _run_backend(handler, environment, body, verbose)


def _run_backend(handler, environment, body, verbose):
    backend = subprocess.Popen(["git", "http-backend"], env=environment, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Feed stdin and drain stderr on their own threads: the backend may write before it has read everything.
    feeder = threading.Thread(target=_feed, args=(backend.stdin, body), daemon=True)
    errors = []
    drainer = threading.Thread(target=lambda: errors.append(backend.stderr.read()), daemon=True)
    feeder.start()
    drainer.start()
    try:
        status, cgi_headers = _read_cgi_headers(backend.stdout)
        status_code = handler.start_streamed_response(status, cgi_headers)
        chunked = not any(name.lower() == "content-length" for name, _ in cgi_headers)
        while True:
            data = backend.stdout.read1(65536)
            if not data:
                break
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        if chunked:
            handler.wfile.write(b"0\r\n\r\n")
        return status_code
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True
        backend.kill()
        return 0
    finally:
        backend.stdout.close()
        backend.wait()
        feeder.join()
        drainer.join()
        if verbose and errors and errors[0]:
            handler.log_message("git http-backend: %s", errors[0].decode("utf-8", "replace").strip())


def _feed(pipe, body):
    try:
        pipe.write(body)
    except BrokenPipeError:
        pass
    finally:
        try:
            pipe.close()
        except BrokenPipeError:
            pass


def _read_cgi_headers(stdout):
    """The CGI Status (default 200 OK) and the other headers, read up to the empty line."""
    status = "200 OK"
    cgi_headers = []
    while True:
        line = stdout.readline()
        if not line:
            return "502 Bad Gateway", []
        line = line.rstrip(b"\r\n").decode("latin-1")
        if not line:
            return status, cgi_headers
        name, _, value = line.partition(":")
        if name.strip().lower() == "status":
            status = value.strip()
        else:
            cgi_headers.append((name.strip(), value.strip()))
