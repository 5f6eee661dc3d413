"""Candidates for a family beyond Algorithm 1's pick, each with its source and a confidence.

Algorithm 1 (`resolve.select_github_links`) keeps its place: its repositories come first and
keep their label. Added here: the card's other GitHub links (ranked, never dropped, never
picked for the user), the GitHub repository and models of the Hub's page for each arXiv
paper in the card's tags, and the models built on this one (its `base_model` tree:
fine-tunes, quantizations, adapters, merges), offered as optional variants marked derived.

Confidence is a plain score in [0, 1] per source (`CONFIDENCE`); a candidate named by
several sources combines them as independent evidence, 1 - Π(1 - c).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from core.errors import SourceError
from core.ingest.resolve import select_github_links
from core.ingest.sources.hf_discovery import CardFacts, DerivedModel, PaperPage
from core.ingest.targets import github_repo_from_url

ALGORITHM_1 = "algorithm 1"
CARD_LINK = "card link"
ARXIV_PAPER = "arxiv paper"
BASE_MODEL_TREE = "base_model tree"
CONFIDENCE = {ALGORITHM_1: 0.9, ARXIV_PAPER: 0.6, CARD_LINK: 0.3, BASE_MODEL_TREE: 0.5}
MAX_PAPERS = 3


class DiscoveryHub(Protocol):
    """What discovery asks the Hub (`sources.hf_discovery` over a `HubClient`, or a fake)."""

    def card_links(self, model_id: str) -> list[str]: ...
    def card_facts(self, model_id: str) -> CardFacts: ...
    def paper_page(self, arxiv_id: str) -> PaperPage | None: ...
    def derived_models(self, model_id: str) -> list[DerivedModel]: ...


@dataclass(frozen=True)
class Candidate:
    """A GitHub repository or an HF variant that may belong to the family."""

    kind: Literal["github", "variant"]
    id: str
    source: str  # the strongest source; `also` the others that named it
    confidence: float
    detail: str
    derived: bool = False  # built on the model (fine-tune, quantization, adapter, merge)
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Discovery:
    """Ranked candidates (best first) and what could not be asked."""

    model_id: str
    github: tuple[Candidate, ...]
    variants: tuple[Candidate, ...]
    notes: tuple[str, ...] = ()


def discover(model_id: str, hub: DiscoveryHub, links: list[str] | None = None) -> Discovery:
    """Every candidate the Hub offers for `model_id`'s family; one failing source is a note.

    Raises:
        SourceError: the model itself cannot be read (its card links fail).
    """
    links = hub.card_links(model_id) if links is None else links
    found: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}

    def add(kind: str, key: str, source: str, detail: str, derived: bool = False) -> None:
        found.setdefault((kind, key), []).append((source, detail, derived))

    picked = select_github_links(links, model_id)
    for repo in picked:
        add("github", repo, ALGORITHM_1, "the card links to it and it names the model's owner/name")
    for repo in _ranked_links(links):
        if repo.lower() not in {p.lower() for p in picked}:
            add("github", repo, CARD_LINK, "the card links to it (Algorithm 1 did not keep it)")
    notes: list[str] = []
    try:
        facts = hub.card_facts(model_id)
    except SourceError as err:
        facts = CardFacts(model_id, (), ())
        notes.append(f"Could not read the card's tags: {err}")
    for arxiv_id in facts.arxiv_ids[:MAX_PAPERS]:
        try:
            page = hub.paper_page(arxiv_id)
        except SourceError as err:
            notes.append(f"Could not read the Hub's page of arXiv {arxiv_id}: {err}")
            continue
        if page is None:
            continue
        where = f"the Hub's page of arXiv {arxiv_id}" + (f" ({page.title})" if page.title else "")
        if page.github_repo:
            add("github", page.github_repo, ARXIV_PAPER, f"{where} links to it")
        for other in page.models:
            if other.lower() != model_id.lower():
                add("variant", other, ARXIV_PAPER, f"{where} lists it")
    try:
        children = hub.derived_models(model_id)
    except SourceError as err:
        children = []
        notes.append(f"Could not list the models built on {model_id}: {err}")
    for child in children:
        add("variant", child.model_id, BASE_MODEL_TREE, f"{child.relation} of {model_id}", True)
    candidates = [_combine(kind, key, said) for (kind, key), said in found.items()]
    candidates.sort(key=lambda c: -c.confidence)  # stable: equal scores keep their order
    return Discovery(
        model_id,
        tuple(c for c in candidates if c.kind == "github"),
        tuple(c for c in candidates if c.kind == "variant"),
        tuple(notes),
    )


def _ranked_links(links: list[str]) -> list[str]:
    """Every GitHub repository in `links`, most mentioned first, then in order of appearance."""
    counts: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for link in links:
        repo = github_repo_from_url(link)
        if repo:
            counts[repo.lower()] = counts.get(repo.lower(), 0) + 1
            spelling.setdefault(repo.lower(), repo)
    return [spelling[k] for k in sorted(spelling, key=lambda k: -counts[k])]


def _combine(kind: str, key: str, said: list[tuple[str, str, bool]]) -> Candidate:
    sources = list(dict.fromkeys(s for s, _, _ in said))
    strongest = max(sources, key=lambda s: CONFIDENCE[s])
    doubt = 1.0
    for source in sources:
        doubt *= 1 - CONFIDENCE[source]
    detail = next(d for s, d, _ in said if s == strongest)
    return Candidate(
        kind,  # type: ignore[arg-type]
        key,
        strongest,
        round(1 - doubt, 2),
        detail,
        derived=any(d for _, _, d in said),
        also=tuple(s for s in sources if s != strongest),
    )
