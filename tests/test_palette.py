"""The change-type colours stay apart for readers with any common colour-vision deficiency."""

import numpy as np
import pytest

from core.figures.palette import LABEL_COLORS, UNLABELED
from core.vocabulary import CHANGE_TYPES

colorspacious = pytest.importorskip("colorspacious")

VISIONS = {
    "normal": None,
    **{
        kind: {"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
        for kind in ("deuteranomaly", "protanomaly", "tritanomaly")
    },
}
MIN_DISTANCE = 14.0  # CAM02-UCS units; the former palette reached 0.6 under protanopia


def _rgb(colors: list[str]) -> np.ndarray:
    return np.array([[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colors])


def smallest_distance(colors: list[str], vision: str) -> float:
    rgb = _rgb(colors)
    if VISIONS[vision] is not None:
        rgb = np.clip(colorspacious.cspace_convert(rgb, VISIONS[vision], "sRGB1"), 0, 1)
    ucs = colorspacious.cspace_convert(rgb, "sRGB1", "CAM02-UCS")
    d = np.linalg.norm(ucs[:, None] - ucs[None], axis=2) + np.eye(len(ucs)) * 1e9
    return float(d.min())


def test_every_change_type_has_its_own_colour():
    assert set(LABEL_COLORS) == {*CHANGE_TYPES, UNLABELED}
    assert len(set(LABEL_COLORS.values())) == len(LABEL_COLORS)


@pytest.mark.parametrize("vision", list(VISIONS))
def test_the_colours_are_told_apart_under_each_vision(vision):
    colors = [*LABEL_COLORS.values(), "#ffffff"]  # 15 types, unlabeled grey, the background
    assert smallest_distance(colors, vision) >= MIN_DISTANCE
