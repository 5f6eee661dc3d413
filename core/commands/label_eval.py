"""`python -m core label-eval GOLD.csv`: how well a labeler agrees with reference labels."""

from __future__ import annotations

import argparse

import pandas as pd

from core.errors import InputError
from core.labeling import LABELERS, build_labeler
from core.labeling.evaluation import EvalReport, Scores, evaluate_labeler
from core.labeling.texts_csv import read_texts_csv

DESCRIPTION = """\
Evaluate a labeler against reference labels: accuracy, Cohen's kappa, per-label precision
and recall, and the confusion matrix, overall and per platform.

GOLD.csv columns: platform (GH/HF), text, label (one of the 15 change types). The labeler
runs on every text afresh (no cache, no corrections), so the numbers describe the labeler.
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
    p.add_argument("gold", metavar="GOLD.csv", help="reference labels: platform,text,label")
    p.add_argument(
        "--labeler",
        choices=LABELERS,
        default="rules",
        help="rules (offline, default) or claude (Anthropic API)",
    )
    p.add_argument("--model", help="Claude model id (claude labeler only)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    gold = read_texts_csv(args.gold)
    missing = {"text", "label"} - set(gold.columns)
    if missing:
        raise InputError(
            f"{args.gold} has no {' or '.join(sorted(missing))} column; a gold "
            "file needs columns platform,text,label."
        )
    if gold.empty:
        raise InputError(f"{args.gold} has no rows to evaluate.")
    labeler = build_labeler(args.labeler, model=args.model)
    report = evaluate_labeler(gold, labeler)
    if report.overall.n == 0:
        raise InputError(f"No row of {args.gold} has one of the 15 change types as its label.")
    print(render(report, f"{labeler.name} ({labeler.version})"))
    return 0


def render(report: EvalReport, title: str) -> str:
    """The report as plain text: summary, then per platform the per-label scores and matrix."""
    parts = [f"labeler {title}", _fmt(report.summary())]
    for scores in report.by_platform.values():
        parts += _section(scores)
    if len(report.by_platform) > 1:
        parts += _section(report.overall)
    return "\n".join(parts)


def _section(s: Scores) -> list[str]:
    per_label = s.per_label.copy()
    confusion = s.confusion.rename(index=SHORT, columns=SHORT)
    return [
        "",
        f"== {s.platform}: n={s.n} accuracy={s.accuracy:.3f} kappa={s.kappa:.3f}",
        _fmt(per_label),
        "",
        "confusion (rows reference, columns predicted):",
        confusion.to_string(),
    ]


def _fmt(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=lambda x: f"{x:.3f}", na_rep="-")
