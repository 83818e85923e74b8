"""GitLab REST API v4, the parts flowrun uses: user, projects, issues, notes, discussions, merge requests, epics,
and Duo workflows. Shapes, status codes and error bodies follow GitLab's API documentation."""

import re
import secrets
import subprocess
import urllib.parse

from http_messages import Response, error, param_error
from store import NotFound, now_iso, public

NOTE_MAX_LENGTH = 1_000_000
AGENT_PRIVILEGES = [
    (1, "read_write_files", "Allow local filesystem read/write access"),
    (2, "read_only_gitlab", "Allow read only access to GitLab APIs"),
    (3, "read_write_gitlab", "Allow write access to GitLab APIs"),
    (4, "run_commands", "Allow running any commands"),
    (5, "use_git", "Allow git commits, push and other git commands"),
    (6, "run_mcp_tools", "Allow running MCP tools"),
]
MERGE_REQUEST_STATES = ("opened", "closed", "locked", "merged", "all")


class Request:
    def __init__(self, method, segments, params, headers, user, token_kind):
        self.method = method
        self.segments = segments
        self.params = params
        self.headers = headers
        self.user = user
        self.token_kind = token_kind


def authenticate(store, headers, query):
    """The token record for the request: PRIVATE-TOKEN (PAT), Authorization: Bearer (OAuth or PAT), JOB-TOKEN.

    Returns (record, None) or (None, error response)."""
    query_params = urllib.parse.parse_qs(query)
    candidates = []
    if headers.get("PRIVATE-TOKEN") is not None:
        candidates.append((headers.get("PRIVATE-TOKEN"), ("pat",)))
    authorization = headers.get("Authorization") or ""
    if authorization[:7].lower() == "bearer ":
        candidates.append((authorization[7:].strip(), ("pat", "oauth")))
    if headers.get("JOB-TOKEN") is not None:
        candidates.append((headers.get("JOB-TOKEN"), ("job",)))
    for name, kinds in (("private_token", ("pat",)), ("access_token", ("pat", "oauth")), ("job_token", ("job",))):
        if name in query_params:
            candidates.append((query_params[name][-1], kinds))
    if not candidates:
        return None, error(401)
    value, kinds = candidates[0]
    record = store.token(value)
    if record is None or record["kind"] not in kinds:
        return None, error(401)
    return record, None


def handle(store, method, raw_path, query, params, headers):
    """Serves one /api/v4 request; returns a Response."""
    segments = [urllib.parse.unquote(part) for part in raw_path[len("/api/v4/"):].split("/")]
    record, failure = authenticate(store, headers, query)
    if failure:
        return failure
    # A CI job token may read the project but cannot use the notes, discussions, merge request or workflow APIs.
    if record["kind"] == "job" and not (method == "GET" and len(segments) == 2 and segments[0] == "projects"):
        return error(403)
    request = Request(method, segments, params, headers, store.user(record["username"]), record["kind"])
    try:
        return _route(store, request)
    except NotFound as not_found:
        return error(404, str(not_found))


def _route(store, request):
    s = request.segments
    m = request.method
    if s == ["user"]:
        return _only(m, "GET") or Response(200, dict(request.user, bot=True, is_admin=False))
    if s[:3] == ["ai", "duo_workflows", "workflows"]:
        if len(s) == 3:
            return _only(m, "POST") or _create_workflow(store, request)
        if s[3:] == ["agent_privileges"]:
            return _only(m, "GET") or _agent_privileges()
        return _no_route()
    if len(s) >= 2 and s[0] == "projects":
        project = store.find_project(s[1])
        if len(s) == 2:
            return _only(m, "GET") or Response(200, public(project))
        if s[2] == "issues" and len(s) >= 4 and s[3].isdigit():
            issue = store.find_issue(project, int(s[3]))
            if len(s) == 4:
                return _only(m, "GET") or Response(200, public(issue))
            return _noteable_routes(store, request, ("Issue", project["id"], issue["iid"]), s[4:])
        if s[2] == "merge_requests":
            if len(s) == 3:
                if m == "GET":
                    return _list_merge_requests(store, request, project)
                return _only(m, "POST") or _create_merge_request(store, request, project)
            if s[3].isdigit():
                merge_request = store.find_merge_request(project, int(s[3]))
                if len(s) == 4:
                    return _only(m, "GET") or Response(200, _with_head(project, public(merge_request)))
                return _noteable_routes(store, request, ("MergeRequest", project["id"], merge_request["iid"]), s[4:])
        return _no_route()
    if len(s) >= 4 and s[0] == "groups" and s[2] == "epics" and s[3].isdigit():
        group = store.find_group(s[1])
        if len(s) == 4:  # the Epics API takes the epic's iid...
            return _only(m, "GET") or Response(200, public(store.find_epic(group, int(s[3]))))
        # ...but the Notes and Discussions APIs take its global id (":epic_id"), as GitLab does.
        epic = store.find_epic_by_id(group, int(s[3]))
        return _noteable_routes(store, request, ("Epic", group["id"], epic["iid"]), s[4:])
    return _no_route()


