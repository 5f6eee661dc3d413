"""Text from other people's repositories (commit titles, model ids, file paths) made inert for
Markdown: shown as written, never as a link, image, HTML, mention or table break."""

from __future__ import annotations

import re

# One pass, character by character: `& < >` become entities (no HTML, no entity of the
# text's own), so do `@` (GitHub would ping the user) and `#` (a cross-reference or a
# heading); the Markdown punctuation that can start links, images, emphasis, code or table
# cells gets a backslash. Other punctuation stays readable.
_MD_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "@": "&#64;",
        "#": "&#35;",
        **{ch: "\\" + ch for ch in "\\`*_[]|~!"},
    }
)

# Renderers autolink bare `scheme://`, `www.` and `name@host` in text *after* decoding escapes
# and entities (GitHub's cmark-gfm, Streamlit's remark-gfm), so no escape can stop them: an
# invisible WORD JOINER after `scheme:`, `www` and `@` breaks each pattern and reads the same.
_AUTOLINK = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:(?=//)|mailto:|www(?=\.)|&#64;)")
WORD_JOINER = "\u2060"


def md_text(value: object, limit: int = 120) -> str:
    """Untrusted text as inert Markdown: one line, HTML-escaped, Markdown punctuation
    backslash-escaped, `@mentions`, `#refs` and autolinks neutralised, cut to `limit`
    characters."""
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.translate(_MD_ESCAPES)
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text)


def md_link(label: str, url: str) -> str:
    """A Markdown link whose label is escaped text and whose URL cannot close the link."""
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
    return f"[{md_text(label)}]({safe})"


def st_text(value: object, limit: int = 600) -> str:
    """`md_text` for Streamlit's Markdown, which also reads `$` (math) and `:` (emoji, icons)."""
    return md_text(value, limit).replace("$", "\\$").replace(":", "\\:")
