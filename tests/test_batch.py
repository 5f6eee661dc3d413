"""`batch`: many families end to end, resumable and rate-limit aware (core.ingest.batch), with fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import store
from core.corpus import load_corpus
from core.errors import InputError, SourceError
from core.ingest.batch import BatchClients, read_batch_file, run_batch
from core.labeling.rules import RulesLabeler
from core.records import CommitRecord, ModelInfo

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


class FakeHub:
    """Cards, commits and model info as the Hub would give them; `limited` models are 429."""

    def __init__(
        self,
        cards: dict[str, list[str]],
        commits: dict[str, list[CommitRecord]],
        limited: set[str] | None = None,
    ) -> None:
        self.cards, self.commits, self.limited = cards, commits, limited or set()
        self.requests = 0
        self.card_calls: list[str] = []

    def card_links(self, model_id: str) -> list[str]:
        self.requests += 1
        self.card_calls.append(model_id)
        if model_id in self.limited:
            raise SourceError(
                f"The Hugging Face Hub rate limit was reached while reading "
                f"{model_id}; try again later.",
                kind="rate_limit",
                repo=model_id,
                retry_at="2026-11-23T19:00:00+00:00",
            )
        if model_id not in self.cards:
            raise SourceError(
                f"{model_id} does not exist on the Hub.", kind="not_found", repo=model_id
            )
        return self.cards[model_id]

    def search_models(self, query=None, author=None, limit=50) -> list[str]:
        self.requests += 1
        return []

    def model_info(self, model_id: str) -> ModelInfo:
        self.requests += 1
        return ModelInfo(model_id, created_at=at(0), sha=f"sha-{model_id}")

    def list_commits(self, model_id: str) -> list[CommitRecord]:
        self.requests += 1
        return self.commits.get(model_id, [])


class FakeGitHub:
    name = "fake"

    def __init__(self, commits: dict[str, list[CommitRecord]]) -> None:
        self.commits = commits
        self.requests = 0

    def iter_commits(self, repo: str, since=None):
        self.requests += 1
        yield from sorted(self.commits.get(repo, []), key=lambda c: c.authored_at, reverse=True)


def commit(platform: str, repo: str, sha: str, day: float, message: str) -> CommitRecord:
    return CommitRecord(
        platform=platform,
        repo=repo,
        sha=sha,
        authored_at=at(day),
        title=message,
        message=message,
        author_login="ann",
    )


HF_COMMITS = {
    "acme/one-base": [
        commit("HF", "acme/one-base", "h1", 2, "Upload model"),
        commit("HF", "acme/one-base", "h2", 40, "Update README.md"),
    ],
    "acme/one-large": [commit("HF", "acme/one-large", "h3", 3, "Upload model")],
    "beta/two": [commit("HF", "beta/two", "h4", 1, "Initial commit")],
}
GH_COMMITS = {
    "acme/one": [
        commit("GH", "acme/one", "g1", 0, "Add training script"),
        commit("GH", "acme/one", "g2", 39, "Fix typo in README"),
    ],
    "beta/two": [commit("GH", "beta/two", "g3", 60, "Add model code")],
}
CARDS = {
    "acme/one-base": ["https://github.com/acme/one"],
    "acme/one-large": ["https://github.com/acme/one"],
    "beta/two": ["https://github.com/beta/two/tree/main"],
}


class FakeSources:
    """The Hub and one GitHub backend for every repository, as `core.ingest.clients` gives."""

    def __init__(self, hub: FakeHub, github: FakeGitHub) -> None:
        self._hub, self._github = hub, github

    def hub(self) -> FakeHub:
        return self._hub

    def github(self, repo: str, known_commits: int | None = None):
        return self._github, "fake backend"


def fakes(limited: set[str] | None = None) -> tuple[BatchClients, FakeHub]:
    hub = FakeHub(CARDS, HF_COMMITS, limited)
    github = FakeGitHub(GH_COMMITS)
    return BatchClients(sources=FakeSources(hub, github), labeler=RulesLabeler()), hub


def write(tmp_path, text: str):
    path = tmp_path / "models.csv"
    path.write_text(text)
    return path


def test_a_list_is_resolved_fetched_labeled_and_classified(fresh_db, tmp_path):
    path = write(tmp_path, "target\nacme/one-base\nnot a target!!\nghost/model\n")
    clients, _ = fakes()
    report = run_batch(fresh_db, "b1", read_batch_file(path), clients)
    by_target = {o.target: o for o in report.outcomes}
    assert by_target["acme/one-base"].status == "done"
    assert by_target["acme/one-base"].family == "acme/one"
    assert by_target["acme/one-base"].pattern == "Rare"  # HF periods 1, 3 within GH 1, 3
    assert (by_target["not a target!!"].status, by_target["not a target!!"].kind) == (
        "failed",
        "input",
    )
    assert (by_target["ghost/model"].status, by_target["ghost/model"].kind) == (
        "failed",
        "not_found",
    )
    assert (report.n_done, report.n_failed, report.n_pending) == (1, 2, 0)
    # Labels were cached and the "mine" corpus now holds the family.
    assert fresh_db.execute("SELECT count(*) FROM labels").fetchone()[0] > 0
    mine = load_corpus(fresh_db, "mine").families
    assert list(mine["family"]) == ["acme/one"]


def test_a_rate_limit_stops_cleanly_and_the_batch_resumes(fresh_db, tmp_path):
    path = write(tmp_path, "model\nacme/one-base\nbeta/two\nacme/one-large\n")
    items = read_batch_file(path)
    clients, _ = fakes(limited={"beta/two"})
    first = run_batch(fresh_db, "b2", items, clients)
    assert first.stopped and first.retry_at == "2026-11-23T19:00:00+00:00"
    assert "rate limit" in first.stop_message
    assert [o.status for o in first.outcomes] == ["done", "pending"]
    assert (first.n_done, first.n_pending) == (1, 2)  # the third was never reached
    statuses = {r["target"]: r["status"] for r in store.batch_items(fresh_db, "b2")}
    assert statuses == {"acme/one-base": "done", "beta/two": "pending", "acme/one-large": "pending"}

    clients, hub = fakes()
    second = run_batch(fresh_db, "b2", items, clients)
    assert not second.stopped and second.skipped_done == 1
    assert [o.target for o in second.outcomes] == ["beta/two", "acme/one-large"]
    assert "acme/one-base" not in hub.card_calls  # done items are not asked again
    assert (second.n_done, second.n_failed, second.n_pending) == (3, 0, 0)
    families = set(load_corpus(fresh_db, "mine").families["family"])
    assert families == {"acme/one", "beta/two"}


def test_failed_items_are_retried_only_when_asked(fresh_db, tmp_path):
    path = write(tmp_path, "target\nghost/model\n")
    items = read_batch_file(path)
    clients, _ = fakes()
    run_batch(fresh_db, "b3", items, clients)
    again = run_batch(fresh_db, "b3", items, clients)
    assert again.outcomes == () and again.n_failed == 1
    retried = run_batch(fresh_db, "b3", items, clients, retry_failed=True)
    assert [o.target for o in retried.outcomes] == ["ghost/model"]


def test_the_corpus_mapping_is_accepted_as_input(fresh_db, tmp_path):
    path = write(
        tmp_path,
        "owner,model_name,family,cleaned_github\n"
        "acme,acme/one-base,acme_one,https://github.com/acme/one\n"
        "acme,acme/one-large,acme_one,https://github.com/acme/one\n"
        "beta,beta/two,beta_two,https://github.com/beta/two\n",
    )
    items = read_batch_file(path)
    assert items.targets == ("gh:acme/one", "gh:beta/two") and items.mapping is not None
    clients, hub = fakes()
    report = run_batch(fresh_db, "b4", items, clients, search=False)
    assert (report.n_done, report.n_failed) == (2, 0)
    family = store.load_family(fresh_db, "acme/one")
    assert family.variants == ("acme/one-base", "acme/one-large")
    assert hub.card_calls == []  # the mapping names the variants; nothing to look up


def test_unreadable_batch_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="Cannot read"):
        read_batch_file(tmp_path / "missing.csv")


def test_batch_command_prints_a_summary_and_exit_code(cli, db_file, tmp_path, monkeypatch):
    clients, _ = fakes(limited={"beta/two"})
    monkeypatch.setattr("core.commands.batch.clients", lambda args: clients)
    path = write(tmp_path, "target\nacme/one-base\nbeta/two\n")
    result = cli("--db", db_file, "batch", path)
    assert result.code == 1
    assert "1 done, 0 failed, 1 pending of 2" in result.out
    assert "Run the same command again after 2026-11-23T19:00:00+00:00" in result.err
    clients2, _ = fakes()
    monkeypatch.setattr("core.commands.batch.clients", lambda args: clients2)
    resumed = cli("--db", db_file, "batch", path, "--format", "json")
    assert resumed.code == 0, resumed.err
    assert '"n_done": 2' in resumed.out


# --- review ----------------------------------------------------------------------------------


def test_the_same_repository_in_another_case_is_one_family(fresh_db, tmp_path):
    """GitHub ignores case: `gh:ACME/One` after `acme/one-base` must not make a second family."""
    path = write(tmp_path, "target\nacme/one-base\ngh:ACME/One\n")
    clients, _ = fakes()
    report = run_batch(fresh_db, "b-case", read_batch_file(path), clients)
    assert [o.family for o in report.outcomes] == ["acme/one", "acme/one"]
    assert [r["name"] for r in fresh_db.query("SELECT name FROM families")] == ["acme/one"]
    assert list(load_corpus(fresh_db, "mine").families["family"]) == ["acme/one"]


def test_an_unexpected_error_in_one_item_does_not_block_the_batch(fresh_db, tmp_path):
    """A bug hit by one family is recorded as that item's failure; the others still run.

    Left pending, the item would crash every resumed run at the same place.
    """
    path = write(tmp_path, "target\nbeta/two\nacme/one-base\n")
    clients, hub = fakes()
    real = hub.list_commits

    def broken(model_id):
        if model_id == "beta/two":
            raise RuntimeError("boom")
        return real(model_id)

    hub.list_commits = broken
    report = run_batch(fresh_db, "b-bug", read_batch_file(path), clients)
    by_target = {o.target: o for o in report.outcomes}
    assert (
        by_target["beta/two"].status == "failed" and "RuntimeError" in by_target["beta/two"].message
    )
    assert by_target["acme/one-base"].status == "done"


def test_a_batch_file_without_any_target_is_an_input_error(tmp_path):
    blank = write(tmp_path, "target,github\n ,\n,x\n")
    with pytest.raises(InputError, match="no target"):
        read_batch_file(blank)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("model_name,cleaned_github,family\nnot a model,nowhere,f\n")
    with pytest.raises(InputError, match="no target"):
        read_batch_file(mapping)


def test_the_github_column_accepts_any_repository_form_and_refuses_junk(fresh_db, tmp_path):
    path = write(
        tmp_path,
        "target,github\nacme/one-base,https://github.com/acme/one/tree/main\nbeta/two,not a repo\n",
    )
    clients, _ = fakes()
    report = run_batch(fresh_db, "b-gh", read_batch_file(path), clients)
    by_target = {o.target: o for o in report.outcomes}
    assert (by_target["acme/one-base"].status, by_target["acme/one-base"].family) == (
        "done",
        "acme/one",
    )
    assert (by_target["beta/two"].status, by_target["beta/two"].kind) == ("failed", "input")
    assert [r["name"] for r in fresh_db.query("SELECT name FROM families")] == ["acme/one"]


def test_targets_removed_from_the_file_are_not_reported_as_pending(fresh_db, tmp_path):
    clients, _ = fakes(limited={"beta/two"})
    first = run_batch(
        fresh_db, "b-edit", read_batch_file(write(tmp_path, "t\nbeta/two\n")), clients
    )
    assert first.n_pending == 1

    clients, _ = fakes()
    edited = read_batch_file(write(tmp_path, "t\nacme/one-base\n"))  # the user dropped beta/two
    report = run_batch(fresh_db, "b-edit", edited, clients)
    assert (report.n_items, report.n_done, report.n_pending) == (1, 1, 0)