def _no_route():
    return Response(404, {"error": "404 Not Found"})


def _only(method, allowed):
    """None when the method is allowed, else GitLab's 405."""
    return None if method == allowed else Response(405, {"error": "405 Not Allowed"})


def _paginate(items, params):
    try:
        page = max(1, int(params.get("page", 1)))
        per_page = min(100, max(1, int(params.get("per_page", 20))))
    except (TypeError, ValueError):
        return None, param_error("page is invalid, per_page is invalid")
    total = len(items)
    total_pages = max(1, (total + per_page - 1) // per_page)
    headers = {"X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(total),
               "X-Total-Pages": str(total_pages), "X-Next-Page": str(page + 1) if page < total_pages else "",
               "X-Prev-Page": str(page - 1) if page > 1 else ""}
    return Response(200, items[(page - 1) * per_page: page * per_page], headers), None


def _body_param(params):
    """The note body, or a 400 response when it is missing, blank or too long."""
    if "body" not in params or params["body"] is None:
        return None, param_error("body is missing")
    body = params["body"]
    if not isinstance(body, str):
        return None, param_error("body is invalid")
    if not body.strip():
        return None, param_error("body is empty")
    if len(body) > NOTE_MAX_LENGTH:
        return None, error(400, {"note": [f"is too long (maximum is {NOTE_MAX_LENGTH} characters)"]})
    return body, None


# ----- notes and discussions on an issue, a merge request or an epic -----------------------------------------------

def _noteable_routes(store, request, noteable, rest):
    m = request.method
    if rest == ["notes"]:
        if m == "GET":
            notes = sorted((public(n) for n in store.notes_of(noteable)), key=lambda n: n["id"],
                           reverse=request.params.get("sort", "desc") != "asc")
            response, failure = _paginate(notes, request.params)
            return failure or response
        return _only(m, "POST") or _create_note(store, request, noteable, None)
    if len(rest) == 2 and rest[0] == "notes" and rest[1].isdigit():
        note = store.find_note(noteable, int(rest[1]))
        if m == "GET":
            return Response(200, public(note))
        return _only(m, "PUT") or _update_note(store, request, note)
    if rest == ["discussions"]:
        if m == "GET":
            response, failure = _paginate(store.discussions_of(noteable), request.params)
            return failure or response
        return _only(m, "POST") or _create_thread(store, request, noteable)
    if len(rest) >= 2 and rest[0] == "discussions":
        discussion = store.find_discussion(noteable, rest[1])
        if len(rest) == 2:
            return _only(m, "GET") or Response(200, _discussion_entity(store, discussion))
        if rest[2:] == ["notes"]:
            return _only(m, "POST") or _create_note(store, request, noteable, discussion)
        if len(rest) == 4 and rest[2] == "notes" and rest[3].isdigit():
            note = store.find_note(noteable, int(rest[3]))
            if note["_discussion_id"] != discussion["id"]:
                raise NotFound("404 Note Not Found")
            if m == "GET":
                return Response(200, public(note))
            return _only(m, "PUT") or _update_note(store, request, note)
    return _no_route()


def _discussion_entity(store, discussion):
    with store.lock:
        return {"id": discussion["id"], "individual_note": discussion["individual_note"],
                "notes": [public(store.notes[note_id]) for note_id in discussion["_note_ids"]]}


def _create_note(store, request, noteable, discussion):
    body, failure = _body_param(request.params)
    if failure:
        return failure
    with store.lock:
        if discussion is not None and discussion["individual_note"]:
            # Replying to a single note turns it into a thread, as in GitLab's UI and API.
            discussion["individual_note"] = False
            for note_id in discussion["_note_ids"]:
                store.notes[note_id]["type"] = "DiscussionNote"
        note = store.add_note(noteable, request.user, body, discussion["id"] if discussion else None)
    return Response(201, public(note))


def _create_thread(store, request, noteable):
    body, failure = _body_param(request.params)
    if failure:
        return failure
    with store.lock:
        note = store.add_discussion(noteable, secrets.token_hex(20), request.user, body)
        return Response(201, _discussion_entity(store, store.discussions[note["_discussion_id"]]))


def _update_note(store, request, note):
    body, failure = _body_param(request.params)
    if failure:
        return failure
    with store.lock:
        if note["author"]["id"] != request.user["id"]:
            return error(403)
        note["body"] = body
        note["updated_at"] = now_iso()
        return Response(200, public(note))


# ----- merge requests ------------------------------------------------------------------------------------------------

def _list_merge_requests(store, request, project):
    params = request.params
    state = params.get("state", "all")
    if state not in MERGE_REQUEST_STATES:
        return param_error("state does not have a valid value")
    with store.lock:
        found = [public(mr) for (pid, _), mr in store.merge_requests.items() if pid == project["id"]]
    found = [mr for mr in found
             if (state == "all" or mr["state"] == state)
             and params.get("source_branch") in (None, mr["source_branch"])
             and params.get("target_branch") in (None, mr["target_branch"])]
    found.sort(key=lambda mr: mr["id"], reverse=params.get("sort", "desc") != "asc")
    response, failure = _paginate(found, params)
    return failure or response


def _branch_head(project, branch):
    result = subprocess.run(["git", "--git-dir", project["_repo_path"], "rev-parse", "--verify", "--quiet",
                             f"refs/heads/{branch}^{{commit}}"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def _with_head(project, merge_request):
    """As GitLab: `sha` is the head of the source branch now (None when the branch is gone)."""
    if merge_request.get("source_project_id") == project["id"]:
        merge_request["sha"] = _branch_head(project, merge_request["source_branch"])
    return merge_request


def _labels(value):
    if isinstance(value, str):
        return [label.strip() for label in value.split(",") if label.strip()]
    return [str(label) for label in value or []]


def _branch_exists(project, branch):
    result = subprocess.run(["git", "--git-dir", project["_repo_path"], "rev-parse", "--verify", "--quiet",
                             f"refs/heads/{branch}"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return result.returncode == 0


def _create_merge_request(store, request, project):
    params = request.params
    missing = [name for name in ("source_branch", "target_branch", "title")
               if not isinstance(params.get(name), str) or not params.get(name)]
    if missing:
        return param_error(", ".join(f"{name} is missing" for name in missing))
    source, target = params["source_branch"], params["target_branch"]
    if source == target:
        return error(422, ["You can't use same project/branch for source and target"])
    if project.get("_validate_branches", True):
        problems = [f"{label} branch \"{name}\" does not exist"
                    for label, name in (("Source", source), ("Target", target)) if not _branch_exists(project, name)]
        if problems:
            return error(400, {"base": problems})
    with store.lock:
        for (pid, _), existing in store.merge_requests.items():
            if (pid == project["id"] and existing["state"] == "opened"
                    and existing["source_branch"] == source and existing["target_branch"] == target):
                return error(409, [f"Another open merge request already exists for this source branch: "
                                   f"!{existing['iid']}"])
        remove_source = params.get("remove_source_branch", False)
        if isinstance(remove_source, str):
            remove_source = remove_source.lower() in ("true", "1", "yes")
        try:
            reviewer_ids = _int_list(params.get("reviewer_ids"), "reviewer_ids") or []
        except ValueError as problem:
            return param_error(str(problem))
        merge_request = store.add_merge_request(project, request.user, {
            "source_branch": source, "target_branch": target, "title": params["title"],
            "description": params.get("description") or "", "remove_source_branch": remove_source,
            "squash": params.get("squash") in (True, "true"),
        })
        # As GitLab: a title starting "Draft:" (or "[Draft]", "(Draft)") makes a draft; unknown reviewers are left out.
        merge_request["draft"] = merge_request["work_in_progress"] = \
            re.match(r"^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s|\[wip\]|wip:|wip\s)",
                     params["title"], re.IGNORECASE) is not None
        merge_request["labels"] = _labels(params.get("labels"))
        merge_request["reviewers"] = [user for user in (store.user_by_id(uid) for uid in reviewer_ids) if user]
        return Response(201, public(merge_request))


# ----- Duo workflows ----------------------------------------------------------------------------------------------

def _agent_privileges():
    return Response(200, {"all_privileges": [
        {"id": pid, "name": name, "description": description, "default_enabled": True}
        for pid, name, description in AGENT_PRIVILEGES]})


def _int_list(value, name):
    if value is None:
        return None
    if isinstance(value, str):
        value = [part for part in value.split(",") if part]
    if not isinstance(value, list):
        raise ValueError(f"{name} is invalid")
    try:
        return [int(item) for item in value]
    except (TypeError, ValueError):
        raise ValueError(f"{name} is invalid") from None


def _create_workflow(store, request):
    params = request.params
    names = {pid: name for pid, name, _ in AGENT_PRIVILEGES}
    try:
        privileges = _int_list(params.get("agent_privileges"), "agent_privileges")
        pre_approved = _int_list(params.get("pre_approved_agent_privileges"), "pre_approved_agent_privileges")
    except ValueError as invalid:
        return param_error(str(invalid))
    privileges = list(names) if privileges is None else privileges
    pre_approved = [] if pre_approved is None else pre_approved
    unknown = [pid for pid in privileges + pre_approved if pid not in names]
    if unknown:
        return error(400, f"400 Bad request - unknown agent privilege ids: {', '.join(map(str, unknown))}")
    if not set(pre_approved) <= set(privileges):
        return error(400, "400 Bad request - pre_approved_agent_privileges must be a subset of agent_privileges")
    environment = params.get("environment")
    if environment is not None and environment not in ("ide", "web", "chat_partial", "chat", "ambient"):
        return param_error("environment does not have a valid value")
    project = None
    if params.get("project_id") not in (None, ""):
        project = store.find_project(str(params["project_id"]))
    namespace_id = project["namespace"]["id"] if project else None
    if params.get("namespace_id") not in (None, ""):
        namespace_id = store.find_group(str(params["namespace_id"]))["id"]
    start = params.get("start_workflow") in (True, "true", "1")
    workflow_id = store.next_id("workflow")
    workflow = {
        "id": workflow_id, "project_id": project["id"] if project else None, "namespace_id": namespace_id,
        "agent_privileges": privileges, "agent_privileges_names": [names[p] for p in privileges],
        "pre_approved_agent_privileges": pre_approved,
        "pre_approved_agent_privileges_names": [names[p] for p in pre_approved],
        "workflow_definition": params.get("workflow_definition") or "software_development",
        "status": "running" if start else "created",
        "allow_agent_to_request_user": params.get("allow_agent_to_request_user", True) not in (False, "false"),
        "image": params.get("image"), "environment": environment,
        "ai_catalog_item_version_id": params.get("ai_catalog_item_version_id"),
        "workload": {"id": f"workload-{workflow_id}", "message": "Workflow started"} if start else None,
        "mcp_enabled": False, "gitlab_url": store.base_url,
        "_request": {key: value for key, value in params.items() if key in (
            "goal", "source_branch", "issue_id", "merge_request_id", "ai_catalog_item_consumer_id",
            "additional_context", "shallow_clone", "start_workflow")},
    }
    with store.lock:
        store.workflows.append(workflow)
    return Response(201, public(workflow))
