"""A maintainer's self-audit of one family: stale variants, content drift, changes never
carried over, where the family stands, and what to do about it.

`audit_family` (core.audit.report) is pure: commits (with labels when known), file listings,
model infos and the corpus come in as data, an `AuditReport` comes out. Whatever could not be
checked (a side unreachable, a gated variant, no listing, no labels) is named in
`report.limitations` with a typed `LimitKind`. Each finding has its own module (stale, drift,
isolated, standing, recommendations). Gathering the inputs from the cache and the network is
`core.audit.inputs`, which refuses a family without commits on both sides (`core.audit.coverage`);
the CI gate over a report is `core.audit.gate`; the report as Markdown is `core.audit.render`,
as an SVG badge `core.audit.badge`, as tables `core.audit.tables`, as figures
`core.figures.audit`.
"""

from core.audit.blobs import EMPTY_BLOB, POINTER_MAX, lfs_pointer_blob
from core.audit.commits import MAX_LISTED, UNLABELED, CommitRef
from core.audit.drift import (
    GITATTRIBUTES,
    ContentDrift,
    FileComparison,
    OneSidedFile,
    RenamedFile,
)
from core.audit.isolated import WINDOW_DAYS, IsolatedChanges
from core.audit.limits import Limitation, LimitKind
from core.audit.links import commit_url, file_url, repo_url
from core.audit.matching import CARD_NAMES, CRITICAL_FILE, KNOWN_FILE
from core.audit.recommendations import GROUP_ABOVE, SEVERITIES, Recommendation, recommend
from core.audit.report import AuditReport, audit_family
from core.audit.stale import StaleVariant
from core.audit.standing import FamilyStanding, HalfPattern

__all__ = [
    "CARD_NAMES",
    "CRITICAL_FILE",
    "EMPTY_BLOB",
    "GITATTRIBUTES",
    "GROUP_ABOVE",
    "KNOWN_FILE",
    "MAX_LISTED",
    "POINTER_MAX",
    "SEVERITIES",
    "UNLABELED",
    "WINDOW_DAYS",
    "AuditReport",
    "CommitRef",
    "ContentDrift",
    "FamilyStanding",
    "FileComparison",
    "HalfPattern",
    "IsolatedChanges",
    "LimitKind",
    "Limitation",
    "OneSidedFile",
    "Recommendation",
    "RenamedFile",
    "StaleVariant",
    "audit_family",
    "commit_url",
    "file_url",
    "lfs_pointer_blob",
    "recommend",
    "repo_url",
]
