"""What the Hub offers beyond card links, for finding a family: a model's arXiv papers and
base models (one model info), a paper page's GitHub repository and models, and the models
whose card names a given model as their base (fine-tunes, quantizations, adapters, merges).

Read with huggingface_hub 2.4's `HfApi.model_info` (its `tags` and `card_data.base_model`),
`HfApi.paper_info` (`github_repo`, `linked_models`) and `HfApi.list_models(filter=
"base_model:<id>")` (the Hub's `base_model:<relation>:<id>` tags say how each child derives).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import SourceError
from core.ingest.sources.hf import HubClient
from core.ingest.sources.hf_errors import translate_errors
from core.ingest.targets import github_repo_from_url, hub_model_id

RELATIONS = ("finetune", "quantized", "adapter", "merge")


@dataclass(frozen=True)
class CardFacts:
    """What one model info says that may point to a family: arXiv ids and base models."""

    model_id: str
    arxiv_ids: tuple[str, ...]
    base_models: tuple[str, ...]


@dataclass(frozen=True)
class PaperPage:
    """The Hub's page for an arXiv paper: its GitHub repository and models, when it has them."""

    arxiv_id: str
    title: str | None
    github_repo: str | None  # owner/repo
    models: tuple[str, ...]


@dataclass(frozen=True)
class DerivedModel:
    """A model whose card names another as its base, and how (finetune, quantized, ...)."""

    model_id: str
    relation: str
    downloads: int | None = None


def card_facts(hub: HubClient, model_id: str) -> CardFacts:
    """One `model_info`: the `arxiv:<id>` tags and the card's `base_model` field."""
    with translate_errors(model_id):
        info = hub.api.model_info(model_id)
        tags = [t for t in (info.tags or []) if isinstance(t, str)]
        card = info.card_data.to_dict() if info.card_data is not None else {}
    base = card.get("base_model") or []
    bases = [base] if isinstance(base, str) else [b for b in base if isinstance(b, str)]
    return CardFacts(
        model_id,
        tuple(dict.fromkeys(t.split(":", 1)[1] for t in tags if t.startswith("arxiv:"))),
        tuple(b for b in dict.fromkeys(bases) if hub_model_id(b)),
    )


def paper_page(hub: HubClient, arxiv_id: str) -> PaperPage | None:
    """The Hub's paper page for `arxiv_id` (`paper_info`), None when the Hub has none."""
    try:
        with translate_errors(f"paper {arxiv_id}"):
            paper = hub.api.paper_info(arxiv_id)
    except SourceError as err:
        if err.kind == "not_found":
            return None
        raise
    linked = [m.id for m in (paper.linked_models or []) if isinstance(m.id, str)]
    repo = github_repo_from_url(paper.github_repo) if paper.github_repo else None
    return PaperPage(arxiv_id, paper.title, repo, tuple(m for m in linked if hub_model_id(m)))


def derived_models(hub: HubClient, model_id: str, limit: int = 50) -> list[DerivedModel]:
    """Models built on `model_id` (one listing, most downloaded first), with their relation."""
    with translate_errors(f"models based on {model_id}"):
        models = list(
            hub.api.list_models(filter=f"base_model:{model_id}", sort="downloads", limit=limit)
        )
    found = []
    for m in models:
        if not isinstance(m.id, str) or not hub_model_id(m.id) or m.id == model_id:
            continue
        tags = {t.lower() for t in (m.tags or []) if isinstance(t, str)}
        relation = next(
            (r for r in RELATIONS if f"base_model:{r}:{model_id.lower()}" in tags), "derived"
        )
        found.append(DerivedModel(m.id, relation, m.downloads))
    return found


class HubDiscovery:
    """A `HubClient` seen as `core.ingest.discover.DiscoveryHub`."""

    def __init__(self, hub: HubClient) -> None:
        self.hub = hub

    def card_links(self, model_id: str) -> list[str]:
        return self.hub.card_links(model_id)

    def card_facts(self, model_id: str) -> CardFacts:
        return card_facts(self.hub, model_id)

    def paper_page(self, arxiv_id: str) -> PaperPage | None:
        return paper_page(self.hub, arxiv_id)

    def derived_models(self, model_id: str) -> list[DerivedModel]:
        return derived_models(self.hub, model_id)
