"""The fake GitLab's data: projects, groups, tokens, issues, merge requests, epics, discussions, notes, workflows.

Everything lives in memory behind one lock; request handlers run on many threads. Objects are plain dicts shaped
like GitLab's REST entities, plus a few private keys (starting with "_") that are stripped before they are sent.
"""

import datetime
import os
import secrets
import subprocess
import threading


def now_iso():
    """GitLab's timestamp format: UTC with milliseconds, e.g. 2024-05-01T12:00:00.000Z."""
    moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def public(entity):
    """A copy of an entity without the private bookkeeping keys."""
    return {key: value for key, value in entity.items() if not key.startswith("_")}


class NotFound(Exception):
    """An object the request names does not exist; the message is GitLab's ("404 Issue Not Found")."""


class Store:
    TOKEN_KINDS = ("pat", "oauth", "job")

    def __init__(self, data_dir):
        self.lock = threading.RLock()
        self.data_dir = os.path.abspath(data_dir)
        self.repos_dir = os.path.join(self.data_dir, "repos")
        os.makedirs(self.repos_dir, exist_ok=True)
        self.base_url = ""  # set once the port is known
        self.projects = {}  # id -> project dict
        self.groups = {}  # id -> group dict
        self.tokens = {}  # token value -> {"kind", "username", "expired"}
        self.users = {}  # username -> user dict
        self.issues = {}  # (project id, iid) -> issue dict
        self.merge_requests = {}  # (project id, iid) -> merge request dict
        self.epics = {}  # (group id, iid) -> epic dict
        self.discussions = {}  # discussion id -> {"id", "_noteable", "individual_note", "_note_ids"}
        self.notes = {}  # note id -> note dict (private keys: _noteable, _discussion_id)
        self.workflows = []
        self._next_id = {"group": 1000, "user": 1, "issue": 5000, "merge_request": 7000, "epic": 9000,
                         "note": 100000, "workflow": 1}

    def next_id(self, kind):
        with self.lock:
            value = self._next_id[kind]
            self._next_id[kind] = value + 1
            return value

    # ----- users and tokens -------------------------------------------------------------------------------------

    def user(self, username):
        with self.lock:
            if username not in self.users:
                user_id = self.next_id("user")
                self.users[username] = {
                    "id": user_id, "username": username, "name": username, "state": "active", "locked": False,
                    "avatar_url": None, "web_url": f"{self.base_url}/{username}",
                }
            return self.users[username]

    def user_by_id(self, user_id):
        with self.lock:
            return next((user for user in self.users.values() if user["id"] == user_id), None)

    def add_token(self, token, kind, username, expired):
        if kind not in self.TOKEN_KINDS:
            raise ValueError(f"token kind must be one of {', '.join(self.TOKEN_KINDS)}")
        if not token:
            raise ValueError("token must not be empty")
        with self.lock:
            self.tokens[token] = {"kind": kind, "username": username, "expired": bool(expired)}
            self.user(username)

    def token(self, value):
        """The token record when the value is known and not expired, else None."""
        with self.lock:
            record = self.tokens.get(value)
            if record is None or record["expired"]:
                return None
            return dict(record)

    # ----- groups and projects ----------------------------------------------------------------------------------

    def ensure_group(self, full_path, group_id=None):
        with self.lock:
            for group in self.groups.values():
                if group["full_path"].lower() == full_path.lower():
                    return group
            if group_id is None:
                group_id = self.next_id("group")
            parent_path, _, name = full_path.rpartition("/")
            parent = self.ensure_group(parent_path) if parent_path else None
            group = {"id": group_id, "name": name, "path": name, "full_path": full_path,
                     "parent_id": parent["id"] if parent else None, "web_url": f"{self.base_url}/groups/{full_path}"}
            self.groups[group_id] = group
            return group

    def find_group(self, id_or_path):
        with self.lock:
            if id_or_path.isdigit():
                group = self.groups.get(int(id_or_path))
            else:
                group = next((g for g in self.groups.values() if g["full_path"].lower() == id_or_path.lower()), None)
            if group is None:
                raise NotFound("404 Group Not Found")
            return group

    def add_project(self, project_id, path, default_branch):
        path = path.strip("/")
        if not path or "/" not in path:
            raise ValueError("path must be a full path with a namespace, e.g. group/project")
        if path.endswith(".git") or ".." in path.split("/"):
            raise ValueError("path must not end in .git or contain '..'")
        repo_path = os.path.join(self.repos_dir, path + ".git")
        with self.lock:
            if project_id in self.projects:
                raise ValueError(f"project {project_id} already exists")
            namespace_path, _, name = path.rpartition("/")
            namespace = self.ensure_group(namespace_path)
            os.makedirs(os.path.dirname(repo_path), exist_ok=True)
            subprocess.run(["git", "init", "--quiet", "--bare", f"--initial-branch={default_branch}", repo_path],
                           check=True, stdin=subprocess.DEVNULL)
            project = {
                "id": project_id, "name": name, "path": name, "path_with_namespace": path,
                "name_with_namespace": " / ".join(path.split("/")), "description": "",
                "default_branch": default_branch, "visibility": "private",
                "web_url": f"{self.base_url}/{path}",
                "http_url_to_repo": f"{self.base_url}/{path}.git",
                "ssh_url_to_repo": f"git@127.0.0.1:{path}.git",
                "namespace": {"id": namespace["id"], "name": namespace["name"], "path": namespace["path"],
                              "kind": "group", "full_path": namespace["full_path"]},
                "created_at": now_iso(), "_repo_path": repo_path,
            }
            self.projects[project_id] = project
            return project

    def find_project(self, id_or_path):
        with self.lock:
            if id_or_path.isdigit():
                project = self.projects.get(int(id_or_path))
            else:
                wanted = id_or_path.strip("/").lower()
                project = next((p for p in self.projects.values() if p["path_with_namespace"].lower() == wanted), None)
            if project is None:
                raise NotFound("404 Project Not Found")
            return project

    def project_by_repo_path(self, path):
        """The project whose repository is at `group/sub/project` (no .git), or None."""
        with self.lock:
            wanted = path.strip("/").lower()
            return next((p for p in self.projects.values() if p["path_with_namespace"].lower() == wanted), None)

    # ----- issues, merge requests, epics ------------------------------------------------------------------------

    def add_issue(self, project_id, iid, title, description=""):
        with self.lock:
            project = self.find_project(str(project_id))
            issue = {
                "id": self.next_id("issue"), "iid": iid, "project_id": project["id"], "title": title,
                "description": description, "state": "opened", "created_at": now_iso(), "updated_at": now_iso(),
                "labels": [], "user_notes_count": 0, "web_url": f"{project['web_url']}/-/issues/{iid}",
            }
            self.issues[(project["id"], iid)] = issue
            return issue

    def find_issue(self, project, iid):
        with self.lock:
            issue = self.issues.get((project["id"], iid))
            if issue is None:
                raise NotFound("404 Issue Not Found")
            return issue

    def next_merge_request_iid(self, project):
        with self.lock:
            return 1 + max((iid for (pid, iid) in self.merge_requests if pid == project["id"]), default=0)

    def add_merge_request(self, project, author, fields):
        """Stores a merge request built from `fields` (source_branch, target_branch, title, ...), no validation."""
        with self.lock:
            iid = int(fields.get("iid") or self.next_merge_request_iid(project))
            timestamp = now_iso()
            merge_request = {
                "id": self.next_id("merge_request"), "iid": iid, "project_id": project["id"],
                "title": fields.get("title", ""), "description": fields.get("description") or "",
                "state": fields.get("state", "opened"), "created_at": timestamp, "updated_at": timestamp,
                "merged_by": None, "merged_at": None, "closed_by": None, "closed_at": None,
                "target_branch": fields["target_branch"], "source_branch": fields["source_branch"],
                "author": author, "assignees": [], "reviewers": [], "labels": [],
                "source_project_id": int(fields.get("source_project_id") or project["id"]),
                "target_project_id": project["id"],
                "draft": False, "work_in_progress": False, "merge_when_pipeline_succeeds": False,
                "merge_status": "checking", "detailed_merge_status": "checking", "sha": None,
                "force_remove_source_branch": bool(fields.get("remove_source_branch", False)),
                "should_remove_source_branch": None,
                "squash": bool(fields.get("squash", False)),
                "reference": f"!{iid}",
                "references": {"short": f"!{iid}", "relative": f"!{iid}",
                               "full": f"{project['path_with_namespace']}!{iid}"},
                "web_url": f"{project['web_url']}/-/merge_requests/{iid}",
                "user_notes_count": 0, "has_conflicts": False, "blocking_discussions_resolved": True,
            }
            self.merge_requests[(project["id"], iid)] = merge_request
            return merge_request

    def find_merge_request(self, project, iid):
        with self.lock:
            merge_request = self.merge_requests.get((project["id"], iid))
            if merge_request is None:
                raise NotFound("404 Merge Request Not Found")
            return merge_request

    def add_epic(self, group, iid, title):
        with self.lock:
            epic = {"id": self.next_id("epic"), "iid": iid, "group_id": group["id"], "title": title,
                    "description": "", "state": "opened", "created_at": now_iso(),
                    "web_url": f"{self.base_url}/groups/{group['full_path']}/-/epics/{iid}"}
            self.epics[(group["id"], iid)] = epic
            return epic

    def find_epic(self, group, iid):
        with self.lock:
            epic = self.epics.get((group["id"], iid))
            if epic is None:
                raise NotFound("404 Epic Not Found")
            return epic

    def find_epic_by_id(self, group, epic_id):
        with self.lock:
            epic = next((e for e in self.epics.values() if e["id"] == epic_id and e["group_id"] == group["id"]), None)
            if epic is None:
                raise NotFound("404 Epic Not Found")
            return epic

    # ----- notes and discussions ---------------------------------------------------------------------------------
    # A noteable is identified by ("Issue"|"MergeRequest", project id, iid) or ("Epic", group id, iid).

    def noteable_entity(self, noteable):
        kind, parent_id, iid = noteable
        with self.lock:
            if kind == "Issue":
                return self.issues[(parent_id, iid)]
            if kind == "MergeRequest":
                return self.merge_requests[(parent_id, iid)]
            return self.epics[(parent_id, iid)]

    def add_note(self, noteable, author, body, discussion_id=None, system=False):
        """Creates a note; without a discussion id it starts its own single-note ("individual") discussion."""
        kind, parent_id, iid = noteable
        with self.lock:
            entity = self.noteable_entity(noteable)
            if discussion_id is None:
                discussion_id = secrets.token_hex(20)
                self.discussions[discussion_id] = {"id": discussion_id, "individual_note": True,
                                                   "_noteable": noteable, "_note_ids": []}
            discussion = self.discussions[discussion_id]
            timestamp = now_iso()
            note = {
                "id": self.next_id("note"),
                "type": None if discussion["individual_note"] else "DiscussionNote",
                "body": body, "attachment": None, "author": author,
                "created_at": timestamp, "updated_at": timestamp, "system": system,
                "noteable_id": entity["id"], "noteable_type": kind,
                "project_id": parent_id if kind != "Epic" else None,
                "resolvable": False, "confidential": False, "internal": False,
                "imported": False, "imported_from": "none", "noteable_iid": iid, "commands_changes": {},
                "_noteable": noteable, "_discussion_id": discussion_id,
            }
            self.notes[note["id"]] = note
            discussion["_note_ids"].append(note["id"])
            if kind != "Epic":
                entity["user_notes_count"] = entity.get("user_notes_count", 0) + 1
            return note

    def add_discussion(self, noteable, discussion_id, author, body):
        """A threaded discussion (individual_note false) opened by a first note, like GitLab's "Processing" reply."""
        with self.lock:
            if discussion_id in self.discussions:
                raise ValueError(f"discussion {discussion_id} already exists")
            self.discussions[discussion_id] = {"id": discussion_id, "individual_note": False,
                                               "_noteable": noteable, "_note_ids": []}
            return self.add_note(noteable, author, body, discussion_id)

    def find_discussion(self, noteable, discussion_id):
        with self.lock:
            discussion = self.discussions.get(discussion_id)
            if discussion is None or discussion["_noteable"] != noteable:
                raise NotFound("404 Discussion Not Found")
            return discussion

    def find_note(self, noteable, note_id):
        with self.lock:
            note = self.notes.get(note_id)
            if note is None or note["_noteable"] != noteable:
                raise NotFound("404 Note Not Found")
            return note

    def notes_of(self, noteable):
        with self.lock:
            return [note for note in self.notes.values() if note["_noteable"] == noteable]

    def discussions_of(self, noteable):
        with self.lock:
            return [{"id": d["id"], "individual_note": d["individual_note"],
                     "notes": [public(self.notes[note_id]) for note_id in d["_note_ids"]]}
                    for d in self.discussions.values() if d["_noteable"] == noteable]

    # ----- a snapshot for tests ----------------------------------------------------------------------------------

    def snapshot(self):
        with self.lock:
            notes = []
            for note in self.notes.values():
                entry = public(note)
                kind, parent_id, _ = note["_noteable"]
                entry["discussion_id"] = note["_discussion_id"]
                entry["group_id"] = parent_id if kind == "Epic" else None
                notes.append(entry)
            return {"notes": notes, "merge_requests": [public(mr) for mr in self.merge_requests.values()],
                    "workflows": [dict(public(w), request=w.get("_request", {})) for w in self.workflows]}
