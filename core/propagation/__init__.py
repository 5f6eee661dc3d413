"""Exact propagation: which file version reached which platform, per commit, from git blob ids.

Read top-down: `records` (file histories as they arrive), `gitlog` (changes from a blobless
clone), `hubtrees` (changes from the Hub's tree listings), `importer` (both sides into the
cache, incrementally; `import_with_clients` is the one call), `content` (file versions and
their content keys), `links` (the first commit on the other side holding the same content,
and the links commit messages state), `measures` (shares, exact delays, what never arrived,
the Hub's own edits), `matrix` (files x variants), `build` (everything for one family),
`missing` (what the audit asks of a stale variant) and `render` (text, JSON, CSV).
"""
