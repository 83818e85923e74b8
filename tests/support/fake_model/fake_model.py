#!/usr/bin/env python3
"""A stand-in for a model provider's API, for end-to-end runs of the real agent CLIs: the Anthropic Messages API
(POST /v1/messages and /messages, streamed or not), which Claude Code and opencode use through ANTHROPIC_BASE_URL;
OpenAI's Responses API (POST /v1/responses, streamed), which Codex uses through a configured model provider; and the
Gemini API as Vertex AI serves it (POST .../models/M:generateContent and :streamGenerateContent), which Gemini CLI uses
through GOOGLE_VERTEX_BASE_URL.

The agent's work is scripted by --scenario:
  edit          the first turn calls the agent's file-writing tool (Codex: apply_patch) to create --file-path with a
                line of text; once the tool result comes back, the final message (FINAL_MESSAGE) ends the run;
  refused       as edit, but the second turn asks for what the flow does not allow: Claude Code's Bash tool for
                `git push`, or (other CLIs) a write to --outside-path, outside the work tree; then the final message;
  unauthorized  every request gets 401 with Anthropic's authentication_error.
Every answer reports 1200 input and 34 output tokens.
Requests that offer no tools (titles, summaries the CLIs ask for on the side) get a one-line text answer.

Usage: fake_model.py --scenario S --file-path ABSOLUTE_PATH [--outside-path ABSOLUTE_PATH] [--log FILE]
Prints `READY <port>` once listening on 127.0.0.1 (an ephemeral port); exits on SIGTERM, SIGINT or stdin EOF.
--log appends one JSON line per request (path, tools offered, what was answered) for the test to assert on.
Python standard library only.
"""

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import http.server  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
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


def tool_results(messages):
    count = 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            count += sum(1 for b in content if isinstance(b, dict) and b.get("type") == "tool_result")
    return count


def write_call(tools, path, call_id):
    writer = tool_named(tools, "write", "write_file")
    if writer is None:
        return None
    return {"type": "tool_use", "id": call_id, "name": writer["name"],
            "input": {path_key(writer): path, "content": FILE_TEXT}}


def plan_answer(request, arguments):
    """The content blocks of the answer, its stop reason, and what it was (for the log)."""
    tools = request.get("tools") or []
    if not tools:
        return [{"type": "text", "text": "Greeting file"}], "end_turn", "side request"
    done = tool_results(request.get("messages", []))
    if done == 0:
        call = write_call(tools, arguments.file_path, "toolu_standin_1")
        if call is None:
            return [{"type": "text", "text": "No tool to write files with."}], "end_turn", "no writer"
        return [{"type": "text", "text": "Creating the file."}, call], "tool_use", "write tool call"
    if done == 1 and arguments.scenario == "refused":
        if any(t.get("name") == "Bash" for t in tools):
            call = {"type": "tool_use", "id": "toolu_standin_2", "name": "Bash",
                    "input": {"command": "git push --force origin HEAD:main", "description": "Push the change"}}
            return [call], "tool_use", "refused shell call"
        call = write_call(tools, arguments.outside_path, "toolu_standin_2")
        return [call], "tool_use", "refused write call"
    return [{"type": "text", "text": FINAL_MESSAGE}], "end_turn", "final message"


def responses_tool_results(request):
    items = request.get("input") or []
    return sum(1 for item in items if isinstance(item, dict) and str(item.get("type", "")).endswith("_output"))


def plan_response(request, arguments):
    """Responses API output items: an apply_patch call that adds the file, then the final message."""
    if responses_tool_results(request) == 0:
        name = os.path.basename(arguments.file_path)
        patch = f"*** Begin Patch\n*** Add File: {name}\n+{FILE_TEXT.rstrip()}\n*** End Patch\n"
        # Codex's apply_patch is a freeform ("custom") tool: the patch is the call's input as it is.
        return [{"type": "custom_tool_call", "name": "apply_patch", "input": patch, "call_id": "call_standin_1"}], \
            "apply_patch call"
    return [{"type": "message", "role": "assistant", "id": "msg_standin",
             "content": [{"type": "output_text", "text": FINAL_MESSAGE}]}], "final message"


