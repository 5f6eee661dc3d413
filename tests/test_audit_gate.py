"""The CI gate on a family whose story is known (tests/test_audit.py's acme/widget): which rules
fail, how the policy's clock moves them, what cannot be told, and the command's exit codes —
including a family that was never fetched, which is never audited as if complete."""

import json

import pytest
from test_audit import BIG, CHAT, REPO, TODAY, V7B, audit, story_frame, story_records

from core import store
from core.audit import audit_family
from core.audit.coverage import Coverage, CoverageState, coverage_from_counts
from core.audit.gate import GatePolicy, Outcome, judge
from core.audit.render import render_markdown
from core.errors import InputError
from core.records import GH, HF, Family, FamilyMember


def policy(rules="stale,drift,unreplicated", **kw) -> GatePolicy:
    return GatePolicy.parse(rules, **kw)


def outcomes(verdict) -> dict[str, Outcome]:
    return {r.rule: r.outcome for r in verdict.results}


# --- the policy --------------------------------------------------------------------------------


def test_the_policy_reads_the_command_line_words():
    p = policy("stale, drift,stale", max_lag_days=14, since="2024-06-01")
    assert p.fail_on == ("stale", "drift") and p.max_lag_days == 14
    assert p.since.isoformat() == "2024-06-01T00:00:00+00:00"
    assert p.describe() == "fail on stale, drift; changes older than 14 days; made since 2024-06-01"


@pytest.mark.parametrize(
    "rules, kw",
    [("stale,docs", {}), ("", {}), ("stale", {"max_lag_days": -1}), ("stale", {"since": "June"})],
)
def test_a_policy_it_cannot_read_is_an_input_error(rules, kw):
    with pytest.raises(InputError):
        GatePolicy.parse(rules, **kw)


# --- the rules ---------------------------------------------------------------------------------


def test_every_rule_fails_on_the_widget_story():
    verdict = judge(audit(), policy())

    assert verdict.outcome is Outcome.FAIL
    stale, drift, unreplicated = verdict.results
    assert stale.summary == "2 variants of 2 miss behaviour-changing GitHub changes."
    assert stale.offenders == (f"{CHAT}: 3 since 2024-04-10", f"{V7B}: 1 since 2024-09-20")
    assert drift.outcome is Outcome.FAIL and any("config.json" in o for o in drift.offenders)
    assert unreplicated.outcome is Outcome.FAIL
    assert "Preprocessing" in unreplicated.offenders[0]  # newest first
    assert "Parameter Tuning" in unreplicated.offenders[1]


def test_documentation_changes_never_fail_the_gate():
    rows = [
        (GH, REPO, "2024-01-01T09:00:00Z", "Initial code", "Model Structure"),
        (HF, V7B, "2024-01-02T09:00:00Z", "Upload model", "Model Structure"),
        (GH, REPO, "2024-05-01T09:00:00Z", "Fix typo in README", "External Documentation"),
    ]
    report = audit_family(REPO, REPO, (V7B,), story_frame(rows), today=TODAY)

    assert report.stale[0].is_stale  # behind GitHub ...
    assert judge(report, policy("stale")).outcome is Outcome.PASS  # ... by docs only


def test_max_lag_days_gives_a_change_time_before_it_counts():
    verdict = judge(audit(), policy("stale", max_lag_days=30))  # today 2024-10-01

    (stale,) = verdict.results
    assert stale.offenders == (f"{CHAT}: 2 since 2024-04-10",)  # the 2024-09-20 bump is young
    assert "(more than 30 days ago)" in stale.summary


def test_since_ignores_what_was_there_before_the_policy():
    verdict = judge(audit(), policy("stale,unreplicated", max_lag_days=30, since="2024-06-01"))

    assert outcomes(verdict) == {"stale": Outcome.PASS, "unreplicated": Outcome.PASS}
    assert verdict.outcome is Outcome.PASS


def test_what_was_not_checked_is_never_a_pass():
    offline = judge(audit(hf_listings=None, gh_listing=None), policy("drift"))
    assert offline.outcome is Outcome.UNCHECKED
    assert "not compared" in offline.results[0].summary

    unlabeled = audit(corpus=None)
    unlabeled = type(unlabeled)(**{**unlabeled.__dict__, "labeled": False})
    assert outcomes(judge(unlabeled, policy("stale,unreplicated"))) == {
        "stale": Outcome.UNCHECKED,
        "unreplicated": Outcome.UNCHECKED,
    }


