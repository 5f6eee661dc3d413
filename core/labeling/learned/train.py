"""Train the learned labeler from `data/labels.csv` and the texts in `../shared/data/`.

    python -m core.labeling.learned.train [--shared ../shared] [--output MODEL.npz]

Deterministic: rows sorted by (platform, source, commit id), fixed folds and solver seed, so
a clean checkout rebuilds the same weights. Only the `train` split is read. The penalty C is
chosen by 5-fold cross-validation on it (mean Cohen's kappa of GH and HF); the softmax
temperature that turns scores into confidences by the out-of-fold log-loss. The
out-of-fold labels are kept in the model's info, so `label-eval` reports them.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from core.labeling.learned.dataset import LABELS_CSV, SHARED, labeled_texts
from core.labeling.learned.features import Featurizer, build_vocabulary, prepare
from core.labeling.learned.model import MODEL_FILE, LinearModel, softmax
from core.labeling.rules import label_texts

VERSION = "learned-2"
C_GRID = (0.3, 1.0, 3.0)
FOLDS = 5
SEED = 0
MIN_DF = 2
TEMPERATURES = np.geomspace(0.5, 30, 60)


def fit(frame: pd.DataFrame, c: float, labels: tuple[str, ...]) -> LinearModel:
    """A model trained on `frame` (platform, text, label) with penalty `c` (temperature 1)."""
    from sklearn.svm import LinearSVC

    prepared = [prepare(t) for t in frame["text"]]
    vocabulary = build_vocabulary(prepared, MIN_DF)
    rows = _rows(Featurizer(vocabulary), frame, prepared)
    target = np.array([labels.index(lb) for lb in frame["label"]])
    svm = LinearSVC(C=c, random_state=SEED, max_iter=20_000).fit(rows, target)
    weights = np.zeros((rows.shape[1], len(labels)), dtype=np.float32)
    bias = np.zeros(len(labels), dtype=np.float32)
    weights[:, svm.classes_] = svm.coef_.T
    bias[svm.classes_] = svm.intercept_
    bias[np.setdiff1d(np.arange(len(labels)), svm.classes_)] = -1e3  # never seen in a fold
    return LinearModel(VERSION, labels, tuple(vocabulary), weights, bias, 1.0)


def out_of_fold_scores(frame: pd.DataFrame, c: float, labels: tuple[str, ...]) -> np.ndarray:
    """Each training row's scores from the model of the folds that did not see it."""
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    scores = np.zeros((len(frame), len(labels)))
    for seen, unseen in folds.split(frame, frame["label"]):
        model = fit(frame.iloc[seen], c, labels)
        part = frame.iloc[unseen]
        scores[unseen] = model.scores(part["text"].tolist(), _platforms(part))
    return scores


def kappas(frame: pd.DataFrame, predicted: list[str]) -> dict[str, tuple[float, float]]:
    """(accuracy, kappa) per platform."""
    from sklearn.metrics import cohen_kappa_score

    out = {}
    for platform in sorted(set(frame["platform"])):
        mask = (frame["platform"] == platform).to_numpy()
        gold, pred = frame["label"].to_numpy()[mask], np.asarray(predicted)[mask]
        out[platform] = (float((gold == pred).mean()), float(cohen_kappa_score(gold, pred)))
    return out


def best_temperature(scores: np.ndarray, target: np.ndarray) -> float:
    """The temperature whose softmax gives the lowest log-loss on out-of-fold scores."""
    losses = [
        -np.log(softmax(t * scores)[np.arange(len(target)), target] + 1e-12).mean()
        for t in TEMPERATURES
    ]
    return float(TEMPERATURES[int(np.argmin(losses))])


def train(shared: Path = SHARED, log=print) -> LinearModel:
    """The model from the train split: C by cross-validation, then fit on all of it."""
    frame = labeled_texts(shared, split="train")
    frame = frame.sort_values(["platform", "source", "commit_id"]).reset_index(drop=True)
    labels = tuple(sorted(set(frame["label"])))
    target = np.array([labels.index(lb) for lb in frame["label"]])
    grid = {}
    for c in C_GRID:
        scores = out_of_fold_scores(frame, c, labels)
        per = kappas(frame, [labels[i] for i in scores.argmax(axis=1)])
        grid[c] = (float(np.mean([k for _, k in per.values()])), scores, per)
        log(f"C={c}: " + ", ".join(f"{p} acc {a:.3f} kappa {k:.3f}" for p, (a, k) in per.items()))
    c = max(C_GRID, key=lambda x: (grid[x][0], -x))
    scores, per = grid[c][1], grid[c][2]
    temperature = best_temperature(scores, target)
    model = fit(frame, c, labels)
    info = {
        "C": c,
        "cv_folds": FOLDS,
        "cv": {p: {"accuracy": a, "kappa": k} for p, (a, k) in per.items()},
        "cv_grid": {str(x): grid[x][0] for x in C_GRID},
        "cv_rows": [
            f"{p}:{s}:{i}" for p, s, i in frame[["platform", "source", "commit_id"]].values
        ],
        "cv_predicted": [labels[i] for i in scores.argmax(axis=1)],
        "n_train": {p: int((frame["platform"] == p).sum()) for p in sorted(set(frame["platform"]))},
        "labels_sha256": hashlib.sha256(LABELS_CSV.read_bytes()).hexdigest()[:16],
        "features": len(model.vocabulary),
        "rules_version": _rules_version(),
    }
    log(f"chosen C={c}, temperature {temperature:.2f}, {len(model.vocabulary)} terms")
    return LinearModel(
        VERSION, labels, model.vocabulary, model.weights, model.bias, temperature, info
    )


def _rows(featurizer: Featurizer, frame: pd.DataFrame, prepared: list[str]):
    platforms = _platforms(frame)
    return featurizer.matrix(prepared, platforms, label_texts(frame["text"].tolist(), platforms))


def _platforms(frame: pd.DataFrame) -> list[str]:
    return frame["platform"].tolist()


def _rules_version() -> str:
    from core.labeling.rules import VERSION as RULES

    return RULES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder")
    parser.add_argument("--output", type=Path, default=MODEL_FILE, help="where to write it")
    args = parser.parse_args(argv)
    model = train(args.shared, log=lambda s: print(s, file=sys.stderr))
    model.save(args.output)
    size = args.output.stat().st_size / 1e6
    print(f"wrote {args.output} ({size:.1f} MB, {model.version})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
