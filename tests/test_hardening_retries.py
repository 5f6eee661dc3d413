"""Issue 11, failure 3: transient faults on real sockets, both clients.

Before: the Hub client gave up on one connection reset ("network down"), where the GitHub
client retried; a 429 with `Retry-After: 120` gave up without saying when to retry. Here a
loopback server resets connections (before the answer, and in the middle of a body), fails
with 5xx and rate-limits; both clients retry a bounded number of times, then say when.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from loopback import RESET, RESET_MID_BODY, Answer, FakeGitHub, FakeHub

from core.errors import SourceError
from core.ingest.sources.github import ApiBackend
from core.ingest.sources.github_client import make_github_client
from core.ingest.sources.hf import connect_hub
from core.ingest.sources.retry import retry_after_seconds

pytestmark = pytest.mark.hardening

MODEL, REPO = "acme/tool-7b", "acme/tool"


@pytest.fixture
def hub_server():
    hub = FakeHub()
    hub.add_model(MODEL, 120, github=REPO)
    yield hub
    hub.server.close()


@pytest.fixture
def gh_server():
    github = FakeGitHub()
    github.add_repo(REPO, 250)
    yield github
    github.server.close()


def hub_client(hub: FakeHub, tmp_path, sleeps: list[float] | None = None):
    waits = sleeps if sleeps is not None else []
    return connect_hub(
        token="", endpoint=hub.server.url, readme_dir=tmp_path / "hf", sleep=waits.append
    )


def gh_backend(github: FakeGitHub, sleeps: list[float] | None = None) -> ApiBackend:
    client = make_github_client(None, github.server.url, seconds_between_requests=None)
    waits = sleeps if sleeps is not None else []
    return ApiBackend(client, sleep=waits.append)


@pytest.mark.parametrize("fault", [RESET, RESET_MID_BODY])
@pytest.mark.parametrize("page", [0, 1, 2])
def test_the_hub_client_survives_one_connection_reset_on_any_page(
    hub_server, tmp_path, fault, page
):
    hub_server.faults.add(("commits", MODEL, page), Answer(body=fault))
    assert len(hub_client(hub_server, tmp_path).list_commits(MODEL)) == 120


def test_the_hub_client_gives_up_after_a_bounded_number_of_resets(hub_server, tmp_path):
    hub_server.faults.add(("info", MODEL), Answer(body=RESET), times=10)
    sleeps: list[float] = []
    with pytest.raises(SourceError) as err:
        hub_client(hub_server, tmp_path, sleeps).model_info(MODEL)
    assert err.value.kind == "network" and "every try" in str(err.value)
    assert len(sleeps) == 2  # three tries in all


def test_hub_server_errors_are_retried_then_succeed(hub_server, tmp_path):
    hub_server.faults.add(("commits", MODEL, 1), Answer(503, {"error": "busy"}), times=2)
    assert len(hub_client(hub_server, tmp_path).list_commits(MODEL)) == 120


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_a_long_hub_rate_limit_fails_at_once_and_names_when_to_retry(hub_server, tmp_path, form):
    in_120_s = datetime.now(UTC) + timedelta(seconds=120)
    retry_after = "120" if form == "seconds" else format_datetime(in_120_s, usegmt=True)
    hub_server.faults.add(
        ("commits", MODEL, 0), Answer(429, {"error": "slow down"}, {"Retry-After": retry_after})
    )
    sleeps: list[float] = []
    with pytest.raises(SourceError) as err:
        hub_client(hub_server, tmp_path, sleeps).list_commits(MODEL)
    assert err.value.kind == "rate_limit" and sleeps == []
    assert err.value.retry_at is not None
    assert "try again after" in str(err.value) and "in 1" in str(err.value)  # in 119/120 s


def test_a_short_hub_rate_limit_is_waited_out(hub_server, tmp_path):
    hub_server.faults.add(("info", MODEL), Answer(429, {}, {"Retry-After": "2"}))
    sleeps: list[float] = []
    assert hub_client(hub_server, tmp_path, sleeps).model_info(MODEL).model_id == MODEL
    assert sleeps == [2.0]


@pytest.mark.parametrize("fault", [RESET, RESET_MID_BODY])
@pytest.mark.parametrize("page", [1, 2, 3])
def test_the_github_client_survives_one_connection_reset_on_any_page(gh_server, fault, page):
    gh_server.faults.add(("commits", REPO, page), Answer(body=fault))
    assert len(list(gh_backend(gh_server).iter_commits(REPO))) == 250


def test_github_server_errors_are_retried_then_succeed(gh_server):
    gh_server.faults.add(("commits", REPO, 2), Answer(502, {"message": "Bad gateway"}), times=2)
    assert len(list(gh_backend(gh_server).iter_commits(REPO))) == 250


def test_a_long_github_rate_limit_fails_fast_and_names_when_to_retry(gh_server):
    gh_server.faults.add(
        ("commits", REPO, 1),
        Answer(429, {"message": "secondary rate limit"}, {"Retry-After": "120"}),
        times=5,
    )
    began = time.monotonic()
    with pytest.raises(SourceError) as err:
        list(gh_backend(gh_server).iter_commits(REPO))
    assert time.monotonic() - began < 10
    assert err.value.kind == "rate_limit" and err.value.retry_at is not None
    assert "lifts at" in str(err.value)


def test_retry_after_reads_seconds_dates_and_the_ratelimit_header():
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert retry_after_seconds({"retry-after": "55"}) == 55
    date = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds({"retry-after": date}, now) == 90
    assert retry_after_seconds({"ratelimit": '"api";r=0;t=42'}) == 42
    assert retry_after_seconds({"retry-after": "soon"}) is None
