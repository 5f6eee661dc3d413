"""Discovered candidates on the Family page: every GitHub repository and optional variant the
Hub offers, with source and confidence, chosen by the user (saved through core.ingest.choose)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from core.ingest.discover import Candidate, Discovery
from core.markup import st_text


def candidates_table(found: Discovery) -> pd.DataFrame:
    """One row per candidate, best first within GitHub, then variants."""
    return pd.DataFrame(
        [
            {
                "candidate": c.id,
                "kind": "GitHub repository" if c.kind == "github" else "HF variant",
                "source": " + ".join((c.source, *c.also)),
                "confidence": c.confidence,
                "derived": c.derived,
                "why": c.detail,
            }
            for c in (*found.github, *found.variants)
        ]
    )


def _label(c: Candidate) -> str:
    derived = " · derived" if c.derived else ""
    return st_text(f"{c.id} — {c.confidence:.2f} · {' + '.join((c.source, *c.also))}{derived}")


def choose(
    found: Discovery, current: str | None, members: tuple[str, ...] = ()
) -> tuple[str | None, list[str]]:
    """Show the candidates; return the GitHub repository and the extra variants chosen.

    The repository starts at `current` (Algorithm 1's single pick) or at nothing when the
    card was ambiguous: several links are shown ranked, never picked for the user. Variants
    already in the family (`members`) are not offered again.
    """
    known = {m.lower() for m in members}
    found = replace(found, variants=tuple(c for c in found.variants if c.id.lower() not in known))
    st.markdown("**Discovered candidates** — ranked by confidence; you choose.")
    if not found.github and not found.variants:
        st.caption("The Hub offers no other candidate for this model.")
        return current, []
    st.dataframe(
        candidates_table(found),
        hide_index=True,
        width="stretch",
        column_config={
            "confidence": st.column_config.ProgressColumn(
                min_value=0.0, max_value=1.0, format="%.2f"
            )
        },
    )
    repo = current
    if found.github:
        by_id = {c.id: c for c in found.github}
        options = list(by_id) + ([current] if current and current not in by_id else [])
        repo = st.radio(
            "GitHub repository",
            options,
            index=options.index(current) if current in options else None,
            format_func=lambda r: _label(by_id[r]) if r in by_id else st_text(r),
            key="discovered_repo",
        )
    extra: list[str] = []
    if found.variants:
        by_variant = {c.id: c for c in found.variants}
        extra = st.multiselect(
            "Optional variants (derived ones are fine-tunes, quantizations, adapters, merges)",
            list(by_variant),
            format_func=lambda v: _label(by_variant[v]),
            key="discovered_variants",
        )
    for note in found.notes:
        st.caption(st_text(note))
    return repo, extra
