"""A real-shaped family for propagation tests: GitHub replayed from SeaLLMs' real history, three
variants as local git repositories standing in for huggingface.co, one read from the tree API.

File contents are written so that some versions match across sides and some never do:

- config.json v1 reaches every variant, v2 reaches llm-7b 9 days late (its commit message
  names the GitHub commit), v3 reaches only llm-gated (through the tree API);
- tokenizer/tokenizer_config.json is moved on GitHub; llm-7b holds it flattened;
- model.safetensors is an LFS pointer on both sides (the Hub's listing also gives its sha256);
- README.md is edited on the Hub and never goes back upstream;
- generation_config.json reaches llm-7b through hub-sync; llm-1b never gets it;
- llm-gguf shares no file with GitHub.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gitutil import Files, build_repo, git, history, url_template

from core.records import GH, HF, CommitRecord, Family, FamilyMember

GH_REPO = "DAMO-NLP-SG/SeaLLMs"
SEVEN, ONE, GGUF, GATED = "acme/llm-7b", "acme/llm-1b", "acme/llm-gguf", "acme/llm-gated"
WEIGHTS_SHA256 = hashlib.sha256(b"weights v1").hexdigest()
WEIGHTS_SIZE = 14_483_498_000


def pointer(sha256: str = WEIGHTS_SHA256, size: int = WEIGHTS_SIZE) -> bytes:
    return (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()
    )


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


CONFIG = {1: b'{"hidden": 4096}\n', 2: b'{"hidden": 4096, "rope": 1}\n', 3: b'{"rope": 2}\n'}
TOKENIZER = b'{"model_max_length": 8192}\n'
GENERATION = b'{"top_p": 0.8}\n'

GH_FILES: dict[int, Files] = {
    0: {
        "README.md": b"# SeaLLM\n",
        "config.json": CONFIG[1],
        "tokenizer/tokenizer_config.json": TOKENIZER,
        "src/modeling_qwen.py": b"class Qwen: ...\n",
        "model.safetensors": pointer(),
        "LICENSE": b"",
    },
    4: {"config.json": CONFIG[2]},
    8: {"tokenizer/tokenizer_config.json": None, "configs/tokenizer_config.json": TOKENIZER},
    12: {"src/modeling_qwen.py": b"class Qwen: fixed\n"},
    16: {"config.json": CONFIG[3]},
    20: {"generation_config.json": GENERATION},
}


@dataclass
class Built:
    family: Family
    gh_remote: Path
    hf_remote: Path
    gh_shas: list[str]  # oldest first
    gh_times: list[datetime]
    hf_commits: list[CommitRecord]  # every variant, including the tree-API one

    def templates(self) -> tuple[str, str]:
        return url_template(self.gh_remote), url_template(self.hf_remote)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _hf_repo(base: Path, model_id: str, commits: list[tuple[datetime, str, Files]]) -> list[str]:
    rows = [("hub", "hub@hf.co", t.isoformat(), t.isoformat(), m) for t, m, _ in commits]
    build_repo(base / model_id, rows, files={i: f for i, (_, _, f) in enumerate(commits)})
    return git("rev-list", "--reverse", "main", cwd=base / model_id).split()


def build_family(base: Path) -> Built:
    gh_rows = history("SeaLLMs_SeaLLM", limit=24)
    build_repo(base / "gh" / GH_REPO, gh_rows, files=GH_FILES)
    shas = git("rev-list", "--reverse", "main", cwd=base / "gh" / GH_REPO).split()
    t = [_when(r[2]) for r in gh_rows]
    hour, day = timedelta(hours=1), timedelta(days=1)
    plans: dict[str, list[tuple[datetime, str, Files]]] = {
        SEVEN: [
            (t[0] + hour, "initial commit", {".gitattributes": b"*.safetensors filter=lfs\n"}),
            (
                t[0] + 2 * hour,
                "Upload folder using huggingface_hub",
                {
                    "config.json": CONFIG[1],
                    "tokenizer_config.json": TOKENIZER,
                    "model.safetensors": pointer(),
                    "README.md": b"# SeaLLM\n",
                },
            ),
            (
                t[4] + 9 * day,
                f"Auto Sync from git://github.com/{GH_REPO}.git/commit/{shas[4]}",
                {"config.json": CONFIG[2]},
            ),
            (t[12] + day, "Update README.md", {"README.md": b"# SeaLLM, on the Hub\n"}),
            (
                t[20] + 3 * day,
                f"Sync from {GH_REPO} via hub-sync",
                {"generation_config.json": GENERATION},
            ),
        ],
        ONE: [
            (
                t[0] + 5 * hour,
                "Upload 3 files",
                {
                    "config.json": CONFIG[1],
                    "README.md": b"# SeaLLM 1B\n",
                    "tokenizer_config.json": TOKENIZER,
                },
            ),
        ],
        GGUF: [(t[2] + day, "Upload model.gguf", {"model.gguf": b"GGUF v3\n"})],
    }
    hf_commits: list[CommitRecord] = []
    for model_id, plan in plans.items():
        for sha, (when, message, _) in zip(
            _hf_repo(base / "hf", model_id, plan), plan, strict=True
        ):
            hf_commits.append(_record(model_id, sha, when, message))
    for sha, when, message in gated_commits(t):
        hf_commits.append(_record(GATED, sha, when, message))
    family = Family(
        "SeaLLMs",
        GH_REPO,
        tuple(FamilyMember(m, "user") for m in (SEVEN, ONE, GGUF, GATED)),
    )
    return Built(family, base / "gh", base / "hf", shas, t, hf_commits)


def gated_commits(t: list[datetime]) -> list[tuple[str, datetime, str]]:
    """The tree-API variant's commits (sha, time, title), oldest first."""
    return [
        ("a" * 40, t[0] + 3 * timedelta(hours=1), "Upload model"),
        ("b" * 40, t[16] + 2 * timedelta(days=1), "Update config.json"),
    ]


