"""The learned labeler's model: a vocabulary and linear weights in one .npz file (plain numpy,
no pickle, so loading is fast and does not depend on the scikit-learn version that trained
it), and how it scores texts: softmax(temperature x (X W + b)) gives a confidence per label."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from core.labeling.learned.features import Batch, Featurizer, prepare
from core.labeling.rules import label_texts

CHUNK = 100_000  # texts featurised at once: bounds the arrays and the sparse matrices
MODEL_FILE = Path(__file__).resolve().parent / "model" / "learned.npz"


@dataclass(frozen=True)
class LinearModel:
    """Weights over the vocabulary's features plus the extra columns, one column per label."""

    version: str
    labels: tuple[str, ...]
    vocabulary: tuple[str, ...]
    weights: np.ndarray  # (n_features, n_labels) float32
    bias: np.ndarray  # (n_labels,)
    temperature: float
    info: dict[str, Any] = field(default_factory=dict)  # how it was trained, CV scores

    @cached_property
    def featurizer(self) -> Featurizer:
        return Featurizer(self.vocabulary)

    def batch(self, texts: list[str], platforms: list[str]) -> Batch:
        """The texts' features (the rules labeler runs here: its label is one of them)."""
        rules = label_texts(texts, platforms)
        return self.featurizer.batch([prepare(t) for t in texts], platforms, rules)

    def scores(self, texts: list[str], platforms: list[str]) -> np.ndarray:
        """(n_texts, n_labels) linear scores X W + b, a bounded batch at a time."""
        parts = [
            self.batch(texts[i : i + CHUNK], platforms[i : i + CHUNK]).times(self.weights)
            for i in range(0, len(texts), CHUNK)
        ]
        if not parts:
            return np.zeros((0, len(self.labels))) + self.bias
        return np.vstack(parts) + self.bias

    def probabilities(self, texts: list[str], platforms: list[str]) -> np.ndarray:
        """(n_texts, n_labels) calibrated probabilities."""
        return softmax(self.temperature * self.scores(texts, platforms))

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:  # not savez_compressed(path): it would add ".npz"
            np.savez_compressed(
                fh,
                version=np.array(self.version),
                labels=np.array(self.labels),
                vocabulary=np.array(self.vocabulary),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                temperature=np.array(self.temperature),
                info=np.array(json.dumps(self.info, sort_keys=True)),
            )


def load_model(path: Path = MODEL_FILE) -> LinearModel:
    """The model saved at `path` (the one shipped in the package by default)."""
    with np.load(path, allow_pickle=False) as z:
        return LinearModel(
            version=str(z["version"]),
            labels=tuple(str(x) for x in z["labels"]),
            vocabulary=tuple(str(x) for x in z["vocabulary"]),
            weights=z["weights"],
            bias=z["bias"],
            temperature=float(z["temperature"]),
            info=json.loads(str(z["info"])),
        )


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