def gemini_tool_results(request):
    count = 0
    for content in request.get("contents") or []:
        for part in (content or {}).get("parts") or []:
            if isinstance(part, dict) and "functionResponse" in part:
                count += 1
    return count


def gemini_declarations(request):
    declarations = []
    for tool in request.get("tools") or []:
        declarations += (tool or {}).get("functionDeclarations") or []
    return declarations


def plan_gemini(request, arguments):
    """Gemini API parts: a write_file call, then the final message; requests without tools get a line of text."""
    declarations = gemini_declarations(request)
    if not declarations:
        return [{"text": "Greeting file"}], "side request"
    if gemini_tool_results(request) == 0:
        writer = next((d for d in declarations if d.get("name") in ("write_file", "write")), None)
        if writer:
            return [{"text": "Creating the file."},
                    {"functionCall": {"name": writer["name"],
                                      "args": {"file_path": arguments.file_path, "content": FILE_TEXT}}}], \
                "write tool call"
    return [{"text": FINAL_MESSAGE}], "final message"


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
        if ":generateContent" in path or ":streamGenerateContent" in path:
            parts, what = plan_gemini(request, server.arguments)
            server.record({"path": path, "answer": what,
                           "tools": [d.get("name") for d in gemini_declarations(request)]})
            answer = {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP",
                                      "index": 0}],
                      "usageMetadata": {"promptTokenCount": USAGE["input_tokens"],
                                        "candidatesTokenCount": USAGE["output_tokens"],
                                        "totalTokenCount": USAGE["input_tokens"] + USAGE["output_tokens"]},
                      "modelVersion": MODEL}
            if ":streamGenerateContent" in path:
                data = f"data: {json.dumps(answer)}\r\n\r\n".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return self.wfile.write(data)
            return self.send_json(200, answer)
        if ":countTokens" in path:
            server.record({"path": path, "answer": "count"})
            return self.send_json(200, {"totalTokens": USAGE["input_tokens"]})
        if path.endswith("/token"):
            server.record({"path": path, "answer": "token"})
            return self.send_json(200, {"access_token": "ya29.stand-in", "token_type": "Bearer", "expires_in": 3600})
        if path.endswith("/responses"):
            items, what = plan_response(request, server.arguments)
            server.record({"path": path, "answer": what, "stream": bool(request.get("stream")),
                           "tools": [t.get("name") for t in request.get("tools") or [] if isinstance(t, dict)]})
            return self.send_response_events(items)
        if not path.endswith("/messages"):
            server.record({"path": path, "answer": "404"})
            return self.send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": path}})
        blocks, stop_reason, what = plan_answer(request, server.arguments)
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

    def send_response_events(self, items):
        response = {"id": "resp_standin", "object": "response", "model": MODEL, "status": "completed"}
        events = [("response.created", {"type": "response.created", "response": dict(response, status="in_progress")})]
        for index, item in enumerate(items):
            events.append(("response.output_item.done", {"type": "response.output_item.done", "output_index": index,
                                                         "item": item}))
        usage = {"input_tokens": USAGE["input_tokens"], "input_tokens_details": {"cached_tokens": 0},
                 "output_tokens": USAGE["output_tokens"], "output_tokens_details": {"reasoning_tokens": 0},
                 "total_tokens": USAGE["input_tokens"] + USAGE["output_tokens"]}
        events.append(("response.completed", {"type": "response.completed",
                                              "response": dict(response, output=items, usage=usage)}))
        self.send_events(events)

    def send_events(self, events):
        data = "".join(f"event: {name}\ndata: {json.dumps(payload)}\n\n" for name, payload in events).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
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
        self.send_events(events)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, arguments):
        super().__init__(("127.0.0.1", 0), Handler)
        self.arguments = arguments
        self.scenario = arguments.scenario
        self.log_path = arguments.log
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
    parser.add_argument("--outside-path", default="/nonexistent/outside.txt", help="a path outside the work tree")
    parser.add_argument("--log", help="append one JSON line per request here")
    arguments = parser.parse_args()
    server = Server(arguments)
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
