"""/__admin endpoints (no auth): tests set up projects, tokens, issues, merge requests, epics, discussions and
faults, and read back the recorded requests and the resulting state."""

import json
import re

from http_messages import BadRequest, Response
from store import NotFound

DISCUSSION_ID = re.compile(r"^[0-9a-f]{40}$")
NOTEABLE_KINDS = {"issue": "Issue", "merge_request": "MergeRequest", "epic": "Epic"}


def handle(server, method, path, body):
    """Serves one admin request; problems come back as 400/404 {"message": ...} naming the bad field."""
    try:
        payload = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Response(400, {"message": "admin request body must be a JSON object"})
    if not isinstance(payload, dict):
        return Response(400, {"message": "admin request body must be a JSON object"})
    routes = {
        ("POST", "/__admin/projects"): _add_project, ("POST", "/__admin/tokens"): _add_token,
        ("POST", "/__admin/issues"): _add_issue, ("POST", "/__admin/merge_requests"): _add_merge_request,
        ("POST", "/__admin/epics"): _add_epic, ("POST", "/__admin/discussions"): _add_discussion,
        ("POST", "/__admin/faults"): _add_fault, ("GET", "/__admin/requests"): _requests,
        ("GET", "/__admin/state"): _state, ("POST", "/__admin/reset"): _reset,
    }
    route = routes.get((method, path))
    if route is None:
        return Response(404, {"message": f"no admin endpoint {method} {path}"})
    try:
        return route(server, payload)
    except KeyError as missing:
        return Response(400, {"message": f"missing field {missing.args[0]}"})
    except (ValueError, TypeError, BadRequest) as invalid:
        return Response(400, {"message": str(invalid)})
    except NotFound as not_found:
        return Response(404, {"message": str(not_found)})


def _add_project(server, payload):
    project = server.store.add_project(int(payload["id"]), str(payload["path"]),
                                       str(payload.get("default_branch") or "main"))
    project["_validate_branches"] = bool(payload.get("validate_branches", True))
    return Response(201, {"repo_path": project["_repo_path"], "id": project["id"],
                          "namespace_id": project["namespace"]["id"]})


def _add_token(server, payload):
    server.store.add_token(str(payload["token"]), str(payload.get("kind") or "pat"),
                           str(payload.get("username") or "flowrun-bot"), bool(payload.get("expired", False)))
    return Response(201, {"username": payload.get("username") or "flowrun-bot"})


def _add_issue(server, payload):
    issue = server.store.add_issue(int(payload["project_id"]), int(payload["iid"]),
                                   str(payload.get("title") or f"Issue {payload['iid']}"),
                                   str(payload.get("description") or ""))
    return Response(201, {"id": issue["id"], "iid": issue["iid"]})


def _add_merge_request(server, payload):
    store = server.store
    project = store.find_project(str(payload["project_id"]))
    author = store.user(str(payload.get("author") or "someone"))
    fields = {"source_branch": str(payload["source_branch"]),
              "target_branch": str(payload.get("target_branch") or project["default_branch"]),
              "title": str(payload.get("title") or "A merge request"),
              "description": str(payload.get("description") or ""), "state": str(payload.get("state") or "opened"),
              "iid": payload.get("iid"), "remove_source_branch": bool(payload.get("remove_source_branch", False)),
              "source_project_id": payload.get("source_project_id")}
    if fields["state"] not in ("opened", "closed", "locked", "merged"):
        raise ValueError("state must be opened, closed, locked or merged")
    merge_request = store.add_merge_request(project, author, fields)
    return Response(201, {"id": merge_request["id"], "iid": merge_request["iid"]})


def _group_of(store, payload):
    """The group named by group_id (a number or a full path), created when unknown; group_path names a new
    numbered group."""
    group_id = payload["group_id"]
    if isinstance(group_id, int) or (isinstance(group_id, str) and group_id.isdigit()):
        try:
            return store.find_group(str(group_id))
        except NotFound:
            return store.ensure_group(str(payload.get("group_path") or f"group-{group_id}"), int(group_id))
    return store.ensure_group(str(group_id).strip("/"))


def _add_epic(server, payload):
    group = _group_of(server.store, payload)
    epic = server.store.add_epic(group, int(payload["iid"]), str(payload.get("title") or f"Epic {payload['iid']}"))
    return Response(201, {"id": epic["id"], "iid": epic["iid"], "group_id": group["id"],
                          "group_path": group["full_path"]})


def _add_discussion(server, payload):
    store = server.store
    kind = NOTEABLE_KINDS.get(str(payload.get("noteable") or "issue"))
    if kind is None:
        raise ValueError("noteable must be issue, merge_request or epic")
    iid = int(payload["iid"])
    if kind == "Epic":
        group = _group_of(store, payload)
        noteable = (kind, group["id"], store.find_epic(group, iid)["iid"])
    else:
        project = store.find_project(str(payload["project_id"]))
        finder = store.find_issue if kind == "Issue" else store.find_merge_request
        noteable = (kind, project["id"], finder(project, iid)["iid"])
    discussion_id = str(payload["id"])
    if not DISCUSSION_ID.match(discussion_id):
        raise ValueError("id must be 40 lowercase hex characters, like a GitLab discussion id")
    author = store.user(str(payload.get("author") or "duo-developer"))
    note = store.add_discussion(noteable, discussion_id, author,
                                str(payload.get("body") or "🔄 Processing the request..."))
    return Response(201, {"id": discussion_id, "note_id": note["id"]})


def _add_fault(server, payload):
    server.faults.add(payload)
    return Response(201, {})


def _requests(server, _payload):
    return Response(200, {"requests": server.request_log.entries()})


def _state(server, _payload):
    return Response(200, server.store.snapshot())


def _reset(server, _payload):
    server.request_log.clear()
    server.faults.clear()
    return Response(200, {})
