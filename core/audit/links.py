"""Links to commits, files and repositories on GitHub and the Hugging Face Hub."""

from __future__ import annotations

from urllib.parse import quote


def commit_url(platform: str, repo: str, sha: str) -> str:
    if platform == "GH":
        return f"https://github.com/{repo}/commit/{sha}"
    return f"https://huggingface.co/{repo}/commit/{sha}"


def file_url(platform: str, repo: str, path: str, ref: str | None = None) -> str:
    safe = quote(path, safe="/")
    if platform == "GH":
        return f"https://github.com/{repo}/blob/{ref or 'HEAD'}/{safe}"
    return f"https://huggingface.co/{repo}/blob/{ref or 'main'}/{safe}"


def repo_url(platform: str, repo: str) -> str:
    return f"https://github.com/{repo}" if platform == "GH" else f"https://huggingface.co/{repo}"
