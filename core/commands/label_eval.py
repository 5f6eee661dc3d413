"""`python -m core label-eval [GOLD.csv]`: how well labelers agree with reference labels."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd

from core.errors import InputError
from core.labeling import LABELERS, build_labeler
from core.labeling.evaluation import EvalReport, Scores, evaluate
from core.labeling.texts_csv import read_texts_csv

#: kappa when all agreement is chance (reference and labels one and the same class)
UNDEFINED_KAPPA = "- (one reference class)"

DESCRIPTION = """\
Evaluate labelers against reference labels: accuracy and Cohen's kappa with bootstrap 95%
intervals (1,000 resamples, fixed seed), side by side per platform; with one labeler and a
GOLD.csv also per-label precision and recall and the confusion matrix.

GOLD.csv columns: platform (GH/HF), text, label (one of the 15 change types). Without it, the
standard sets: the held-out test split of the learned labeler's double-annotated labels,
the dev set (../shared/labels/dev.csv) and the train split (the learned labeler's 5-fold
cross-validated labels). Labelers run on every text afresh (no cache, no corrections).
--labeler takes one name or several separated by commas (default: rules,learned, and
hybrid when ANTHROPIC_API_KEY is set). --format json adds each confusion matrix.
"""

SHORT = {
    "Preprocessing": "PRE",
    "Parameter Tuning": "PT",
    "Model Structure": "MS",
    "Training Infrastructure": "TI",
    "Pipeline Performance": "PP",
    "Sharing": "SH",
    "Validation Infrastructure": "VI",
    "Internal Documentation": "ID",
    "External Documentation": "ED",
    "Input Data": "IN",
    "Output Data": "OUT",
    "Project Metadata": "PM",
    "Add Dependency": "ADD",
    "Remove Dependency": "REM",
    "Update Dependency": "UPD",
    "unlabeled": "none",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "label-eval",
        help="evaluate a labeler against reference labels",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "gold", metavar="GOLD.csv", nargs="?", help="reference labels: platform,text,label"
    )
    p.add_argument(
        "--labeler",
        type=_names,
        help=f"one or more of {', '.join(LABELERS)}, comma-separated",
    )
    p.add_argument("--model", help="Claude model id (claude and hybrid labelers only)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--shared", type=Path, help="the shared data folder (default: ../shared beside the repo)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.labeling import comparison as cmp

    names = args.labeler or _default_names()
    labelers = [build_labeler(n, model=args.model) for n in names]
    if args.gold:
        sets = {Path(args.gold).stem: _read_gold(args.gold)}
    else:
        from core.labeling.learned.dataset import SHARED

        sets = cmp.standard_sets(args.shared or SHARED)
    results, detail = [], None
    for reference, gold in sets.items():
        predictions = cmp.run_labelers(gold, [lab for lab in labelers if _runs_on(lab, reference)])
        if reference == cmp.TRAIN_CV and "learned" in names:
            predictions["learned"] = _out_of_fold(gold)
        results += cmp.compare(reference, gold, predictions)
        if args.gold and len(labelers) == 1:
            detail = evaluate(gold, predictions[labelers[0].name])
    versions = {lab.name: lab.version for lab in labelers}
    if args.format == "json":
        print(json.dumps({"labelers": versions, "results": [r.as_dict() for r in results]}))
        return 0
    print(side_by_side(results, versions))
    if detail is not None:
        print()
        print(render(detail, f"{labelers[0].name} ({labelers[0].version})"))
    return 0


def side_by_side(results: list, versions: dict[str, str]) -> str:
    """One row per reference set, platform and labeler: n, accuracy and kappa [95% CI]."""
    head = "labelers: " + ", ".join(f"{n} ({v})" for n, v in versions.items())
    rows = [
        {
            "set": r.reference,
            "platform": r.platform,
            "labeler": r.labeler,
            "n": r.n,
            "accuracy": f"{r.accuracy:.3f} [{r.accuracy_ci[0]:.3f}, {r.accuracy_ci[1]:.3f}]",
            "kappa": UNDEFINED_KAPPA
            if math.isnan(r.kappa)
            else f"{r.kappa:.3f} [{r.kappa_ci[0]:.3f}, {r.kappa_ci[1]:.3f}]",
        }
        for r in results
    ]
    return "\n".join([head, pd.DataFrame(rows).to_string(index=False)])


def render(report: EvalReport, title: str) -> str:
    """The report as plain text: summary, then per platform the per-label scores and matrix."""
    parts = [f"labeler {title}", _fmt(report.summary())]
    for scores in report.by_platform.values():
        parts += _section(scores)
    if len(report.by_platform) > 1:
        parts += _section(report.overall)
    return "\n".join(parts)


def _read_gold(path: str) -> pd.DataFrame:
    gold = read_texts_csv(path)
    missing = {"text", "label"} - set(gold.columns)
    if missing:
        raise InputError(
            f"{path} has no {' or '.join(sorted(missing))} column; a gold "
            "file needs columns platform,text,label."
        )
    if gold.empty:
        raise InputError(f"{path} has no rows to evaluate.")
    if "platform" not in gold.columns:
        gold = gold.assign(platform="GH")
    gold = gold.assign(platform=gold["platform"].fillna("").astype(str).str.strip().str.upper())
    odd = gold[~gold["platform"].isin(["GH", "HF"])]
    if not odd.empty:
        raise InputError(
            f"{len(odd)} row(s) of {path} have a platform other than GH or HF (first: "
            f"{odd['platform'].iloc[0]!r}, data row {int(odd.index[0]) + 1}); fix or remove them."
        )
    from core.labeling.names import normalise_label

    known = gold["label"].map(normalise_label).notna()
    if not known.any():
        raise InputError(f"No row of {path} has one of the 15 change types as its label.")
    from core.labeling.text import EMPTY_KEY, text_key

    # as `label` sees it: nothing left after cleaning (empty, or only inline code)
    texted = gold["text"].fillna("").astype(str).map(text_key) != EMPTY_KEY
    _skipped(path, gold, ~known, "a label that is not one of the 15 change types", "label")
    _skipped(path, gold, known & ~texted, "no text to label", "text")
    if not (known & texted).any():
        raise InputError(f"No row of {path} has both a change type and a text to label.")
    return gold[known & texted]


def _skipped(path: str, gold: pd.DataFrame, mask: pd.Series, why: str, column: str) -> None:
    """Say on stderr which rows the evaluation leaves out, and why (never silently)."""
    if mask.any():
        first = gold[mask].iloc[0]
        print(
            f"warning: {int(mask.sum())} row(s) of {path} left out: {why} "
            f"(first: data row {int(gold.index[mask.to_numpy()][0]) + 1}, {column} "
            f"{str(first[column])[:60]!r}).",
            file=sys.stderr,
        )


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in LABELERS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown labeler {', '.join(unknown) or value!r}; choose from {', '.join(LABELERS)}"
        )
    return list(dict.fromkeys(names))


def _default_names() -> list[str]:
    from core.settings import secret

    return ["rules", "learned", *(["hybrid"] if secret("ANTHROPIC_API_KEY") else [])]


def _runs_on(labeler, reference: str) -> bool:
    """On the train split only the untrained labelers run (learned: its out-of-fold labels;
    hybrid would ask Claude about texts the learned labeler was trained on)."""
    from core.labeling.comparison import TRAIN_CV

    return reference != TRAIN_CV or labeler.name not in ("learned", "hybrid")


def _out_of_fold(gold: pd.DataFrame) -> list[str | None]:
    from core.labeling.learned.labeler import shipped_model

    info = shipped_model().info
    found = dict(zip(info["cv_rows"], info["cv_predicted"], strict=True))
    keys = gold["platform"] + ":" + gold["source"] + ":" + gold["commit_id"]
    return [found.get(k) for k in keys]


def _section(s: Scores) -> list[str]:
    per_label = s.per_label.copy()
    confusion = s.confusion.rename(index=SHORT, columns=SHORT)
    return [
        "",
        f"== {s.platform}: n={s.n} accuracy={s.accuracy:.3f} "
        + (f"kappa {UNDEFINED_KAPPA}" if math.isnan(s.kappa) else f"kappa={s.kappa:.3f}"),
        _fmt(per_label),
        "",
        "confusion (rows reference, columns predicted):",
        confusion.to_string(),
    ]


def _fmt(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=lambda x: f"{x:.3f}", na_rep="-")
