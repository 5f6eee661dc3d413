"""Finding a family: the paper's Algorithm 1 over card links, Hub search and the corpus mapping.

From an HF model: collect the GitHub links of its card (metadata and README body), keep the
ones containing the model's owner segment, else the ones containing its name segment
(Algorithm 1), then look for the other variants of the chosen repository. From a GitHub
repository: search the Hub by the owner and by the repository name, keep models whose own
Algorithm 1 selects this repository, and add the paper's corpus mapping.

Choices the paper leaves open (said here so the code can be checked against them):
- Links are normalised to `owner/repo` first (deep links, `.git`, `www.`, case) and the
  segment test runs on that `owner/repo` text, case-insensitively, so a path like
  `github.com/huggingface/transformers/tree/main/examples/finbert` does not make
  `huggingface/transformers` the repository of `ProsusAI/finbert`.
- Several survivors are ranked (owner match, then name match, then number of mentions) and
  returned for the user to choose; none is picked silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError, SourceError
from core.ingest.targets import Target, github_repo_from_url, parse_target
from core.records import Family, FamilyMember
from core.store import family_name_for

SEARCH_LIMIT = 50
MAX_CONFIRM = 40  # card look-ups per resolution (each costs 3 Hub requests)


class Hub(Protocol):
    def card_links(self, model_id: str) -> list[str]: ...
    def search_models(
        self, query: str | None = None, author: str | None = None, limit: int = 50
    ) -> list[str]: ...


@dataclass(frozen=True)
class Resolution:
    """A resolved family, the ranked GitHub candidates when ambiguous, and notes for the user."""

    family: Family
    candidates: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ambiguous(self) -> bool:
        return self.family.github_repo is None and len(self.candidates) > 1


# --- Algorithm 1 -----------------------------------------------------------------------------


def select_github_links(links: Iterable[str], model_id: str) -> list[str]:
    """The paper's Algorithm 1: GitHub repositories in `links` that belong to `model_id`.

    Keeps repositories whose `owner/repo` contains the model's owner segment; if none does,
    those containing its name segment. Returns `owner/repo` strings (first spelling seen),
    without duplicates, best first: both segments matching, then more mentions, then order.
    """
    owner, _, name = model_id.lower().partition("/")
    mentions: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for link in links:
        repo = github_repo_from_url(link)
        if repo is None:
            continue
        key = repo.lower()
        mentions[key] = mentions.get(key, 0) + 1
        spelling.setdefault(key, repo)
    order = {key: i for i, key in enumerate(spelling)}
    valid = [k for k in spelling if owner and owner in k]
    if not valid:
        valid = [k for k in spelling if name and name in k]

    def rank(key: str) -> tuple[int, int, int]:
        repo_name = key.split("/", 1)[1]
        related = int(name in key or repo_name in name)
        return (-related, -mentions[key], order[key])

    return [spelling[k] for k in sorted(valid, key=rank)]


def belongs_to(model_id: str, repo: str, links: Iterable[str]) -> bool:
    """True when Algorithm 1 over `links` selects `repo` for `model_id`."""
    return repo.lower() in {r.lower() for r in select_github_links(links, model_id)}


def could_belong(model_id: str, repo: str) -> bool:
    """Cheap pre-check before reading a card: would Algorithm 1 keep a link to `repo` at all?"""
    return bool(select_github_links([f"https://github.com/{repo}"], model_id))


# --- corpus mapping --------------------------------------------------------------------------


def load_corpus_mapping(path: str | Path) -> pd.DataFrame:
    """model → GitHub repository rows from a `complete_dataset.csv`-format file.

    Returns columns model_id, github_repo (`owner/repo`), family. Rows without a valid model
    id or GitHub URL are dropped rather than failing the whole file.

    Raises:
        InputError: the file cannot be read or lacks the model_name / cleaned_github columns.
    """
    try:  # opened here: pandas would fetch a path that looks like a URL
        with open(path, "rb") as fh:
            raw = pd.read_csv(fh, dtype=str, on_bad_lines="skip", encoding_errors="replace")
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise InputError(f"Cannot read the corpus mapping {path}: {err}.") from err
    missing = {"model_name", "cleaned_github"} - set(raw.columns)
    if missing:
        raise InputError(
            f"The corpus mapping {path} lacks the column(s) {', '.join(sorted(missing))}; "
            "it must have the complete_dataset.csv columns model_name, "
            "cleaned_github and family."
        )
    family = raw["family"] if "family" in raw.columns else pd.Series("", index=raw.index)
    rows = []
    for model, link, fam in zip(raw["model_name"], raw["cleaned_github"], family, strict=True):
        model_id = _valid_model(model)
        repo = github_repo_from_url(str(link)) if isinstance(link, str) else None
        if model_id and repo:
            rows.append((model_id, repo, fam if isinstance(fam, str) else ""))
    return (
        pd.DataFrame(rows, columns=["model_id", "github_repo", "family"])
        .drop_duplicates("model_id")
        .reset_index(drop=True)
    )


def corpus_repo_of(corpus: pd.DataFrame | None, model_id: str) -> str | None:
    if corpus is None or corpus.empty:
        return None
    hit = corpus[corpus["model_id"].str.lower() == model_id.lower()]
    return str(hit["github_repo"].iloc[0]) if len(hit) else None


def corpus_members(corpus: pd.DataFrame | None, repo: str) -> list[FamilyMember]:
    if corpus is None or corpus.empty:
        return []
    hit = corpus[corpus["github_repo"].str.lower() == repo.lower()]
    return [
        FamilyMember(m, "corpus", f"paper corpus family {f}" if f else "paper corpus")
        for m, f in zip(hit["model_id"], hit["family"], strict=True)
    ]


# --- resolution ------------------------------------------------------------------------------


def resolve_from_model(
    model_id: str,
    hub: Hub,
    corpus: pd.DataFrame | None = None,
    *,
    github: str | None = None,
    search: bool = True,
) -> Resolution:
    """The family of one HF model: its card's repository (or `github`), then its variants.

    Raises:
        SourceError: the model's card cannot be read (unknown, gated, network, ...).
    """
    links = hub.card_links(model_id)
    ranked = select_github_links(links, model_id)
    notes: list[str] = []
    in_card = {r.lower() for r in ranked}
    if github:
        repo: str | None = github
    elif len(ranked) == 1:
        repo = ranked[0]
    elif len(ranked) > 1:
        from_corpus = corpus_repo_of(corpus, model_id)
        if from_corpus and from_corpus.lower() in in_card:
            repo = from_corpus
            notes.append(
                f"The card of {model_id} links to {len(ranked)} repositories; the "
                f"paper's corpus maps it to {from_corpus}."
            )
        else:
            start = FamilyMember(model_id, "user", "given as the target")
            return Resolution(
                Family(family_name_for(None, model_id), None, (start,)),
                tuple(ranked),
                (
                    f"The card of {model_id} links to several GitHub repositories: "
                    f"{', '.join(ranked)}. Choose one with --github OWNER/REPO.",
                ),
            )
    else:
        repo = corpus_repo_of(corpus, model_id)
        if repo:
            notes.append(
                f"The card of {model_id} has no matching GitHub link; the paper's "
                f"corpus maps it to {repo}."
            )

    if repo is None:
        start = FamilyMember(model_id, "user", "given as the target")
        notes.append(
            f"No GitHub repository found in the card of {model_id}; give one with "
            "--github OWNER/REPO."
        )
        return Resolution(Family(family_name_for(None, model_id), None, (start,)), (), tuple(notes))

    if repo.lower() in in_card:
        start = FamilyMember(model_id, "card", f"its card links to github.com/{repo}")
    elif (corpus_repo_of(corpus, model_id) or "").lower() == repo.lower():
        start = FamilyMember(model_id, "corpus", "paper corpus")
    else:
        start = FamilyMember(model_id, "user", "given as the target")
    found = resolve_from_github(repo, hub, corpus, search=search, known={model_id: start})
    return replace(found, notes=tuple(notes) + found.notes)


def resolve_from_github(
    repo: str,
    hub: Hub,
    corpus: pd.DataFrame | None = None,
    *,
    search: bool = True,
    known: dict[str, FamilyMember] | None = None,
    limit: int = SEARCH_LIMIT,
    max_confirm: int = MAX_CONFIRM,
) -> Resolution:
    """The HF variants of a GitHub repository: corpus rows plus Hub models whose cards link to it.

    Searches by the owner (as an HF author) and by the repository name, then reads the card
    of every result that Algorithm 1 could match. A failing search or card is noted, not fatal.
    """
    owner, name = repo.split("/", 1)
    members: dict[str, FamilyMember] = {k.lower(): v for k, v in (known or {}).items()}
    for member in corpus_members(corpus, repo):
        members.setdefault(member.model_id.lower(), member)
    notes: list[str] = []
    if search:
        candidates: dict[str, str] = {}
        errors: list[SourceError] = []
        for query, author in ((None, owner), (name, None)):
            try:
                ids = hub.search_models(query=query, author=author, limit=limit)
            except SourceError as err:
                errors.append(err)
                notes.append(f"Searching the Hub failed: {err}")
                continue
            how = f"author {owner}" if author else f"'{name}'"
            for model_id in ids:
                candidates.setdefault(model_id, how)
        if len(errors) == 2 and not members:
            raise errors[0]  # nothing could be resolved; do not store an empty family
        todo = [m for m in candidates if m.lower() not in members and could_belong(m, repo)]
        if len(todo) > max_confirm:
            notes.append(
                f"{len(todo)} Hub models could belong to {repo}; only the "
                f"{max_confirm} most downloaded were checked. Add others with "
                "--add-variant."
            )
            todo = todo[:max_confirm]
        for model_id in todo:
            try:
                links = hub.card_links(model_id)
            except SourceError as err:
                notes.append(f"Skipped {model_id}: {err}")
                continue
            if belongs_to(model_id, repo, links):
                members[model_id.lower()] = FamilyMember(
                    model_id,
                    "search",
                    f"found by searching the Hub ({candidates[model_id]}); its card links to "
                    f"github.com/{repo}",
                )
    if len(members) <= len(known or {}):
        what = "other HF variant" if known else "HF model"
        notes.append(
            f"No {what} found whose card links to {repo}; add variants with --add-variant."
        )
    ordered = tuple(sorted(members.values(), key=lambda m: m.model_id.lower()))
    return Resolution(Family(family_name_for(repo), repo, ordered), (), tuple(notes))


def apply_user_edits(family: Family, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Family:
    """`family` with hand-added variants (source "user") and without removed ones.

    Raises:
        InputError: an added id is not a valid HF model id.
    """
    members = {m.model_id.lower(): m for m in family.members}
    for text in add:
        target = parse_target(text, prefer="hf")
        if target.kind != "hf":
            raise InputError(
                f"--add-variant expects an HF model id, not the GitHub repository {target.id}."
            )
        members.setdefault(target.id.lower(), FamilyMember(target.id, "user", "added by hand"))
    for text in remove:
        members.pop(text.strip().lower(), None)
    ordered = tuple(sorted(members.values(), key=lambda m: m.model_id.lower()))
    return replace(family, members=ordered)


def _valid_model(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        target = parse_target(value, prefer="hf")
    except InputError:
        return None
    return target.id if target.kind == "hf" else None


def resolve_target(
    target: Target,
    hub: Hub,
    corpus: pd.DataFrame | None = None,
    *,
    github: str | None = None,
    search: bool = True,
) -> Resolution:
    """Resolve what the user typed: an HF model (Algorithm 1 first) or a GitHub repository."""
    if target.kind == "hf":
        return resolve_from_model(target.id, hub, corpus, github=github, search=search)
    if github and github.lower() != target.id.lower():
        raise InputError(f"--github {github} disagrees with the target {target.id}; give one.")
    return resolve_from_github(target.id, hub, corpus, search=search)


def adopt_cached_spelling(db: sqlite_utils.Database, family: Family) -> Family:
    """`family` spelled the way the cache already knows its repositories.

    GitHub and the Hub ignore case (`01-ai/yi` is `01-ai/Yi`) but the cache's keys do not, so
    a second spelling would make a second family and fetch every commit again. The stored
    family with the same GitHub repository (else the same name) keeps its name and spelling;
    repositories already fetched keep the spelling of their first fetch.
    """

    def first(sql: str, value: str) -> str | None:
        row = db.execute(sql, [value]).fetchone()
        return str(row[0]) if row else None

    def fetched(platform: str, repo: str) -> str:
        return (
            first(
                f"SELECT repo FROM fetch_runs WHERE platform = '{platform}' "
                "AND lower(repo) = lower(?) ORDER BY id LIMIT 1",
                repo,
            )
            or repo
        )

    repo, name = family.github_repo, family.name
    if repo:
        stored = db.execute(
            "SELECT name, github_repo FROM families WHERE lower(github_repo) = lower(?) "
            "ORDER BY created_at, name LIMIT 1",
            [repo],
        ).fetchone()
        if stored:
            name, repo = stored[0], stored[1]
        else:
            repo = fetched("GH", repo)
            name = family_name_for(repo) if name == family_name_for(family.github_repo) else name
    else:
        name = first("SELECT name FROM families WHERE lower(name) = lower(?) LIMIT 1", name) or name

    def member(model_id: str) -> str:
        row = db.execute(
            "SELECT model_id FROM family_members WHERE family = ? AND lower(model_id) = lower(?)"
            " LIMIT 1",
            [name, model_id],
        ).fetchone()
        return str(row[0]) if row else fetched("HF", model_id)

    members = tuple(replace(m, model_id=member(m.model_id)) for m in family.members)
    return replace(family, name=name, github_repo=repo, members=members)


def without_removed(family: Family, removed: set[str]) -> Family:
    """`family` minus variants the user removed earlier (ids compared case-insensitively)."""
    return replace(
        family, members=tuple(m for m in family.members if m.model_id.lower() not in removed)
    )


def cached_family(db: sqlite_utils.Database, text: str) -> Family | None:
    """A stored family named by TARGET (family name, GitHub repo or member id); offline."""
    target = parse_target(text, prefer="hf")
    for key in (text.strip(), target.id, f"hf:{target.id}"):
        family = store.find_family(db, key)
        if family is not None:
            return family
    return None
