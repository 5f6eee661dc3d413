"""The learned change-type labeler: a linear model over character and word n-grams and the
rules labeler's own decision, trained on independently double-annotated real commit texts.

`dataset` (labels in `data/labels.csv`, texts read by id from `../shared/data/`), `features`,
`model` (weights shipped in `model/learned.npz`), `train` (rebuilds it deterministically),
`labeler` (`learned`, and `hybrid`: low-confidence texts go to Claude when a key is set).
"""
