"""A paged listing proved whole: every page chained to the end, and the server's own count met.

GitHub and the Hub page their commit listings alike (`Link: <url>; rel="next"`). A listing
can end early without an error — page 3 of 5 answering 200 with `[]` and no next link, a
JSON object where the list belongs — and taken as complete it would make the cache prune
history that still exists. So every page is checked as it arrives and the end is checked
against what the server announced: GitHub's `rel="last"` page number, the Hub's
`X-Total-Count`. Anything short raises a `SourceError` (kind "incomplete", or "malformed" for
a page of the wrong shape): the fetch fails and the cache keeps what it had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from core.errors import SourceError

MAX_PAGES = 10_000  # a listing that chains further than this is looping
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]+)"?')


def link_header(value: str | None) -> dict[str, str]:
    """`Link` header rels -> URLs: `<https://...&page=2>; rel="next", <...>; rel="last"`."""
    return {rel.strip(): url for url, rel in _LINK.findall(value or "")}


def page_number(url: str | None, param: str = "page") -> int | None:
    """The page a listing URL points at (GitHub's `page=N`), if it says."""
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get(param)
    return int(values[0]) if values and values[0].isdigit() else None


def header_count(value: str | None) -> int | None:
    """A count header such as `X-Total-Count: 240`, or None when absent or not a number."""
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


@dataclass
class PagedListing:
    """Checks one listing page by page; `finish()` proves it whole or raises.

    `source` names the server in messages ("GitHub", "The Hugging Face Hub"), `what` the
    listing ("the commits of org/model"); `nonempty` says the listing cannot be empty when
    whole (a Hub repository always has its initial commit; GitHub answers 409, not `[]`,
    for an empty repository).
    """

    source: str
    repo: str
    what: str
    nonempty: bool = False
    pages: int = 0
    items: int = 0
    total: int | None = None  # what the server said the listing holds
    last_page: int | None = None  # the page number the server announced as last

    def page(
        self,
        data: Any,
        *,
        has_next: bool,
        total: int | None = None,
        last_page: int | None = None,
    ) -> list[dict]:
        """Check one page as it arrived and return its items.

        Raises:
            SourceError: the page is not a list of objects (kind "malformed"), is empty
                though it is not the first, or the server's count changed while listing
                (kind "incomplete").
        """
        self.pages += 1
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise self.broken(
                f"page {self.pages} is {_shape(data)}, not a list of commits", kind="malformed"
            )
        if not data and (self.pages > 1 or has_next):
            raise self.broken(f"page {self.pages} is empty")
        if total is not None:
            if self.total is not None and total != self.total:
                raise self.broken(f"the count changed from {self.total} to {total} while listing")
            self.total = total
        if last_page is not None:
            if self.last_page is not None and last_page != self.last_page:
                raise self.broken(
                    f"the last page changed from {self.last_page} to {last_page} while listing"
                )
            self.last_page = last_page
        self.items += len(data)
        return data

    def next_page(self, url: str, following: str) -> str:
        """The absolute URL of the page after `url` (`following` from its `rel="next"`): it
        must stay on `url`'s host, where the token goes, and within `MAX_PAGES`."""
        target = urljoin(url, following)
        if _origin(target) != _origin(url):
            raise self.broken("its next page points to another host")
        if self.pages >= MAX_PAGES:
            raise self.broken(f"it chains past {MAX_PAGES} pages")
        return target

    def finish(self) -> None:
        """Call after the page without a next link: the listing must be what was announced."""
        if self.nonempty and not self.items:
            raise self.broken("it listed nothing, and this listing is never empty")
        if self.last_page is not None and self.pages < self.last_page:
            raise self.broken(f"it stopped after page {self.pages} of {self.last_page}")
        if self.total is not None and self.items != self.total:
            raise self.broken(f"it listed {self.items} of the {self.total} it announced")

    def broken(self, detail: str, kind: str = "incomplete") -> SourceError:
        """The error for a listing that cannot be proved whole: "incomplete" when it ends
        short or moves, "malformed" when a page is not the list it should be."""
        return SourceError(
            f"{self.source} did not list {self.what} whole ({detail}); the fetch is not "
            "complete and the cache keeps what it had. Try again later.",
            kind=kind,
            repo=self.repo,
        )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _shape(data: Any) -> str:
    if isinstance(data, dict):
        return "a JSON object"
    if isinstance(data, list):
        return "a list holding something other than commits"
    return "null" if data is None else f"a {type(data).__name__}"
