"""The Hub client against replayed Hub answers: records out, every failure a clear SourceError."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx
from hf_replay import (
    FIXTURES,
    HUB,
    commits_url,
    error_response,
    hub_for,
    mock_commits,
    mock_model_info,
    mock_readme,
    mock_search,
    synthetic_commits,
)

from core.errors import SourceError
from core.ingest.sources.card_links import body_links, metadata_links

EXAMPLES = "data/hf_commits/api_examples"


@pytest.fixture
def router():
    return respx.Router(assert_all_mocked=True)


@pytest.fixture
def hub(router, tmp_path):
    return hub_for(router, tmp_path)


def test_list_commits_reads_the_real_gpt2_answer(router, hub, shared):
    items = json.loads(
        (
            shared / EXAMPLES / "hf_list_repo_commits_openai-community_gpt2.RECONSTRUCTED.json"
        ).read_text()
    )
    mock_commits(router, "openai-community/gpt2", items)

    commits = hub.list_commits("openai-community/gpt2")

    assert [c.sha for c in commits] == [i["id"] for i in items]
    first = commits[0]
    assert first.platform == "HF" and first.repo == "openai-community/gpt2"
    assert first.title == "Adds the tokenizer configuration file (#80)"
    assert first.message.startswith("\n\n\n- Adds tokenizer_config.json")
    assert first.authored_at == datetime(2024, 2, 19, 10, 57, 45, tzinfo=UTC)
    assert commits[3].authors == ("sgugger", "mathemakitten")
    assert commits[3].author_login == "sgugger"


def test_list_commits_follows_link_pages(router, hub):
    routes = mock_commits(router, "01-ai/Yi-34B", synthetic_commits("01-ai/Yi-34B", 120))

    commits = hub.list_commits("01-ai/Yi-34B")

    assert len(commits) == 120 and len({c.sha for c in commits}) == 120
    assert [r.call_count for r in routes] == [1, 1, 1]
    assert commits[-1].title == "initial commit" and commits[-1].authors == ("system",)
    assert commits[0].authored_at > commits[-1].authored_at  # newest first


def test_model_info_reads_the_recorded_gguf_answer(router, hub, shared):
    body = json.loads(
        (
            shared
            / EXAMPLES
            / "hf_model_info_ggml-org_gemma-3-1b-it-GGUF.verbatim_chat_template_elided.json"
        ).read_text()
    )
    router.get(f"{HUB}/api/models/ggml-org/gemma-3-1b-it-GGUF").mock(
        return_value=httpx.Response(200, json=body)
    )

    info = hub.model_info("ggml-org/gemma-3-1b-it-GGUF")

    assert info.sha == "f9c28bcd85737ffc5aef028638d3341d49869c27"
    assert info.created_at == datetime(2025, 3, 12, 6, 14, 1, tzinfo=UTC)
    assert info.last_modified == datetime(2025, 3, 12, 10, 30, 5, tzinfo=UTC)
    assert (info.downloads, info.likes, info.gated, info.private) == (186325, 38, False, False)
    assert info.pipeline_tag is None and info.card_links == ()


def test_card_links_come_from_metadata_and_readme_body(router, hub):
    card = {
        "license": "apache-2.0",
        "github": "https://github.com/01-ai/Yi",
        "repo": "01-ai/Yi-extra",
    }
    mock_model_info(router, "01-ai/Yi-34B", "a" * 40, card, gated="manual")
    mock_readme(router, "01-ai/Yi-34B", (FIXTURES / "README_yi.md").read_text(), "a" * 40)

    links = hub.card_links("01-ai/Yi-34B")

    assert links[:2] == ["https://github.com/01-ai/Yi", "https://github.com/01-ai/Yi-extra"]
    assert "https://github.com/01-ai/Yi/tree/main/finetune" in links
    assert "https://github.com/vllm-project/vllm" in links
    assert "https://www.github.com/01-AI/yi" in links
    assert not any("raw.githubusercontent" in link for link in links)
    assert hub.model_info("01-ai/Yi-34B").gated is True


def test_links_in_front_matter_are_not_counted_twice():
    text = "---\nrepo: https://github.com/a/b\n---\nSee https://github.com/a/b/tree/main."
    assert body_links(text) == ["https://github.com/a/b/tree/main"]
    assert metadata_links({"model-index": [{"source": {"url": "https://github.com/x/y"}}]}) == [
        "https://github.com/x/y"
    ]


def test_a_gated_readme_falls_back_to_the_card_metadata(router, hub):
    mock_model_info(
        router,
        "meta-llama/Llama-2-7b",
        "b" * 40,
        {"github": "https://github.com/meta-llama/llama"},
        gated="manual",
    )
    router.head(f"{HUB}/meta-llama/Llama-2-7b/resolve/main/README.md").mock(
        return_value=error_response("gated", "meta-llama/Llama-2-7b")
    )

    assert hub.card_links("meta-llama/Llama-2-7b") == ["https://github.com/meta-llama/llama"]


def test_missing_readme_means_no_body_links(router, hub):
    mock_model_info(router, "a/b", "c" * 40)
    router.head(f"{HUB}/a/b/resolve/main/README.md").mock(
        return_value=httpx.Response(
            404,
            headers={
                "X-Error-Code": "EntryNotFound",
                "X-Repo-Commit": "c" * 40,
                "X-Error-Message": "Entry not found",
            },
        )
    )

    assert hub.card_links("a/b") == []


def test_search_models_by_author_and_by_name(router, hub):
    by_author = mock_search(router, ["01-ai/Yi-34B", "01-ai/Yi-6B"], author="01-ai")
    by_name = mock_search(router, ["01-ai/Yi-34B", "TheBloke/Yi-34B-GGUF"], search="Yi")

    assert hub.search_models(author="01-ai") == ["01-ai/Yi-34B", "01-ai/Yi-6B"]
    assert hub.search_models(query="Yi", limit=20) == ["01-ai/Yi-34B", "TheBloke/Yi-34B-GGUF"]
    request = by_name.calls.last.request
    assert request.url.params["sort"] == "downloads" and request.url.params["limit"] == "20"
    assert by_author.call_count == 1


@pytest.mark.parametrize(
    ("answer", "kind", "words"),
    [
        ("not_found", "not_found", "has no model"),
        ("gated", "gated", "accept its conditions"),
        ("bad_token", "auth", "refused HF_TOKEN"),
        ("forbidden", "private", "forbids"),
        ("rate_limit", "rate_limit", "rate limit"),
        ("server", "server", "HTTP 500"),
        ("malformed", "malformed", "cannot read"),
    ],
)
def test_every_failure_becomes_one_clear_source_error(router, hub, answer, kind, words):
    router.get(commits_url("org/model")).mock(return_value=error_response(answer, "org/model"))

    with pytest.raises(SourceError) as err:
        hub.list_commits("org/model")

    assert err.value.kind == kind and err.value.repo == "org/model"
    assert words in str(err.value) and "org/model" in str(err.value)


def test_rate_limit_names_the_retry_time_and_does_not_wait_an_hour(router, hub):
    route = router.get(f"{HUB}/api/models/org/model").mock(
        return_value=error_response("rate_limit")
    )

    with pytest.raises(SourceError) as err:
        hub.model_info("org/model")

    assert err.value.kind == "rate_limit" and err.value.retry_at is not None
    assert "in 55 s" in str(err.value)
    assert route.call_count == 1  # 55 s is longer than we ever wait


def test_a_short_retry_after_is_honoured_then_succeeds(router, hub):
    ok = mock_commits(router, "org/model", synthetic_commits("org/model", 3))[0]
    ok.side_effect = [httpx.Response(429, headers={"Retry-After": "1"}), ok.return_value]

    assert len(hub.list_commits("org/model")) == 3
    assert ok.call_count == 2


def test_server_errors_are_retried_a_bounded_number_of_times(router, hub):
    route = router.get(commits_url("org/model")).mock(return_value=error_response("server"))

    with pytest.raises(SourceError):
        hub.list_commits("org/model")

    assert route.call_count == 3  # first try + 2 short retries, not the library's 6


def test_missing_fields_are_malformed(router, hub):
    router.get(commits_url("org/model")).mock(
        return_value=httpx.Response(200, json=[{"id": "abc", "date": "2024-01-01T00:00:00Z"}])
    )

    with pytest.raises(SourceError) as err:
        hub.list_commits("org/model")
    assert err.value.kind == "malformed"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (httpx.ConnectTimeout, "timeout"),
        (httpx.ReadTimeout, "timeout"),
        (httpx.ConnectError, "network"),
        (httpx.ReadError, "network"),
        (httpx.RemoteProtocolError, "network"),
    ],
)
def test_timeouts_and_network_failures(router, hub, error, kind):
    route = router.get(f"{HUB}/api/models/org/model").mock(side_effect=error)

    with pytest.raises(SourceError) as err:
        hub.model_info("org/model")

    assert err.value.kind == kind
    assert route.call_count == 3  # every transport fault is worth two short retries


@pytest.mark.parametrize("error", [httpx.ReadError, httpx.ConnectError, httpx.RemoteProtocolError])
def test_one_connection_reset_is_retried_not_reported(router, hub, error):
    ok = mock_commits(router, "org/model", synthetic_commits("org/model", 3))[0]
    ok.side_effect = [error("Connection reset by peer"), ok.return_value]

    assert len(hub.list_commits("org/model")) == 3
    assert ok.call_count == 2


def test_no_token_is_sent_unless_settings_have_one(router, tmp_path, monkeypatch):
    route = mock_model_info(router, "org/model", "d" * 40)
    hub_for(router, tmp_path).model_info("org/model")
    assert "authorization" not in route.calls.last.request.headers

    monkeypatch.setenv("HF_TOKEN", "hf_secret_for_test")
    from hf_replay import RespxTransport

    from core.ingest.sources.hf import connect_hub

    connect_hub(transport=RespxTransport(router), sleep=lambda _s: None).model_info("org/model")
    assert route.calls.last.request.headers["authorization"] == "Bearer hf_secret_for_test"


def test_markdown_emphasis_around_a_bare_link_is_not_part_of_the_repository():
    from core.ingest.targets import github_repo_from_url

    text = "**Code: https://github.com/01-ai/Yi** and ~~https://github.com/old/repo~~\n"
    links = body_links(text)
    assert [github_repo_from_url(link) for link in links] == ["01-ai/Yi", "old/repo"]
