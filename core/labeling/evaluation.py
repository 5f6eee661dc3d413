"""How well a labeler agrees with reference labels: accuracy, Cohen's kappa, per-label scores.

Kappa is computed from the confusion matrix with numpy (the paper's measure of agreement
with human labels, Section 4.1.1.1); a missing prediction counts as its own category
("unlabeled"), so it always counts as a disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.labeling.frame import raw_texts
from core.labeling.labeler import Labeler
from core.labeling.names import normalise_label
from core.vocabulary import CHANGE_TYPES

UNLABELED = "unlabeled"
OVERALL = "all"


@dataclass(frozen=True)
class Scores:
    """Agreement on one slice of the reference set (a platform, or `all`)."""

    platform: str
    n: int
    accuracy: float
    kappa: float
    per_label: pd.DataFrame  # index label; precision, recall, f1, support, predicted
    confusion: pd.DataFrame  # rows reference label, columns predicted label


@dataclass(frozen=True)
class EvalReport:
    """Scores overall and per platform (`GH`, `HF`)."""

    overall: Scores
    by_platform: dict[str, Scores]

    def summary(self) -> pd.DataFrame:
        """One row per slice: n, accuracy, kappa."""
        rows = [self.overall, *self.by_platform.values()]
        return pd.DataFrame(
            [
                {"platform": s.platform, "n": s.n, "accuracy": s.accuracy, "kappa": s.kappa}
                for s in rows
            ]
        ).set_index("platform")


def cohen_kappa(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Cohen's kappa of two equally long label sequences; NaN when both hold one and the same
    class (all agreement is then chance: kappa is undefined, as scikit-learn has it)."""
    table = pd.crosstab(pd.Series(list(gold), name="g"), pd.Series(list(predicted), name="p"))
    labels = sorted(set(table.index) | set(table.columns))
    m = table.reindex(index=labels, columns=labels, fill_value=0).to_numpy(dtype=float)
    n = m.sum()
    if n == 0:
        return float("nan")
    observed = np.trace(m) / n
    expected = float((m.sum(axis=1) * m.sum(axis=0)).sum()) / n**2
    if expected == 1.0:
        return float("nan")
    return float((observed - expected) / (1 - expected))


def scores(gold: pd.Series, predicted: pd.Series, platform: str = OVERALL) -> Scores:
    """Accuracy, kappa, per-label precision/recall/F1 and the confusion matrix."""
    g = gold.reset_index(drop=True).astype(str)
    p = (
        predicted.reset_index(drop=True)
        .astype(object)
        .where(predicted.notna().to_numpy(), UNLABELED)
        .astype(str)
    )
    labels = [t for t in (*CHANGE_TYPES, UNLABELED) if t in set(g) | set(p)]
    confusion = pd.crosstab(g, p).reindex(index=labels, columns=labels, fill_value=0)
    confusion.index.name, confusion.columns.name = "reference", "predicted"
    hits = np.diag(confusion.to_numpy())
    support = confusion.sum(axis=1).to_numpy()
    predicted_n = confusion.sum(axis=0).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(predicted_n > 0, hits / predicted_n, np.nan)
        recall = np.where(support > 0, hits / support, np.nan)
        f1 = 2 * precision * recall / (precision + recall)
    per_label = pd.DataFrame(
        {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support,
            "predicted": predicted_n,
        },
        index=pd.Index(labels, name="label"),
    )
    per_label = per_label[per_label.index != UNLABELED]
    return Scores(
        platform=platform,
        n=len(g),
        accuracy=float((g == p).mean()) if len(g) else float("nan"),
        kappa=cohen_kappa(g, p),
        per_label=per_label,
        confusion=confusion,
    )


def evaluate(gold: pd.DataFrame, predicted: Sequence[str | None] | pd.Series) -> EvalReport:
    """Compare predictions (aligned with `gold` rows) to gold `label`s, per `platform`.

    Gold labels are normalised to the 15 change types; rows whose gold label is not one of
    them are ignored.
    """
    pred = pd.Series(list(predicted), index=gold.index, dtype=object)
    ref = gold["label"].map(normalise_label)
    keep = ref.notna()
    platforms = (
        gold["platform"].astype(str).str.upper()
        if "platform" in gold.columns
        else pd.Series("GH", index=gold.index)
    )
    overall = scores(ref[keep], pred[keep])
    by_platform = {
        plat: scores(ref[keep & (platforms == plat)], pred[keep & (platforms == plat)], plat)
        for plat in sorted(platforms[keep].unique())
    }
    return EvalReport(overall=overall, by_platform=by_platform)


def evaluate_labeler(gold: pd.DataFrame, labeler: Labeler) -> EvalReport:
    """Run a labeler over the gold texts (no cache) and evaluate it."""
    platforms = (
        gold["platform"].astype(str).str.upper().tolist()
        if "platform" in gold
        else ["GH"] * len(gold)
    )
    predicted = labeler.label(raw_texts(gold).tolist(), platforms)
    return evaluate(gold, [normalise_label(p) for p in predicted])
