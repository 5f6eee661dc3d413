"""The one resolve-and-save path: cache first, removals kept, edits saved in one transaction."""

import pytest
from test_resolve import FakeHub

from core import store
from core.errors import InputError
from core.ingest.choose import choose_family, save_choice
from core.records import Family, FamilyMember

CARDS = {
    "org/a": ["https://github.com/org/code"],
    "org/b": ["https://github.com/org/code"],
}
SEARCH = {(None, "org"): ["org/a", "org/b"]}


def hub():
    return FakeHub(CARDS, SEARCH)


def test_a_fresh_resolution_is_not_saved_until_the_caller_saves_it(fresh_db):
    choice = choose_family(fresh_db, "org/a", hub)
    assert not choice.from_cache
    assert store.find_family(fresh_db, "org/code") is None

    saved = save_choice(fresh_db, choice.family)
    assert store.load_family(fresh_db, saved.name) == saved
    assert choose_family(fresh_db, "org/a", hub).from_cache


def test_a_removed_variant_stays_removed_when_the_family_is_reached_through_it(fresh_db):
    first = choose_family(fresh_db, "org/a", hub)
    save_choice(fresh_db, first.family, remove=["org/b"])

    again = choose_family(fresh_db, "org/b", hub)  # not a member any more: resolved afresh
    assert not again.from_cache
    assert again.family.variants == ("org/a",)


def test_an_explicit_addition_brings_a_removed_variant_back(fresh_db):
    family = save_choice(fresh_db, choose_family(fresh_db, "org/a", hub).family, remove=["org/b"])
    back = save_choice(fresh_db, family, add=["org/b"])
    assert back.variants == ("org/a", "org/b")
    assert store.removed_members(fresh_db, back.name) == set()


def test_choosing_a_repository_names_a_family_found_from_a_model_alone(fresh_db):
    lone = Family("hf:org/x", None, (FamilyMember("org/x", "user"),))
    saved = save_choice(fresh_db, lone, github_repo="org/code")
    assert (saved.name, saved.github_repo) == ("org/code", "org/code")


def test_a_repository_no_model_links_to_is_not_saved_as_an_empty_family(fresh_db):
    nothing = Family("nope/nope", "nope/nope", ())
    with pytest.raises(InputError, match=r"No Hugging Face model was found for github\.com/nope"):
        save_choice(fresh_db, nothing)
    assert store.find_family(fresh_db, "nope/nope") is None


def test_a_refresh_that_finds_no_variant_keeps_the_cached_ones(fresh_db):
    saved = save_choice(fresh_db, choose_family(fresh_db, "org/a", hub).family)
    search_down = lambda: FakeHub({}, {})  # noqa: E731 - the Hub answers, but finds nothing
    again = choose_family(fresh_db, "gh:org/code", search_down, refresh=True)
    assert again.from_cache and again.family.variants == saved.variants
