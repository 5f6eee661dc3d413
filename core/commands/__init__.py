"""One module per `python -m core` command; each has `register(subparsers)` and `run(args)`.

`register` adds the command's parser (with `func=run` as default); `run` returns the exit
code. Add a new command by writing its module and listing it here with its one-line help,
which `python -m core --help` shows without importing any command module (a test checks
that each module registers the same line).
"""

COMMANDS = {  # in the order a user meets them
    "family": "resolve and save a model family (GitHub repo + HF variants)",
    "fetch": "fetch a family's commits (HF + GitHub) into the cache",
    "export": "write a cached family's commits as CSV (classify input)",
    "report": "a cached family's full analysis (what the page shows)",
    "classify": "classify families from a commits CSV (no cache needed)",
    "label": "label commits (CSV or cached family) with change types",
    "label-eval": "evaluate a labeler against reference labels",
    "watch": "look for upstream changes (one request per repository), fetch what moved",
    "audit": "audit a cached family: stale variants, drift, isolated changes, advice; a CI gate",
    "propagation": "which GitHub file version reached which HF variant, and when (exact, per file)",
    "corpus": "import the paper's replication data (or your families)",
    "corpus-report": "corpus-wide shares, delays and tests as JSON",
    "batch": "analyse a list of families end to end (resumable)",
}
