"""Home and Audit with what other people control: a model id built to be a link, commit titles
with Markdown and HTML, a family name that is not an id — all shown as text, never as a link or
markup; and Home marking the families that were never fetched or have a side missing."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from conftest import REPO
from google.protobuf.message import Message
from seed import seed
from streamlit.testing.v1 import AppTest
from test_audit import CHAT, V7B, story_records
from test_audit import REPO as WIDGET

from core import store
from core.records import GH, HF, CommitRecord, Family, FamilyMember

TIMEOUT = 60
EVIL_ID = "org/[click here](https://evil.example)"
EVIL_FAMILY = "hf:org/[click here](https://evil.example)"
TITLES = [
    "Fix [click](https://evil.example) <script>alert(1)</script> @everyone",
    '<img src=x onerror="alert(1)"> ![pixel](https://evil.example/p.png)',
    ":red[urgent] $x^2$ **bold** https://evil.example/auto www.evil.example me@evil.example",
]
ALLOWED_HOSTS = ("https://github.com/", "https://huggingface.co/")
LIVE_LINK = re.compile(r"(?<!\\)\[(?:[^\]\\]|\\.)*(?<!\\)\]\(([^)]*)\)")


@pytest.fixture
def hostile(db_file, monkeypatch):
    """acme/widget with a hostile variant and hostile titles; a family named like a link."""
    db = store.open_db(db_file)
    family = Family(WIDGET, WIDGET, tuple(FamilyMember(v, "card") for v in (V7B, CHAT, EVIL_ID)))
    store.save_family(db, family)
    store.save_commits(db, story_records())
    when = datetime(2024, 3, 1, tzinfo=UTC)
    store.save_commits(
        db,
        [
            CommitRecord(HF, EVIL_ID, f"{i:040x}", when.replace(day=i + 1), t, t)
            for i, t in enumerate(TITLES)
        ]
        + [
            CommitRecord(GH, WIDGET, f"e{i:039x}", when.replace(day=i + 10), t, t)
            for i, t in enumerate(TITLES)
        ],
    )
    store.save_family(db, Family(EVIL_FAMILY, None, (FamilyMember(EVIL_ID, "user"),)))
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))


def run_page(page: str, q: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if q is not None:
        at.query_params["q"] = q
    at.run()
    if page != "pages/home.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def rendered(at: AppTest) -> list[tuple[str, str, str]]:
    """(element, field, text) of every string the page sends to the browser, except code
    blocks (shown literally) and table cells (Arrow data, never Markdown)."""
    found: list[tuple[str, str, str]] = []

    def strings(kind: str, msg: Message) -> None:
        for field, value in msg.ListFields():
            repeated = not isinstance(value, str | bytes | Message) and hasattr(value, "__len__")
            items = list(value) if repeated else [value]
            for item in items:
                if isinstance(item, Message):
                    strings(kind, item)
                elif isinstance(item, str) and not (kind == "Code" and field.name == "code_text"):
                    found.append((kind, field.name, item))

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and type(node).__name__ not in (
            "Dataframe",
            "UnknownElement",
        ):
            strings(type(node).__name__, proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


CODE_SPAN = re.compile(r"`[^`]*`")


def assert_inert(at: AppTest) -> None:
    for kind, field, raw in rendered(at):
        if (kind, field) in (("Selectbox", "options"), ("Selectbox", "raw_values")):
            continue  # options are shown as plain text (checked in Chromium by the e2e test)
        text = CODE_SPAN.sub("`code`", raw)  # a code span shows its text literally
        where = f"{kind}.{field}: {raw[:120]!r}"
        for target in LIVE_LINK.findall(text):
            assert target.startswith(ALLOWED_HOSTS) and "evil" not in target, where
        if kind == "PageLink" and field == "page":
            assert "evil" not in text, where
        # renderers autolink bare URLs, www. and e-mail addresses after decoding escapes
        plain = html.unescape(re.sub(r"\\(.)", r"\1", text))
        assert not re.search(r"(?i)https?://evil|www\.evil|@evil\.", plain), where
        assert not re.search(r"<(script|img)\b", text, re.I), where
        assert ":red[" not in text, where  # Streamlit's colour directive
    for df in at.dataframe:
        for column in df.value.columns:
            urls = [v for v in df.value[column] if isinstance(v, str) and v.startswith("http")]
            assert all(u.startswith(ALLOWED_HOSTS) and "evil" not in u for u in urls), column


def test_the_audit_shows_a_hostile_variant_and_titles_as_text(hostile):
    at = run_page("pages/audit.py", WIDGET)

    assert [h.value for h in at.header][:2] == ["1. Stale variants", "2. Content drift"]
    assert_inert(at)
    titles = {t for df in at.dataframe if "title" in df.value.columns for t in df.value["title"]}
    assert set(TITLES) <= titles  # shown, as data
    stale = next(df.value for df in at.dataframe if "days behind" in df.value.columns)
    evil_row = stale[stale["note"].str.contains("not a well-formed", na=False)]
    assert evil_row["variant"].tolist() == [EVIL_ID]  # the id as text, no link to build
    assert evil_row[["Hub page", "last commit link"]].isna().all(axis=None)


def test_a_family_named_like_a_link_is_text_on_the_audit_page(hostile):
    at = run_page("pages/audit.py", WIDGET)

    at.selectbox(key="audit_pick").set_value(EVIL_FAMILY).run()

    assert not at.exception, at.exception
    assert at.error and "Cannot use" in at.error[0].value  # not an id: refused, as text
    assert_inert(at)


def test_home_lists_hostile_names_as_text_with_no_link(hostile):
    at = run_page("pages/home.py")

    assert_inert(at)
    labels = [m.value for m in at.markdown]
    assert any("not a repository id SyncLens can open" in v for v in labels)


# --- Home marks families that cannot be audited ---------------------------------------------


def test_home_marks_families_never_fetched_or_with_a_side_missing(db_file, shared, monkeypatch):
    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", shared)
    store.save_family(db, Family("acme/empty", "acme/empty", (FamilyMember("acme/e-1b", "user"),)))
    store.save_family(db, Family(WIDGET, WIDGET, (FamilyMember(V7B, "card"),)))
    store.save_commits(db, [r for r in story_records() if r.platform == GH])
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))

    at = run_page("pages/home.py")

    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges == [":red-badge[not fetched]", ":orange-badge[Hugging Face side missing]"]
    audit_links = [p.proto.query_string for p in at.get("page_link") if p.proto.label == "Audit"]
    assert audit_links == ["q=QwenLM%2FQwen"]  # only the family that can be audited
