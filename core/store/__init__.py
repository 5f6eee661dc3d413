"""The SQLite cache: one file shared by app sessions and the CLI, written only through here.

Split by concept — `db` (connection, transactions, stored times), `schema`, `commits`, `runs`
(fetch runs), `repos` (what the Hub says of a model), `families`, `labels`, `corpus`, `batch`,
`files` (file histories), `heads` (what `watch` last saw) — and re-exported, so callers write `store.save_family(db, family)`.
"""

from core.store.batch import add_batch_items, batch_items, set_batch_status
from core.store.commits import (
    DETAIL_FIELDS,
    commit_row,
    commit_texts,
    count_commits,
    family_commits,
    known_shas,
    latest_committed_time,
    save_commits,
)
from core.store.corpus import (
    corpus_import_info,
    corpus_version,
    load_corpus_table,
    replace_corpus,
)
from core.store.db import BUSY_TIMEOUT_MS, from_iso, now_iso, open_db, to_iso, transaction
from core.store.families import (
    data_version,
    family_name_for,
    find_family,
    list_families,
    load_family,
    remove_member,
    removed_members,
    save_family,
)
from core.store.files import (
    commit_times,
    empty_changes,
    file_changes,
    file_sources,
    files_version,
    save_file_history,
    scanned_shas,
)
from core.store.heads import SeenHead, save_heads, seen_heads
from core.store.labels import (
    corrections_for,
    label_rows,
    labels_for,
    load_corrections,
    save_corrections,
    save_labels,
)
from core.store.repos import head_sha, model_infos, save_model_info
from core.store.runs import (
    SavedFetch,
    complete_fetch,
    finish_run,
    last_complete_run,
    last_run,
    start_run,
)
from core.store.schema import (
    CORPUS_TABLES,
    ensure_corpus_schema,
    ensure_files_schema,
    ensure_schema,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CORPUS_TABLES",
    "DETAIL_FIELDS",
    "SavedFetch",
    "SeenHead",
    "add_batch_items",
    "batch_items",
    "commit_row",
    "commit_texts",
    "commit_times",
    "complete_fetch",
    "corpus_import_info",
    "corpus_version",
    "corrections_for",
    "count_commits",
    "data_version",
    "empty_changes",
    "ensure_corpus_schema",
    "ensure_files_schema",
    "ensure_schema",
    "family_commits",
    "family_name_for",
    "file_changes",
    "file_sources",
    "files_version",
    "find_family",
    "finish_run",
    "from_iso",
    "head_sha",
    "known_shas",
    "label_rows",
    "labels_for",
    "last_complete_run",
    "last_run",
    "latest_committed_time",
    "list_families",
    "load_corpus_table",
    "load_corrections",
    "load_family",
    "model_infos",
    "now_iso",
    "open_db",
    "remove_member",
    "removed_members",
    "replace_corpus",
    "save_commits",
    "save_corrections",
    "save_family",
    "save_file_history",
    "save_heads",
    "save_labels",
    "save_model_info",
    "scanned_shas",
    "seen_heads",
    "set_batch_status",
    "start_run",
    "to_iso",
    "transaction",
]
