"""The GitHub Actions workflow in examples/github-workflow/, checked and run here: its YAML
against a hand-written schema of the workflow syntax, and its `run:` steps executed in order by
bash as a runner would — expressions filled in, `if:` conditions honoured, step outputs and the
job summary in files — against a local fixture: the checkout and its `origin` are local git
repositories, the restored cache is a seeded SQLite file, and the network parts are replaced
(SyncLens comes from this checkout, the fetch answers from the cache, the audit runs
--offline). Every replacement must match the workflow exactly once, so editing the workflow
without this test fails loudly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, REPO
from gitutil import git
from test_audit import CHAT, V7B, story_records
from test_audit import REPO as WIDGET

from core import store
from core.records import HF, CommitRecord, Family, FamilyMember

WORKFLOW = REPO / "examples" / "github-workflow" / "synclens-audit.yml"
SCHEMA = FIXTURES / "audit" / "github-workflow.schema.json"
# the network parts of the workflow, and what runs here instead
LOCAL = {
    'python -m pip install "synclens @ ${SYNCLENS_SOURCE}"': ": SyncLens is on PYTHONPATH",
    '"$SYNCLENS_TARGET" --refresh': '"$SYNCLENS_TARGET"',  # the cache is complete: no network
    "--badge synclens-badge.svg": "--offline --badge synclens-badge.svg",
}
OFFLINE = {  # any request that still tries the network fails at once
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "HF_HUB_OFFLINE": "1",
    "GIT_ALLOW_PROTOCOL": "file",
}


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


# --- the YAML ----------------------------------------------------------------------------------


def test_the_workflow_matches_the_workflow_syntax():
    jsonschema.validate(workflow(), json.loads(SCHEMA.read_text()))


def test_the_schema_rejects_what_github_would():
    schema = json.loads(SCHEMA.read_text())
    bad = workflow()
    bad["jobs"]["audit"]["steps"][0]["runs"] = "echo typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad = workflow()
    bad["on"]["schedule"] = [{"cron": "every day"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_scripts_read_expressions_only_through_env_and_reference_real_steps():
    data = workflow()
    steps = data["jobs"]["audit"]["steps"]
    ids = {s["id"] for s in steps if "id" in s}
    defined = set(data["env"]) | {"GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_SHA"}
    for step in steps:
        run = step.get("run", "")
        assert "${{" not in run, f"{step.get('name')}: an expression in a script can inject"
        used = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", run))
        assert used <= defined | set(step.get("env", {})), step.get("name")
        for ref in re.findall(r"steps\.([\w-]+)\.", json.dumps(step)):
            assert ref in ids
        if "uses" in step:
            assert re.search(r"@v\d+$", step["uses"]), "actions pinned to a major version"
    assert data["jobs"]["audit"]["permissions"] == {"contents": "write"}
    assert data["permissions"] == {"contents": "read"}
    assert set(data["on"]) == {"push", "schedule", "workflow_dispatch"}


# --- a runner, for the `run:` steps ------------------------------------------------------------

_TOKEN = re.compile(r"\s*('(?:[^']|'')*'|\|\||&&|==|!=|!|\(|\)|[A-Za-z_][\w.\-]*)")


def evaluate(expr: str, context: dict[str, str], failed: bool) -> object:
    """A GitHub expression of the few forms the workflow uses: context names, 'strings',
    == != ! && || ( ), always() success() failure()."""
    out, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        assert m, f"cannot read {expr[pos:]!r}"
        tok, pos = m.group(1), m.end()
        if tok.startswith("'"):
            out.append(repr(tok[1:-1].replace("''", "'")))
        elif tok in ("||", "&&", "!"):
            out.append({"||": " or ", "&&": " and ", "!": " not "}[tok])
        elif tok in ("==", "!=", "(", ")"):
            out.append(tok)
        elif tok in ("always", "success", "failure"):
            out.append({"always": "True", "success": str(not failed), "failure": str(failed)}[tok])
            assert expr[pos : pos + 2] == "()"
            pos += 2
        else:
            out.append(repr(context.get(tok, "")))
    return eval("".join(out), {"__builtins__": {}})


def fill(text: str, context: dict[str, str]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), context, False)), text)


@dataclass
class Run:
    steps: dict[str, int | None]  # step name -> exit code (None: skipped, "uses" not run here)
    summary: str
    outputs: dict[str, str]
    origin: Path
    log: str


def run_workflow(tmp_path: Path, db_setup, env: dict[str, str] | None = None) -> Run:
    tmp_path.mkdir(parents=True, exist_ok=True)
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=tmp_path)
    git("clone", "-q", str(origin), str(work), cwd=tmp_path)
    (work / "README.md").write_text("# widget\n")
    author = {"GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.org"}
    author |= {"GIT_COMMITTER_NAME": "dev", "GIT_COMMITTER_EMAIL": "dev@example.org"}
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "widget", cwd=work, env=author)
    git("push", "-q", "origin", "main", cwd=work)
    sha = git("rev-parse", "HEAD", cwd=work).strip()

    data = workflow()
    context = {
        "github.repository": WIDGET,
        "github.ref": "refs/heads/main",
        "github.ref_name": "main",
        "github.event_name": "push",
        "github.event.repository.default_branch": "main",
        "github.run_id": "1",
        "github.token": "",
        "github.sha": sha,
        "secrets.HF_TOKEN": "",
        "vars.SYNCLENS_SOURCE": "git+https://git.example/owner/synclens@v1",
    }
    base = {k: os.environ[k] for k in ("HOME", "LANG") if k in os.environ}
    base |= {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "PYTHONPATH": str(REPO),  # "installed": this checkout
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_SHA": sha,
        "GITHUB_REF_NAME": "main",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        **OFFLINE,
    }
    base |= {k: fill(str(v), context) for k, v in data["env"].items()}
    base |= env or {}
    db_setup(store.open_db(work / base["SYNCLENS_DB"]))  # the cache actions/cache restored

    scripts = {s.get("name", ""): s["run"] for s in data["jobs"]["audit"]["steps"] if "run" in s}
    for network in LOCAL:
        assert sum(r.count(network) for r in scripts.values()) == 1, network

    steps: dict[str, int | None] = {}
    failed, log = False, []
    for i, step in enumerate(data["jobs"]["audit"]["steps"]):
        name = step.get("name") or step.get("uses", f"step {i}")
        if "uses" in step or not evaluate(step.get("if", "success()"), context, failed):
            steps[name] = None
            continue
        script = step["run"]
        for network, local in LOCAL.items():
            script = script.replace(network, local)
        outputs = tmp_path / f"output-{i}"
        outputs.write_text("")
        step_env = base | {k: fill(str(v), context) for k, v in step.get("env", {}).items()}
        step_env["GITHUB_OUTPUT"] = str(outputs)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=work,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        log.append(f"## {name} -> {done.returncode}\n{done.stdout}{done.stderr}")
        steps[name] = done.returncode
        failed = failed or done.returncode != 0
        for line in outputs.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step['id']}.outputs.{key}"] = value
    summary = tmp_path / "summary.md"
    outputs = {k: v for k, v in context.items() if k.startswith("steps.")}
    return Run(
        steps, summary.read_text() if summary.exists() else "", outputs, origin, "\n".join(log)
    )


def seeded(*, in_step: bool):
    """acme/widget (two variants) with its story; with `in_step`, each variant also published
    after the newest GitHub commit, so no variant is behind."""

    def setup(db) -> None:
        family = Family(WIDGET, WIDGET, (FamilyMember(V7B, "card"), FamilyMember(CHAT, "card")))
        store.save_family(db, family)
        records = story_records()
        if in_step:
            when = records[-1].authored_at.replace(day=25)
            records += [
                CommitRecord(HF, v, f"{n:040x}", when, "Upload model", "Upload model")
                for n, v in enumerate((V7B, CHAT), start=100)
            ]
        store.save_commits(db, records)
        for platform, repo in [("GH", WIDGET), ("HF", V7B), ("HF", CHAT)]:
            run = store.start_run(db, platform, repo, "seed")
            n = sum(1 for r in records if r.repo == repo)
            store.finish_run(db, run, status="complete", n_pages=1, n_commits=n, n_new=n)
        db.close()

    return setup


def never_fetched(db) -> None:
    store.save_family(db, Family(WIDGET, WIDGET, (FamilyMember(V7B, "card"),)))
    db.close()


def badge_branch(origin: Path) -> str | None:
    try:
        return git("show", "synclens-badge:synclens-badge.svg", cwd=origin)
    except subprocess.CalledProcessError:
        return None


STALE_ONLY = {"SYNCLENS_FAIL_ON": "stale"}  # drift needs the network


def test_a_family_in_step_passes_and_publishes_its_badge(tmp_path):
    run = run_workflow(tmp_path, seeded(in_step=True), STALE_ONLY)

    assert run.steps["Audit"] == 0 and run.steps["Apply the policy"] == 0, run.log
    assert run.outputs["steps.audit.outputs.exit-code"] == "0"
    assert run.summary.startswith("# Sync audit: acme/widget")
    assert "## Gate: ✅ passed" in run.summary
    assert run.steps["Publish the badge"] == 0
    assert badge_branch(run.origin).startswith("<svg")
    assert run.steps["actions/checkout@v4"] is None  # `uses:` steps are GitHub's, not run here
    head = git("rev-parse", "synclens-badge", cwd=run.origin)
    assert "The badge did not change." in publish_again(tmp_path)  # the next run: no push
    assert git("rev-parse", "synclens-badge", cwd=run.origin) == head


def test_a_stale_variant_fails_the_job_after_the_summary_and_badge(tmp_path):
    run = run_workflow(tmp_path, seeded(in_step=False), STALE_ONLY)

    assert run.steps["Audit"] == 0, run.log  # the step records the code, the summary is kept
    assert run.outputs["steps.audit.outputs.exit-code"] == "3"
    lines = run.summary.splitlines()
    assert lines[4] == "## Gate: ❌ failed" and "acme/widget-7b-chat: 3 since" in run.summary
    assert "sync: " in badge_branch(run.origin)
    assert run.steps["Apply the policy"] == 3


def test_drift_cannot_be_judged_offline_so_the_job_cannot_pass(tmp_path):
    run = run_workflow(tmp_path, seeded(in_step=True))  # the workflow's policy: stale,drift

    assert run.outputs["steps.audit.outputs.exit-code"] == "2", run.log
    assert "| drift | ⚠️ not checked |" in run.summary
    assert run.steps["Apply the policy"] == 2


def test_a_family_never_fetched_says_so_and_publishes_no_badge(tmp_path):
    run = run_workflow(tmp_path, never_fetched, STALE_ONLY)

    assert "::warning::SyncLens could not fetch every repository" in run.log
    assert run.outputs["steps.audit.outputs.exit-code"] == "2"
    assert "**Not audited.** No commits are cached for acme/widget" in run.summary
    assert "Gate" not in run.summary
    assert run.steps["Publish the badge"] == 0 and badge_branch(run.origin) is None
    assert run.steps["Apply the policy"] == 2


def publish_again(where: Path) -> str:
    """The publish step once more, in the same checkout (the next scheduled run)."""
    step = next(
        s for s in workflow()["jobs"]["audit"]["steps"] if s.get("name") == "Publish the badge"
    )
    env = {k: os.environ[k] for k in ("HOME", "PATH") if k in os.environ}
    env |= {k: "bot" for k in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")}
    env |= {k: "bot@example.org" for k in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")}
    env |= {"GITHUB_SHA": "0" * 40, "GIT_ALLOW_PROTOCOL": "file"}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=where / "work",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_without_the_source_variable_the_install_step_says_what_to_set(tmp_path):
    run = run_workflow(tmp_path, never_fetched, {"SYNCLENS_SOURCE": ""})

    assert run.steps["Install SyncLens"] == 2
    assert "::error::Set the repository variable SYNCLENS_SOURCE" in run.log
    assert run.steps["Audit"] is None  # nothing after a failed step runs