def gated_trees() -> dict[str, list[dict]]:
    """The Hub's tree listing of the tree-API variant at each of its commits."""
    weights = {
        "type": "file",
        "path": "model.safetensors",
        "oid": "c" * 40,  # a pointer with other text: only the sha256 can match it
        "size": 135,
        "lfs": {"oid": WEIGHTS_SHA256, "size": WEIGHTS_SIZE, "pointerSize": 135},
    }

    def config(n: int) -> dict:
        data = CONFIG[n]
        return {"type": "file", "path": "config.json", "oid": blob_id(data), "size": len(data)}

    return {"a" * 40: [config(1), weights], "b" * 40: [config(3), weights]}


def _record(model_id: str, sha: str, when: datetime, message: str) -> CommitRecord:
    return CommitRecord(
        platform=HF, repo=model_id, sha=sha, authored_at=when, title=message, message=""
    )


def gh_records(built: Built) -> list[CommitRecord]:
    rows = history("SeaLLMs_SeaLLM", limit=24)
    return [
        CommitRecord(
            platform=GH,
            repo=GH_REPO,
            sha=sha,
            authored_at=when,
            title=r[4].split("\n", 1)[0],
            message=r[4],
        )
        for sha, when, r in zip(built.gh_shas, built.gh_times, rows, strict=True)
    ]


def cache_family(db_file: Path, base: Path) -> Built:
    """Build the family under `base`, save it with its commits (fetch runs complete, so the
    page never fetches) in the cache file `db_file`, and read every clonable file history
    (clones beside the cache file, where the CLI and the page look for them)."""
    from core import store
    from core.ingest.sources.gitrepo import GitBackend, hub_git
    from core.propagation.importer import import_file_histories

    built = build_family(base)
    gh_template, hf_template = built.templates()
    db = store.open_db(db_file)
    store.save_family(db, built.family)
    records = [*gh_records(built), *built.hf_commits]
    for platform, repo in [(GH, GH_REPO), *[(HF, v) for v in built.family.variants]]:
        run = store.start_run(db, platform, repo, "git")
        mine = [r for r in records if (r.platform, r.repo) == (platform, repo)]
        store.complete_fetch(db, run, platform, repo, mine)
    import_file_histories(
        db,
        built.family,
        github=GitBackend(db_file.parent, gh_template),
        hub_git=hub_git(db_file.parent, hf_template),
    )
    db.close()
    return built
