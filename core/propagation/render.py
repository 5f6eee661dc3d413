"""A family's `Propagation` as plain text, JSON-ready data and CSV, for the command line."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from core.csvsafe import csv_text
from core.propagation.build import Propagation
from core.propagation.importer import FileImport
from core.propagation.matrix import matrix_table
from core.propagation.measures import Delays, never_arrived

SOURCE_WORDS = {"git": "blobless git clone", "api": "Hub tree API", "none": "not read"}
MAX_ROWS = 15


def _hours(d: Delays) -> str:
    if not d.n:
        return "—"
    return f"median {d.median} h, mean {d.mean} h, p90 {d.p90} h (n={d.n})"


def _share(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def render_table(result: Propagation, imports: tuple[FileImport, ...] = ()) -> str:
    """The report a terminal shows: how each side was read, the family, each variant, the
    changes that never arrived, the Hub's own edits, the links stated in messages, the matrix."""
    s = result.summary
    out = [f"Exact propagation — {result.family} (GitHub {result.github_repo or '—'})", ""]
    out.append("File histories:")
    read = {(r["platform"], r["repo"]): r for r in result.sources}
    for platform, repo in [("GH", result.github_repo), *[("HF", v) for v in result.variants]]:
        if repo is None:
            continue
        now = next((i for i in imports if i.repo == repo and i.platform == platform), None)
        row = read.get((platform, repo))
        how = SOURCE_WORDS.get(row["source"], row["source"]) if row else "not read"
        extra = f", {row['n_commits']} commit(s)" if row else ""
        this_run = (
            f"; this run: {now.status}" + (f" ({now.note})" if now.note else "") if now else ""
        )
        out.append(f"  {platform} {repo}: {how}{extra}{this_run}")
    out += [
        "",
        f"Family: {_share(s.share)} of {s.reached + s.never} GitHub file versions reached the "
        f"variants that carry the file ({s.reached} reached, {s.never} never, {s.from_hub} "
        f"first on the Hub); {s.variants_sharing} of {s.variants} variants share files.",
        f"  delay GitHub → Hub: {_hours(s.delays)}",
        f"  Hub edits of shared files never sent upstream: {s.hub_only_edits}; links named in "
        f"Hub commit messages: {s.message_links}; variants with a sync bot: "
        f"{s.automated_variants}",
        "",
    ]
    variants = pd.DataFrame(
        [
            {
                "variant": v.variant,
                "shared files": v.shared_files,
                "versions": v.gh_versions,
                "reached": v.reached,
                "never": v.never,
                "share": _share(v.share),
                "median h": v.delays.median if v.delays.n else "—",
                "hub-only edits": v.hub_only_edits,
                "named": v.message_links,
                "bot commits": v.automated_commits,
            }
            for v in result.per_variant
        ]
    )
    out += ["Per variant:", variants.to_string(index=False) if not variants.empty else "  —", ""]
    never = never_arrived(result.status)
    out.append("Never arrived (GitHub file versions, by file and change type):")
    out.append(_head(never))
    out.append("Edited on the Hub, never sent upstream:")
    out.append(_head(result.hub_only[["variant", "path", "time"]]))
    named = result.links[result.links["kind"] == "message"]
    out.append("Links named in Hub commit messages:")
    out.append(_head(named[["variant", "source_sha", "target_sha", "delay_hours"]]))
    out.append("Per-file matrix (current GitHub files x variants):")
    out.append(_head(matrix_table(result.matrix, result.variants), rows=40))
    if result.missing_histories:
        out.append(
            "No file history cached for: " + ", ".join(result.missing_histories) + " (run "
            "without --offline to read it)."
        )
    return "\n".join(out).rstrip() + "\n"


def to_dict(result: Propagation, imports: tuple[FileImport, ...] = ()) -> dict:
    """Everything, JSON-ready (times as ISO text)."""

    def records(frame: pd.DataFrame) -> list[dict]:
        return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]

    return {
        "family": result.family,
        "github_repo": result.github_repo,
        "summary": {**asdict(result.summary), "share": result.summary.share},
        "variants": [{**asdict(v), "share": v.share} for v in result.per_variant],
        "sources": list(result.sources),
        "this_run": [asdict(i) for i in imports],
        "links": records(result.links),
        "never_arrived": records(never_arrived(result.status)),
        "hub_only_edits": records(result.hub_only),
        "matrix": records(result.matrix),
        "automated_commits": records(result.automated),
        "missing_histories": list(result.missing_histories),
    }


def to_csv(result: Propagation) -> str:
    """One row per (GitHub file version, variant it counts for): reached, never or from HF."""
    return csv_text(result.status, date_format="%Y-%m-%dT%H:%M:%SZ")


def _head(frame: pd.DataFrame, rows: int = MAX_ROWS) -> str:
    if frame.empty:
        return "  —\n"
    text = frame.head(rows).to_string(index=False)
    more = f"\n  … and {len(frame) - rows} more" if len(frame) > rows else ""
    return text + more + "\n"


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value
