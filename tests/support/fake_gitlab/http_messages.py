"""Small pieces of HTTP shared by the API, git and admin handlers: request bodies, parameters, JSON responses."""

import http
import json
import urllib.parse


class BadRequest(Exception):
    """The request cannot be read (bad chunked framing, bad JSON...)."""


def read_body(rfile, headers):
    """The request body, de-chunked when sent with Transfer-Encoding: chunked (git and libgit2 do for large pushes)."""
    transfer_encoding = (headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in transfer_encoding:
        return _read_chunked(rfile)
    length = headers.get("Content-Length")
    if length is None:
        return b""
    try:
        size = int(length)
    except ValueError:
        raise BadRequest("Content-Length is not a number") from None
    body = rfile.read(size)
    if len(body) != size:
        raise BadRequest("the connection closed before the whole body arrived")
    return body


def _read_chunked(rfile):
    parts = []
    while True:
        line = rfile.readline(65537)
        if not line:
            raise BadRequest("the connection closed inside a chunked body")
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise BadRequest("bad chunk size line") from None
        if size == 0:
            # Trailer lines, if any, end with an empty line.
            while True:
                trailer = rfile.readline(65537)
                if trailer in (b"\r\n", b"\n", b""):
                    return b"".join(parts)
        chunk = rfile.read(size)
        if len(chunk) != size:
            raise BadRequest("the connection closed inside a chunk")
        parts.append(chunk)
        if rfile.readline(3) not in (b"\r\n", b"\n"):
            raise BadRequest("a chunk is not followed by CRLF")


def parse_params(query, body, content_type):
    """GitLab's request parameters: the query string merged with a JSON or form body (the body wins)."""
    params = {key: values[-1] for key, values in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if not body:
        return params
    if media_type == "application/json" or (not media_type and body.lstrip()[:1] == b"{"):
        try:
            decoded = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(decoded, dict):
            raise BadRequest("the JSON body must be an object")
        params.update(decoded)
    elif media_type in ("application/x-www-form-urlencoded", ""):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the form body is not UTF-8") from None
        params.update({key: values[-1] for key, values
                       in urllib.parse.parse_qs(text, keep_blank_values=True).items()})
    else:
        raise BadRequest(f"unsupported Content-Type {media_type}")
    return params


def reason(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def status_message(status):
    """GitLab's generic error text, e.g. "404 Not Found" or "429 Too Many Requests"."""
    return f"{status} {reason(status)}"


class Response:
    """A complete (not streamed) response."""

    def __init__(self, status, payload=None, headers=None, text=None):
        self.status = status
        self.headers = dict(headers or {})
        if text is not None:
            self.body = text.encode("utf-8")
            self.headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        else:
            self.body = json.dumps(payload if payload is not None else {}, ensure_ascii=False).encode("utf-8")
            self.headers.setdefault("Content-Type", "application/json")


def error(status, message=None):
    """GitLab's error body: {"message": ...} (a string, or a list/dict for validation errors)."""
    return Response(status, {"message": message if message is not None else status_message(status)})


def param_error(text):
    """GitLab's (Grape's) parameter validation error: 400 {"error": "body is missing"}."""
    return Response(400, {"error": text})