def test_a_failure_outranks_what_could_not_be_checked():
    verdict = judge(audit(hf_listings=None, gh_listing=None), policy("stale,drift"))
    assert outcomes(verdict) == {"stale": Outcome.FAIL, "drift": Outcome.UNCHECKED}
    assert verdict.outcome is Outcome.FAIL


def test_the_verdict_heads_the_markdown_report():
    report = audit()
    text = render_markdown(report, verdict=judge(report, policy("stale,drift", max_lag_days=7)))

    lines = text.splitlines()
    assert lines[0] == "# Sync audit: acme/widget"
    assert lines[4] == "## Gate: ❌ failed"
    assert lines[6] == "Policy: fail on stale, drift; changes older than 7 days."
    assert "| stale | ❌ fail |" in text and "| drift | ❌ fail |" in text
    assert text.index("## Gate") < text.index("## What to do")


# --- coverage ----------------------------------------------------------------------------------


def fam(variants=(V7B, CHAT), repo=REPO) -> Family:
    return Family(REPO, repo, tuple(FamilyMember(v, "user") for v in variants))


@pytest.mark.parametrize(
    "counts, state, words",
    [
        ({}, CoverageState.NOT_FETCHED, "it was never fetched"),
        ({(HF, V7B): 3}, CoverageState.NO_GITHUB, "No GitHub commits of acme/widget"),
        ({(GH, REPO): 5}, CoverageState.NO_HUB, "No Hugging Face commits"),
        ({(GH, REPO): 5, (HF, V7B): 1}, CoverageState.PARTIAL, f"1 of 2 variants ({CHAT})"),
        ({(GH, REPO): 5, (HF, V7B): 1, (HF, CHAT): 2}, CoverageState.COMPLETE, None),
    ],
)
def test_coverage_says_what_is_missing_and_how_to_fetch_it(counts, state, words):
    coverage = coverage_from_counts(fam(), counts)

    assert coverage.state is state
    assert coverage.auditable == (state in (CoverageState.PARTIAL, CoverageState.COMPLETE))
    if words is None:
        assert coverage.problem() is None
    else:
        assert words in coverage.problem().replace("variants have no cached commits ", "variants ")
        assert "`python -m core fetch acme/widget`" in coverage.problem()


def test_a_family_with_no_repository_to_compare_is_told_how_to_add_one():
    coverage = Coverage("hf:acme/widget-7b", None, 0, {V7B: 4})
    assert coverage.state is CoverageState.NO_GITHUB
    assert "--github OWNER/REPO" in coverage.problem()


# --- the command -------------------------------------------------------------------------------


def seeded(db, variants=(V7B, CHAT)) -> None:
    store.save_family(db, fam(variants))
    store.save_commits(db, story_records())


def run_audit(cli, db_file, *args):
    return cli("--db", db_file, "audit", REPO, "--offline", "--today", "2024-10-01", *args)


def test_exit_3_when_the_gate_fails_with_the_verdict_first(cli, db_file, fresh_db):
    seeded(fresh_db)

    result = run_audit(cli, db_file, "--fail-on", "stale")

    assert result.code == 3, result.err
    assert result.out.splitlines()[4] == "## Gate: ❌ failed"
    assert "gate: fail (stale)" in result.err


def test_exit_0_when_the_policy_passes(cli, db_file, fresh_db):
    seeded(fresh_db)

    result = run_audit(cli, db_file, "--fail-on", "stale", "--since", "2024-09-25")

    assert result.code == 0, result.err
    assert "## Gate: ✅ passed" in result.out and "gate: pass" in result.err


def test_exit_2_when_a_rule_cannot_be_checked(cli, db_file, fresh_db):
    seeded(fresh_db)

    result = run_audit(cli, db_file, "--fail-on", "drift")  # --offline: no listings

    assert result.code == 2
    assert "## Gate: ⚠️ cannot tell" in result.out and "gate: unchecked (drift)" in result.err


def test_json_puts_the_gate_first(cli, db_file, fresh_db):
    seeded(fresh_db)

    result = run_audit(cli, db_file, "--fail-on", "stale,unreplicated", "--format", "json")

    data = json.loads(result.out)
    assert next(iter(data)) == "gate"
    assert data["gate"]["outcome"] == "fail"
    assert [r["rule"] for r in data["gate"]["results"]] == ["stale", "unreplicated"]
    assert data["coverage"]["state"] == "complete"


