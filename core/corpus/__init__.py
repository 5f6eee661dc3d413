"""The corpus: the paper's replication data and the families analysed in SyncLens, cached.

Two sources share the `corpus_*` tables, told apart by their `corpus` column:

* ``paper`` — the public replication package (`eyinlojuoluwa/Synchronization-Patterns`,
  folder `dataset/`): one row per family from `all_auto_and_manual_patterns.csv`, enriched
  with the other CSVs, and the 3,863 platform switches of `GH_HF_commit_time_differences.csv`.
* ``mine`` — every family cached in SyncLens that has commits, classified by the engine
  (`core.engine.analysis.analyze`) with its switches (`core.engine.delays`).

Fetching the package is `package`, mapping and importing it `replication` (cells cleaned by
`cells`); `embedded` is the compact copy shipped with SyncLens (used when the cache has no
paper corpus, or GitHub cannot be reached); the user's families are `mine`; reading the tables
back for reports is `load`; `matching` and `paper_family` find the paper's own labels for a
family; `paper` holds the paper's published numbers; `stats` computes the corpus statistics.

How the paper's numbers come out (checked against the replication CSVs):

* Shares of patterns and lags are over families (325 after the 13 exclusions; rounded to one
  decimal the shares equal the paper's Figures 20 and 22).
* Mean switch days are means over *all switches* of the families in a group, not means of
  per-family means (which give e.g. 49.69 days for GH First instead of the paper's 15.82).
* The switches file already leaves out the 13 excluded families, so with exclusions switched
  off the family shares cover 338 families but the switch statistics still cover 325.
* Family keys agree across the CSVs; they are still joined case-insensitively (`family_key`,
  casefolded) so a re-exported file with different capitalisation joins the same way.
* Exclusions are stored as a flag (`excluded`, `exclusion_reason`) and applied when the corpus
  is loaded for a report (`load_corpus(..., exclusions=True)`), never by deleting rows.
* Number of variants and age group come from `grouped_data_RQ2.csv` (what Figures 21, 23 and
  24 used); families missing there fall back to counting their models in
  `complete_dataset.csv` and have no age group.
"""

from core.corpus.cells import AGE_GROUPS, GITHUB_URL, github_repo_of
from core.corpus.corpora import CORPORA, MINE, PAPER, ImportReport
from core.corpus.embedded import (
    EMBEDDED,
    ensure_paper_corpus,
    import_embedded,
    import_paper,
    read_embedded,
)
from core.corpus.load import ALL, Corpus, load_corpus
from core.corpus.mine import import_mine, mine_change_types
from core.corpus.package import (
    FILES,
    RAW_BASE,
    REMOTE_PREFIXES,
    REPLICATION_REPO,
    REQUIRED,
    Fetcher,
    download_package,
    http_fetcher,
    read_folder,
)
from core.corpus.paper_family import PaperFamily, find_paper_family, paper_family
from core.corpus.replication import EXCLUSION_REASON, import_replication, parse_package

__all__ = [
    "AGE_GROUPS",
    "ALL",
    "CORPORA",
    "EMBEDDED",
    "EXCLUSION_REASON",
    "FILES",
    "GITHUB_URL",
    "MINE",
    "PAPER",
    "RAW_BASE",
    "REMOTE_PREFIXES",
    "REPLICATION_REPO",
    "REQUIRED",
    "Corpus",
    "Fetcher",
    "ImportReport",
    "PaperFamily",
    "download_package",
    "ensure_paper_corpus",
    "find_paper_family",
    "github_repo_of",
    "http_fetcher",
    "import_embedded",
    "import_mine",
    "import_paper",
    "import_replication",
    "load_corpus",
    "mine_change_types",
    "paper_family",
    "parse_package",
    "read_embedded",
    "read_folder",
]
