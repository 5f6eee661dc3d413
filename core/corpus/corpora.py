"""The two corpora (`paper`, `mine`) and what one import into them stored."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PAPER, MINE = "paper", "mine"
CORPORA = (PAPER, MINE)


@dataclass(frozen=True)
class ImportReport:
    """What one import stored and what it had to leave out (rows skipped per file)."""

    corpus: str
    origin: str
    n_families: int
    n_excluded: int
    n_switches: int
    n_models: int
    skipped: dict[str, int] = field(default_factory=dict)
    missing_files: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    def to_dict(self) -> dict:
        out = asdict(self)
        out["missing_files"] = list(self.missing_files)
        out["notes"] = list(self.notes)
        out["n_skipped"] = self.n_skipped
        return out
