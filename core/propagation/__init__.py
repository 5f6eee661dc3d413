"""Exact propagation: which file version reached which platform, per commit, from git blob ids.

Read top-down: `records` (file histories as they arrive), `gitlog` (changes from a blobless
clone), `hubtrees` (changes from the Hub's tree listings), `importer` (both sides into the
cache, incrementally), `content` (file versions and their content keys), `links` (the first
commit on the other side holding the same content, and links named in commit messages),
`measures` (shares, delays, what never arrived), `matrix` (files x variants), `build`
(everything for one family) and `missing` (what the audit asks of a stale variant).
"""