@pytest.mark.parametrize(
    "args, words",
    [
        (("--since", "2024-01-01"), "add --fail-on"),
        (("--fail-on", "docs"), "--fail-on takes stale, drift, unreplicated"),
        (("--fail-on", "stale", "--max-lag-days", "-3"), "--max-lag-days must be 0 or more"),
        (("--fail-on", ""), "--fail-on takes"),  # an unset CI variable never turns the gate off
        (("--fail-on", "stale", "--since", "2024-11-01"), "is after the audit's date"),
    ],
)
def test_a_bad_policy_is_exit_2(cli, db_file, fresh_db, args, words):
    seeded(fresh_db)
    result = run_audit(cli, db_file, *args)
    assert result.code == 2 and words in result.err


def test_a_family_never_fetched_is_not_audited_exit_2(cli, db_file, fresh_db, tmp_path):
    store.save_family(fresh_db, fam())
    badge = tmp_path / "badge.svg"

    result = run_audit(cli, db_file, "--badge", badge)

    assert result.code == 2
    assert result.out.startswith("# Sync audit: acme/widget\n\n**Not audited.** No commits")
    assert "Run `python -m core fetch acme/widget`." in result.out  # the command, as code
    assert "(https://huggingface.co/acme/widget-7b) | Hugging Face | 0 |" in result.out
    for false_clear in ("stale", "Nothing to do", "None", "What to do"):
        assert false_clear not in result.out
    assert "python -m core fetch acme/widget" in result.err
    assert not badge.exists()


def test_a_side_missing_is_not_audited_in_json_either(cli, db_file, fresh_db):
    store.save_family(fresh_db, fam())
    store.save_commits(fresh_db, [r for r in story_records() if r.platform == GH])

    result = run_audit(cli, db_file, "--format", "json", "--fail-on", "stale")

    assert result.code == 2
    data = json.loads(result.out)
    assert data["audited"] is False and data["coverage"]["state"] == "Hugging Face side missing"


def test_variants_without_commits_are_named_and_the_stale_rule_cannot_pass(cli, db_file, fresh_db):
    seeded(fresh_db, (V7B, CHAT, BIG))

    plain = run_audit(cli, db_file)
    gated = run_audit(cli, db_file, "--fail-on", "stale", "--since", "2024-09-25")

    assert plain.code == 0 and f"({BIG}), so they are not judged" in plain.err
    assert "> **Partly audited.** 1 of 3 variants" in plain.out
    assert gated.code == 2 and "| stale | ⚠️ not checked |" in gated.out


def test_the_readmes_gate_example_is_what_audit_prints(cli, db_file, shared):
    """The README shows the gate on the real-shaped Qwen family; it must stay true."""
    from pathlib import Path

    from seed import seed

    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", shared)
    db.close()
    command = (
        "audit Qwen/Qwen-7B --offline --today 2024-10-13 --fail-on stale,unreplicated "
        "--max-lag-days 30"
    )
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    shown = readme.split(f"$ python -m core {command} | head -22\n", 1)[1].split("\n$ ")[0]
    result = cli("--db", db_file, *command.split())
    assert result.code == 3
    assert "\n".join(result.out.splitlines()[:22]) == shown


def test_the_report_is_written_into_a_folder_made_for_it(cli, db_file, fresh_db, tmp_path):
    seeded(fresh_db)
    target = tmp_path / "reports" / "today" / "audit.md"
    result = run_audit(cli, db_file, "--fail-on", "stale", "--output", target)
    assert result.code == 3 and target.read_text().startswith("# Sync audit")


def test_without_today_a_commit_dated_in_the_future_still_counts(cli, db_file, fresh_db):
    """No --today is the audit of now: a skewed clock's commit is not dropped."""
    from datetime import UTC, datetime, timedelta

    from core.records import CommitRecord

    seeded(fresh_db)
    ahead = datetime.now(UTC) + timedelta(hours=6)
    store.save_commits(fresh_db, [CommitRecord(GH, REPO, "f" * 40, ahead, "later", "later")])
    body = json.loads(cli("--db", db_file, "audit", REPO, "--offline", "--format", "json").out)
    seven_b = next(s for s in body["stale"] if s["model_id"] == V7B)
    assert seven_b["gh_commits_since"] == 2  # September's bump and the future-dated one
