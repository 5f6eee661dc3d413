"""Labelers side by side: accuracy and Cohen's kappa with bootstrap 95% intervals, per
reference set and platform, with each confusion matrix.

The reference sets: a user's GOLD.csv, or the standard three: the held-out `test` split of
the learned labeler's double-annotated labels, the `dev` set (`../shared/labels/dev.csv`),
and `train-cv` (the train split; the learned labeler's out-of-fold labels from its
5-fold cross-validation, the other labelers' plain labels as they are not trained on it).
Intervals: the percentile bootstrap over texts (1,000 resamples, fixed seed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.labeling.evaluation import UNLABELED
from core.labeling.frame import raw_texts
from core.labeling.labeler import Labeler
from core.labeling.names import normalise_label
from core.vocabulary import CHANGE_TYPES

RESAMPLES, SEED = 1_000, 0
TEST, DEV, TRAIN_CV = "test", "dev", "train-cv"


@dataclass(frozen=True)
class Agreement:
    """One labeler on one slice of a reference set."""

    labeler: str
    reference: str  # the set: test, dev, train-cv or a file's name
    platform: str
    n: int
    accuracy: float
    accuracy_ci: tuple[float, float]
    kappa: float
    kappa_ci: tuple[float, float]
    confusion: pd.DataFrame  # rows reference, columns predicted

    def as_dict(self) -> dict:
        return {
            "labeler": self.labeler,
            "reference": self.reference,
            "platform": self.platform,
            "n": self.n,
            "accuracy": self.accuracy,
            "accuracy_ci": list(self.accuracy_ci),
            "kappa": _or_none(self.kappa),
            "kappa_ci": [_or_none(x) for x in self.kappa_ci],
            "confusion": {
                "labels": self.confusion.index.tolist(),
                "matrix": self.confusion.to_numpy().tolist(),
            },
        }


def _or_none(value: float) -> float | None:
    """JSON has no NaN: an undefined figure is null."""
    return None if np.isnan(value) else value


def kappa_and_accuracy(gold: np.ndarray, pred: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    """Accuracy and kappa of integer-coded labels; rows of `gold`/`pred` are resamples."""
    rows, n = gold.shape
    cells = (gold * k + pred) + (np.arange(rows)[:, None] * k * k)
    table = np.bincount(cells.ravel(), minlength=rows * k * k).reshape(rows, k, k) / n
    observed = np.trace(table, axis1=1, axis2=2)
    expected = (table.sum(axis=2) * table.sum(axis=1)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # all agreement is chance (both sides one and the same class): kappa is undefined
        kappa = np.where(expected < 1, (observed - expected) / (1 - expected), np.nan)
    return observed, kappa


def agreement(
    gold: list[str], predicted: list[str | None], labeler: str, reference: str, platform: str
) -> Agreement:
    """Scores with bootstrap intervals; a missing prediction is its own (wrong) label."""
    pred = [p or UNLABELED for p in predicted]
    labels = [t for t in (*CHANGE_TYPES, UNLABELED) if t in set(gold) | set(pred)]
    code = {lb: i for i, lb in enumerate(labels)}
    g = np.array([code[x] for x in gold], dtype=np.int64)
    p = np.array([code[x] for x in pred], dtype=np.int64)
    k = len(labels)
    accuracy, kappa = (float(x[0]) for x in kappa_and_accuracy(g[None], p[None], k))
    draws = np.random.default_rng(SEED).integers(0, len(g), size=(RESAMPLES, len(g)))
    accs, kappas = kappa_and_accuracy(g[draws], p[draws], k)
    confusion = pd.crosstab(pd.Series(gold), pd.Series(pred)).reindex(
        index=labels, columns=labels, fill_value=0
    )
    return Agreement(
        labeler, reference, platform, len(g), accuracy, _interval(accs), kappa,
        _interval(kappas), confusion,
    )  # fmt: skip


def compare(
    reference: str, gold: pd.DataFrame, predictions: dict[str, list[str | None]]
) -> list[Agreement]:
    """Each labeler's agreement with `gold` (platform, label) per platform, then overall."""
    ref = gold["label"].map(normalise_label)
    keep = ref.notna().to_numpy()
    platforms = gold["platform"].astype(str).str.upper().to_numpy()
    out = []
    for platform in [*sorted(set(platforms[keep])), "all"]:
        mask = keep & ((platforms == platform) if platform != "all" else True)
        if platform == "all" and len(set(platforms[keep])) < 2:
            continue
        for name, predicted in predictions.items():
            pred = [normalise_label(x) for x in np.asarray(predicted, dtype=object)[mask]]
            out.append(agreement(ref[mask].tolist(), pred, name, reference, platform))
    return out


def run_labelers(gold: pd.DataFrame, labelers: list[Labeler]) -> dict[str, list[str | None]]:
    """Each labeler's labels of the gold texts (no cache, no corrections)."""
    texts = raw_texts(gold).tolist()
    platforms = gold["platform"].astype(str).str.upper().tolist()
    return {lab.name: lab.label(texts, platforms) for lab in labelers}


def standard_sets(shared: Path) -> dict[str, pd.DataFrame]:
    """The held-out test split, the dev set and the train split (platform, text, label)."""
    from core.labeling.learned.dataset import labeled_texts
    from core.labeling.texts_csv import read_texts_csv

    labeled = labeled_texts(shared)
    return {
        TEST: labeled[labeled["split"] == "test"].reset_index(drop=True),
        DEV: read_texts_csv(shared / "labels" / "dev.csv"),
        TRAIN_CV: labeled[labeled["split"] == "train"].reset_index(drop=True),
    }


def _interval(values: np.ndarray) -> tuple[float, float]:
    if np.isnan(values).all():
        return float("nan"), float("nan")
    lo, hi = np.nanpercentile(values, [2.5, 97.5])
    return float(lo), float(hi)
