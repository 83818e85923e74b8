"""The web pages behind the links GitLab's API returns and flowrun writes (projects, issues, merge requests, jobs,
pipelines, branches, commits, comparisons, groups, epics, users): 200 with a small HTML page when the thing exists,
404 when it does not, so a test can follow every link in a note. No sign-in: the pages only say what they show."""

import html
import re
import subprocess
import urllib.parse

from http_messages import Response
from store import NotFound

HEX = re.compile(r"^[0-9a-fA-F]{7,64}$")


def handle(store, path):
    """Serves one GET of a page under the instance's root; `path` starts with "/" and is still URL-encoded."""
    decoded = urllib.parse.unquote(path).strip("/")
    try:
        title = _describe(store, decoded)
    except NotFound:
        title = None
    if title is None:
        return Response(404, text="404 Page Not Found\n")
    page = f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>{html.escape(title)}</body>" \
           "</html>\n"
    return Response(200, text=page, headers={"Content-Type": "text/html; charset=utf-8"})


def _describe(store, path):
    """The page's title when `path` (decoded, without slashes around it) names something that exists, else None."""
    if not path:
        return "GitLab"
    owner, separator, rest = path.partition("/-/")
    if owner.startswith("groups/"):
        group = store.find_group(owner[len("groups/"):])
        if not separator:
            return group["full_path"]
        kind, _, iid = rest.partition("/")
        if kind == "epics" and iid.isdigit():
            return store.find_epic(group, int(iid))["title"]
        return None
    if not separator and "/" not in path:
        with store.lock:
            user = store.users.get(path)
        return user["name"] if user else None
    if owner.isdigit():  # the API takes project ids, the web only paths
        return None
    project = store.find_project(owner)
    if not separator:
        return project["name_with_namespace"]
    kind, _, argument = rest.partition("/")
    if not argument:
        return None
    if kind == "issues" and argument.isdigit():
        return store.find_issue(project, int(argument))["title"]
    if kind == "merge_requests" and argument.isdigit():
        return store.find_merge_request(project, int(argument))["title"]
    # The fake keeps no CI records: any numeric job or pipeline id of an existing project is a page.
    if kind in ("jobs", "pipelines") and argument.isdigit():
        return f"{kind[:-1].capitalize()} #{argument}"
    if kind == "tree" and _resolves(project, f"refs/heads/{argument}"):
        return f"{project['path']} at {argument}"
    if kind == "commit" and HEX.match(argument) and _resolves(project, f"{argument}^{{commit}}"):
        return f"Commit {argument}"
    if kind == "compare" and "..." in argument:
        base, _, head = argument.partition("...")
        if _is_revision(project, base) and _is_revision(project, head):
            return f"Compare {base}...{head}"
    return None


def _is_revision(project, name):
    """A branch, or a commit id, of the project's repository."""
    if HEX.match(name) and _resolves(project, f"{name}^{{commit}}"):
        return True
    return _resolves(project, f"refs/heads/{name}")


def _resolves(project, revision):
    if revision.startswith("-"):
        return False
    result = subprocess.run(["git", "--git-dir", project["_repo_path"], "rev-parse", "--verify", "--quiet",
                             "--end-of-options", revision], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return result.returncode == 0
