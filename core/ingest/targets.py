"""What the user asked for: an HF model id or a GitHub repository, parsed and validated offline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from core import settings
from core.errors import InputError

Kind = Literal["hf", "gh"]

MAX_INPUT = 300
HF_PART = re.compile(r"[A-Za-z0-9._-]{1,96}")
GH_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")
GH_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")

HF_HOSTS = {"huggingface.co", "hf.co"}
GH_HOSTS = {"github.com"}
# First path segments on huggingface.co that are not model owners.
HF_RESERVED = {
    "datasets",
    "spaces",
    "docs",
    "api",
    "models",
    "organizations",
    "settings",
    "blog",
    "collections",
    "papers",
    "join",
    "login",
    "logout",
    "pricing",
    "tasks",
    "learn",
    "new",
    "buckets",
    "posts",
    "search",
    "enterprise",
    "chat",
    "inference-endpoints",
    "kernels",
}
# First path segments on github.com that are not repository owners.
GH_RESERVED = {
    "orgs",
    "sponsors",
    "settings",
    "marketplace",
    "topics",
    "features",
    "about",
    "collections",
    "explore",
    "login",
    "logout",
    "join",
    "search",
    "notifications",
    "issues",
    "pulls",
    "trending",
    "enterprise",
    "pricing",
    "apps",
    "site",
    "security",
    "contact",
    "customer-stories",
    "readme",
    "users",
    "events",
    "codespaces",
    "new",
    "organizations",
    "account",
    "dashboard",
    "watching",
    "stars",
    "team",
    "solutions",
    "resources",
    "git-guides",
    "github-copilot",
    "copilot",
    "shop",
    "mobile",
    "premium-support",
    "sessions",
    "signup",
    "home",
    "discussions",
    "blog",
}
# Second path segments after github.com/<owner>/ that are not repositories.
GH_NON_REPO = {"followers", "following", "repositories", "projects", "packages", "stars"}

ACCEPTED_FORMS = (
    "accepted forms: org/model, hf:org/model, https://huggingface.co/org/model, "
    "gh:owner/repo, github.com/owner/repo, https://github.com/owner/repo"
)


@dataclass(frozen=True)
class Target:
    """One model repository on the Hub (`kind="hf"`) or one GitHub repository (`"gh"`)."""

    kind: Kind
    id: str  # "owner/name"
    raw: str

    @property
    def owner(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]


def parse_target(text: str, prefer: Kind = "hf") -> Target:
    """Parse what the user typed; a bare `a/b` is an HF model unless `prefer="gh"`.

    Raises:
        InputError: anything that is not one of the accepted forms, before any network call.
    """
    raw = text
    if not isinstance(text, str):
        raise _reject(str(text), "it is not text")
    text = text.strip()
    if not text:
        raise _reject(raw, "it is empty")
    if len(text) > MAX_INPUT:
        raise _reject(text[:40] + "…", f"it is longer than {MAX_INPUT} characters")
    if not text.isascii():
        raise _reject(text, "it contains non-ASCII characters")
    if any(c.isspace() for c in text):
        raise _reject(text, "it contains spaces")

    lowered = text.lower()
    for prefix, kind in (("hf:", "hf"), ("gh:", "gh"), ("github:", "gh")):
        if lowered.startswith(prefix):
            return _from_parts(text[len(prefix) :].strip("/").split("/"), kind, raw)  # type: ignore[arg-type]

    configured = _on_configured_server(text, raw)
    if configured is not None:
        return configured
    if "://" in text or _looks_like_host(text):
        return _from_url(text, raw)
    return _from_parts(text.strip("/").split("/"), prefer, raw)


def github_repo_from_url(url: str) -> str | None:
    """`owner/repo` for any github.com link into a repository (deep links, `.git`, `www.`).

    Returns None for non-repository pages (profiles, orgs, sponsors, topics, gists, ...).
    The result keeps GitHub's spelling but callers compare it case-insensitively.
    """
    try:
        target = parse_target(url, prefer="gh")
    except InputError:
        return None
    return target.id if target.kind == "gh" else None


def hub_model_id(text: str) -> str | None:
    """`text` itself when it is a valid Hub model id (`owner/name` by the Hub's naming rules),
    else None: for ids that arrive from a server, which are data, never trusted as given."""
    try:
        target = parse_target(text, prefer="hf")
    except InputError:
        return None
    return text if target.kind == "hf" and target.id == text else None


def check_github_repo(repo: str) -> str:
    """`repo` when it is a valid GitHub `owner/name`, checked before it reaches a URL, a path
    or a request.

    Raises:
        InputError: anything else (`a/-b`, `a/...`, `a/b/c`, a URL, an owner with `--`).
    """
    try:
        target = parse_target(f"gh:{repo}") if isinstance(repo, str) else None
    except InputError:
        target = None
    if target is None or target.id != repo:
        raise InputError(
            f"{str(repo)[:80]!r} is not a GitHub repository name; give it as owner/name, "
            "for example 01-ai/Yi."
        )
    return repo


def _on_configured_server(text: str, raw: str) -> Target | None:
    """A URL on a configured GitHub Enterprise (`--github-url`) or Hub mirror ($HF_ENDPOINT)
    server, with or without its scheme (its port and path prefix as configured), else None."""
    scheme, _, bare = text.rpartition("://")
    if scheme.lower() not in ("", "http", "https"):
        return None  # `_from_url` says why
    for kind, base in (("hf", settings.hub_url()), ("gh", settings.github_url())):
        if base.lower() in (settings.PUBLIC_GITHUB, settings.PUBLIC_HUB):
            continue
        prefix = base.split("://", 1)[-1].lower() + "/"
        if bare.lower().startswith(prefix):
            segments = [s for s in bare[len(prefix) :].split("/") if s]
            if kind == "gh" and len(segments) >= 2:
                segments[1] = segments[1].removesuffix(".git")
            return _from_parts(segments[:2], kind, raw)  # type: ignore[arg-type]
    return None


def _looks_like_host(text: str) -> bool:
    """`github.com/...`, `www.huggingface.co/...` or another host name written without scheme."""
    first = text.split("/", 1)[0].lower()
    return (
        first.removeprefix("www.") in HF_HOSTS | GH_HOSTS or _HOSTNAME.fullmatch(first) is not None
    )


_HOSTNAME = re.compile(
    r"[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|co|ai|dev|edu|gov|me|app|xyz|info|cn|uk|de)"
)


def _from_url(text: str, raw: str) -> Target:
    url = text if "://" in text else "https://" + text
    try:
        parts = urlsplit(url)
    except ValueError as err:
        raise _reject(raw, "it is not a valid URL") from err
    if parts.scheme.lower() not in ("http", "https"):
        raise _reject(raw, f"the scheme {parts.scheme!r} is not http or https")
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in HF_HOSTS:
        if segments and segments[0].lower() in HF_RESERVED:
            what = segments[0].lower()
            raise _reject(raw, f"it is a Hugging Face {what.rstrip('s')} page, not a model")
        if len(segments) > 2 and segments[2] not in (
            "tree",
            "blob",
            "resolve",
            "commits",
            "commit",
            "discussions",
            "raw",
        ):
            raise _reject(raw, "it is not a model page")
        return _from_parts(segments[:2], "hf", raw)
    if host in GH_HOSTS:
        if segments and segments[0].lower() in GH_RESERVED:
            raise _reject(raw, "it is a GitHub page, not a repository")
        if len(segments) >= 2:
            segments[1] = segments[1].removesuffix(".git")
        return _from_parts(segments[:2], "gh", raw)
    raise _reject(raw, f"the host {host or '(none)'} is neither huggingface.co nor github.com")


def _from_parts(segments: list[str], kind: Kind, raw: str) -> Target:
    if len(segments) != 2 or not all(segments):
        raise _reject(raw, "it is not of the form owner/name")
    owner, name = segments
    if kind == "hf":
        for part in (owner, name):
            if (
                not HF_PART.fullmatch(part)
                or "--" in part
                or ".." in part
                or part[0] in "-."
                or part[-1] in "-."
                or part.lower().endswith(".git")
            ):
                raise _reject(
                    raw,
                    f"{_short(part)!r} is not a valid Hugging Face name (letters, digits, "
                    "'.', '_', '-', no '--' or '..', no '-' or '.' at either end, no '.git' "
                    "ending; at most 96)",
                )
        if owner.lower() in HF_RESERVED:
            raise _reject(raw, f"{owner!r} is not a model owner on the Hub")
        return Target("hf", f"{owner}/{name}", raw)
    name = name.removesuffix(".git")
    if not GH_OWNER.fullmatch(owner) or "--" in owner:
        raise _reject(
            raw,
            f"{_short(owner)!r} is not a valid GitHub owner "
            "(letters, digits and single hyphens; at most 39 characters)",
        )
    if owner.lower() in GH_RESERVED:
        raise _reject(raw, f"{owner!r} is a GitHub page, not a repository owner")
    if (
        not GH_REPO.fullmatch(name)
        or name.startswith("-")
        or not name.strip(".")
        or name.lower() in GH_NON_REPO
    ):
        raise _reject(
            raw,
            f"{_short(name)!r} is not a valid GitHub repository name (letters, digits, "
            "'.', '_', '-', not starting with '-', not only dots; at most 100 characters)",
        )
    return Target("gh", f"{owner}/{name}", raw)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reject(raw: str, why: str) -> InputError:
    shown = _short(raw, 80)
    return InputError(f"Cannot use {shown!r} as a model or repository: {why}; {ACCEPTED_FORMS}.")
