"""Parsing what the user typed into an HF model or a GitHub repository, offline."""

import pytest

from core.errors import InputError
from core.ingest.targets import Target, github_repo_from_url, parse_target

ACCEPTED = [
    ("01-ai/Yi-1.5-34B-Chat", "hf", "01-ai/Yi-1.5-34B-Chat"),
    ("  ProsusAI/finbert  ", "hf", "ProsusAI/finbert"),
    ("hf:google-bert/bert-base-uncased", "hf", "google-bert/bert-base-uncased"),
    ("HF:avichr/heBERT_sentiment_analysis", "hf", "avichr/heBERT_sentiment_analysis"),
    ("https://huggingface.co/01-ai/Yi-34B", "hf", "01-ai/Yi-34B"),
    ("https://huggingface.co/01-ai/Yi-34B/", "hf", "01-ai/Yi-34B"),
    ("https://huggingface.co/01-ai/Yi-34B/tree/main", "hf", "01-ai/Yi-34B"),
    ("https://huggingface.co/01-ai/Yi-34B/blob/main/config.json", "hf", "01-ai/Yi-34B"),
    ("https://huggingface.co/01-ai/Yi-34B/resolve/main/README.md", "hf", "01-ai/Yi-34B"),
    ("https://www.huggingface.co/01-ai/Yi-34B?library=transformers", "hf", "01-ai/Yi-34B"),
    ("huggingface.co/01-ai/Yi-34B", "hf", "01-ai/Yi-34B"),
    ("https://hf.co/01-ai/Yi-34B", "hf", "01-ai/Yi-34B"),
    ("https://github.com/01-ai/Yi", "gh", "01-ai/Yi"),
    ("https://github.com/01-ai/Yi.git", "gh", "01-ai/Yi"),
    ("https://github.com/01-ai/Yi/tree/main/finetune", "gh", "01-ai/Yi"),
    ("https://github.com/01-ai/Yi/blob/main/README.md#citation", "gh", "01-ai/Yi"),
    ("http://www.github.com/01-ai/Yi/", "gh", "01-ai/Yi"),
    ("github.com/google-research/bert", "gh", "google-research/bert"),
    ("www.github.com/google-research/bert", "gh", "google-research/bert"),
    ("gh:facebookresearch/fastText", "gh", "facebookresearch/fastText"),
    ("gh:owner/repo.with.dots", "gh", "owner/repo.with.dots"),
]

REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    ("gpt2", "owner/name"),
    ("a/b/c", "owner/name"),
    ("01-ai / Yi", "spaces"),
    ("01-ai/Yi 34B", "spaces"),
    ("ünïcode/model", "non-ASCII"),
    ("x" * 301, "longer than"),
    ("org/" + "m" * 97, "at most 96"),
    ("../etc/passwd", "owner/name"),
    ("org/..", "not a valid Hugging Face name"),
    ("org/model--x", "not a valid Hugging Face name"),
    ("org/-model", "not a valid Hugging Face name"),
    ("org/mo;del", "not a valid Hugging Face name"),
    ("https://gitlab.com/owner/repo", "neither huggingface.co nor github.com"),
    ("gitlab.com/owner/repo", "neither huggingface.co nor github.com"),
    ("https://huggingface.co/datasets/squad/squad", "dataset page"),
    ("https://huggingface.co/spaces/gradio/hello", "space page"),
    ("https://huggingface.co/01-ai", "owner/name"),
    ("https://github.com/orgs/01-ai/people", "GitHub page"),
    ("https://github.com/sponsors/huggingface", "GitHub page"),
    ("https://gist.github.com/someone/abc123", "neither huggingface.co nor github.com"),
    ("https://github.com/01-ai", "owner/name"),
    ("gh:-bad/repo", "valid GitHub owner"),
    ("gh:" + "o" * 40 + "/repo", "valid GitHub owner"),
    ("gh:owner/" + "r" * 101, "valid GitHub repository"),
    ("ftp://github.com/a/b", "scheme"),
    ("javascript:alert(1)", "owner/name"),
]


@pytest.mark.parametrize(("text", "kind", "id_"), ACCEPTED)
def test_accepted_forms(text, kind, id_):
    target = parse_target(text)
    assert (target.kind, target.id) == (kind, id_)
    assert target.raw == text


def test_bare_owner_name_is_hf_unless_the_caller_prefers_github():
    assert parse_target("01-ai/Yi") == Target("hf", "01-ai/Yi", "01-ai/Yi")
    assert parse_target("01-ai/Yi", prefer="gh") == Target("gh", "01-ai/Yi", "01-ai/Yi")
    assert parse_target("huggingface.co/a/b", prefer="gh").kind == "hf"


@pytest.mark.parametrize(("text", "why"), REJECTED)
def test_rejected_inputs_say_why_and_show_accepted_forms(text, why):
    with pytest.raises(InputError) as err:
        parse_target(text)
    message = str(err.value)
    assert why in message
    assert "accepted forms: org/model" in message and "github.com/owner/repo" in message
    assert len(message) < 450


def test_github_links_normalise_to_owner_repo_or_none():
    assert github_repo_from_url("https://github.com/01-ai/Yi/tree/main/finetune") == "01-ai/Yi"
    assert github_repo_from_url("https://github.com/PanQiWei/AutoGPTQ.git") == "PanQiWei/AutoGPTQ"
    assert github_repo_from_url("https://github.com/sponsors/huggingface") is None
    assert github_repo_from_url("https://github.com/01-ai") is None
    assert github_repo_from_url("https://huggingface.co/01-ai/Yi") is None
