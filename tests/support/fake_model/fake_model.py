#!/usr/bin/env python3
"""A stand-in for a model provider's API, for end-to-end runs of the real agent CLIs: the Anthropic Messages API
(POST /v1/messages and /messages, streamed or not), which Claude Code and opencode use through ANTHROPIC_BASE_URL.

The agent's work is scripted by --scenario:
  edit          the first turn calls the agent's file-writing tool to create --file-path with a line of text; once the
                tool result comes back, the final message (FINAL_MESSAGE) ends the run;
  refused       the first turn calls the shell tool (a command the flow does not allow), then the final message;
  unauthorized  every request gets 401 with Anthropic's authentication_error.
Requests that offer no tools (titles, summaries the CLIs ask for on the side) get a one-line text answer.

Usage: fake_model.py --scenario S --file-path ABSOLUTE_PATH [--log FILE]
Prints `READY <port>` once listening on 127.0.0.1 (an ephemeral port); exits on SIGTERM, SIGINT or stdin EOF.
--log appends one JSON line per request (path, tools offered, what was answered) for the test to assert on.
Python standard library only.
"""

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import http.server  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402

FINAL_MESSAGE = "I created the greeting file as asked.\n\nThe file holds one line: hello from the stand-in model."
FILE_TEXT = "hello from the stand-in model\n"
USAGE = {"input_tokens": 1200, "output_tokens": 34}
MODEL = "stand-in-model-1"


def tool_named(tools, *names):
    for wanted in names:
        for tool in tools:
            if tool.get("name", "").lower() == wanted:
                return tool
    return None


def path_key(tool):
    properties = tool.get("input_schema", {}).get("properties", {})
    for key in ("file_path", "filePath", "path"):
        if key in properties:
            return key
    return "file_path"


def saw_tool_result(messages):
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content):
            return True
    return False


def plan_answer(request, scenario, file_path):
    """The content blocks of the answer and its stop reason."""
    tools = request.get("tools") or []
    if not tools:
        return [{"type": "text", "text": "Greeting file"}], "end_turn", "side request"
    if saw_tool_result(request.get("messages", [])):
        return [{"type": "text", "text": FINAL_MESSAGE}], "end_turn", "final message"
    if scenario == "refused":
        shell = tool_named(tools, "bash", "shell")
        if shell:
            call = {"type": "tool_use", "id": "toolu_standin_1", "name": shell["name"],
                    "input": {"command": "git push --force origin HEAD:main", "description": "Push the change"}}
            return [call], "tool_use", "shell tool call"
    writer = tool_named(tools, "write", "write_file")
    if writer is None:
        return [{"type": "text", "text": "No tool to write files with."}], "end_turn", "no writer"
    call_input = {path_key(writer): file_path, "content": FILE_TEXT}
    call = {"type": "tool_use", "id": "toolu_standin_1", "name": writer["name"], "input": call_input}
    return [{"type": "text", "text": "Creating the file."}, call], "tool_use", "write tool call"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_GET(self):
        self.send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": "not found"}})

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0]
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = {}
        server = self.server
        if server.scenario == "unauthorized":
            server.record({"path": path, "answer": "401"})
            return self.send_json(401, {"type": "error", "error": {"type": "authentication_error",
                                                                   "message": "invalid x-api-key"}})
        if not path.endswith("/messages"):
            server.record({"path": path, "answer": "404"})
            return self.send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": path}})
        blocks, stop_reason, what = plan_answer(request, server.scenario, server.file_path)
        server.record({"path": path, "answer": what, "stream": bool(request.get("stream")),
                       "tools": [t.get("name") for t in request.get("tools") or []]})
        message = {"id": "msg_standin", "type": "message", "role": "assistant", "model": MODEL, "content": blocks,
                   "stop_reason": stop_reason, "stop_sequence": None, "usage": USAGE}
        if request.get("stream"):
            self.send_stream(message)
        else:
            self.send_json(200, message)

    def send_json(self, status, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("request-id", "req_standin")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_stream(self, message):
        events = [("message_start", {"type": "message_start", "message": dict(
            message, content=[], stop_reason=None, usage={"input_tokens": USAGE["input_tokens"], "output_tokens": 1})})]
        for index, block in enumerate(message["content"]):
            if block["type"] == "text":
                events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                       "content_block": {"type": "text", "text": ""}}))
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                                       "delta": {"type": "text_delta", "text": block["text"]}}))
            else:
                events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                       "content_block": dict(block, input={})}))
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                    "type": "input_json_delta", "partial_json": json.dumps(block["input"])}}))
            events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": message["stop_reason"],
                                                                            "stop_sequence": None},
                                         "usage": {"output_tokens": USAGE["output_tokens"]}}))
        events.append(("message_stop", {"type": "message_stop"}))
        data = "".join(f"event: {name}\ndata: {json.dumps(payload)}\n\n" for name, payload in events).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("request-id", "req_standin")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, scenario, file_path, log_path):
        super().__init__(("127.0.0.1", 0), Handler)
        self.scenario = scenario
        self.file_path = file_path
        self.log_path = log_path
        self.lock = threading.Lock()

    def record(self, entry):
        if not self.log_path:
            return
        with self.lock, open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["edit", "refused", "unauthorized"], default="edit")
    parser.add_argument("--file-path", required=True, help="the absolute path the agent is told to write")
    parser.add_argument("--log", help="append one JSON line per request here")
    arguments = parser.parse_args()
    server = Server(arguments.scenario, arguments.file_path, arguments.log)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY {server.server_address[1]}", flush=True)
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
