"""One module per `python -m core` command; each has `register(subparsers)` and `run(args)`.

`register` adds the command's parser (with `func=run` as default); `run` returns the exit
code. Add a new command by writing its module and listing it here.
"""

COMMANDS = [  # in the order a user meets them
    "family",
    "fetch",
    "export",
    "report",
    "classify",
    "label",
    "label-eval",
    "audit",
    "propagation",
    "corpus",
    "corpus-report",
    "batch",
]
