"""Benchmark labeling on real texts: the rules labeler, the `label` command, cached labels.

Every measure is CPU time, printed as project, floor and their ratio, in one run:
1. rules: every unique real text of ../shared/data (GitHub messages and HF title+message,
   about 43,000) labeled with an empty memo, the first call in the process (which compiles
   the rules for Python's `re`) and the next. Floor: one compiled regex searched over the
   same texts. Target: >= 100,000 texts/s.
2. `python -m core label IN.csv --output OUT.csv` on the unique real GitHub messages (read,
   label, cache, write), net of the command's start-up (the same command on a one-row file:
   interpreter, imports, opening the cache), with the default (learned) labeler and with the
   rules labeler. Floor: pandas reading and writing the same CSV. Target: >= 50,000 texts/s.
3. a cached family of 80,000 commits (real texts) whose labels are all cached: the labeling
   step of `report` (`label_commits` over `store.family_commits`) and the whole report (the
   first one after a fetch, which keeps a columnar copy of the family, and the next ones).
   Floor: reading the family's commits. Target: whole report <= 0.5 s.
4. claude: a synthetic family (real texts, many repeats) labeled through replayed Messages
   API responses. Target: at most one request per 50 unique texts; a second run, zero.

    nice python benchmarks/bench_labels.py [--family-commits 80000] [--claude-commits 6000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from anthropic_replay import Replay, batch_items, labels_reply  # noqa: E402
from real_texts import real_texts, unique_real_texts  # noqa: E402

from core import store  # noqa: E402
from core.labeling import rules  # noqa: E402
from core.labeling.claude import ClaudeLabeler  # noqa: E402
from core.labeling.labels import label_commits  # noqa: E402
from core.records import CommitRecord, Family, FamilyMember  # noqa: E402
from core.report.family import build_report  # noqa: E402

# The floor's one regex: a file name, searched once per text (no labeling at all).
FLOOR = re.compile(r"[\w./\-]*\.(?:[a-z][a-z0-9]{0,11})\b", re.IGNORECASE)


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def bench_rules() -> None:
    texts = unique_real_texts(SHARED)
    pool = real_texts(SHARED)
    platforms = dict(zip(pool["text"], pool["platform"], strict=True))
    plats = [platforms[t] for t in texts]
    labeler = rules.RulesLabeler()
    rules.label_one.cache_clear()
    # The first call in a process also compiles the rules for Python's `re` (which confirms
    # look-arounds and reads non-ASCII texts); the next calls have nothing cached but that.
    first = cpu(lambda: labeler.label(texts, plats))
    spent = min(cpu(lambda: labeler.label(texts, plats)) for _ in range(2))
    floor = min(cpu(lambda: [FLOOR.search(t) for t in texts]) for _ in range(2))
    rate, floor_rate = len(texts) / spent, len(texts) / floor
    print(f"1. rules labeler, {len(texts):,} unique real texts (empty memo)")
    print(
        f"  project {rate:>10,.0f} texts/s (first call in the process {len(texts) / first:,.0f})"
        f"   floor (one regex) {floor_rate:>10,.0f} texts/s   floor/project "
        f"{floor_rate / rate:4.1f}x   {'OK' if rate >= 100_000 else 'BELOW'} target 100,000 "
        "texts/s"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(*args: str, cwd: Path) -> float:
    before = _children_cpu()
    subprocess.run([sys.executable, "-m", "core", *args], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return _children_cpu() - before


def bench_label_command(tmp: Path) -> None:
    texts = real_texts(SHARED)
    gh = texts[texts["platform"] == "GH"].drop_duplicates("text")
    src, one, out = tmp / "in.csv", tmp / "one.csv", tmp / "out.csv"
    gh.to_csv(src, index=False)
    gh.head(1).to_csv(one, index=False)
    floor = cpu(lambda: pd.read_csv(src, dtype=str, keep_default_na=False).to_csv(out))
    help_only = min(_run("--help", cwd=tmp) for _ in range(3))
    print(f"2. `label IN.csv --output OUT.csv`, {len(gh):,} unique real GitHub messages "
          f"(`--help` {help_only:.2f} s)")  # fmt: skip
    # The default labeler, then the rules labeler (the default when issue 13 was measured).
    for name in ("learned", "rules"):
        run = ("label", "--labeler", name, "--output", str(out))
        # Start-up: the same command on a one-row file (interpreter, imports, the cache,
        # the labeler's model).
        startup = min(_run("--db", str(tmp / f"one-{name}{i}.db"), *run, str(one), cwd=tmp)
                      for i in range(3))  # fmt: skip
        total = _run("--db", str(tmp / f"label-{name}.db"), *run, str(src), cwd=tmp)
        net = total - startup
        rate = len(gh) / net
        print(
            f"  {name:>7} {rate:>10,.0f} texts/s ({total:.2f} s, {net:.2f} s net of the "
            f"one-row run's {startup:.2f} s)   floor (read+write CSV) "
            f"{len(gh) / floor:>10,.0f} texts/s   ratio {net / floor:4.1f}x   "
            f"{'OK' if rate >= 50_000 else 'BELOW'} target 50,000 texts/s"
        )


def cached_family(db, n_commits: int) -> Family:
    """Real texts as one family: GitHub messages in one repository, HF texts on 10 variants."""
    pool = real_texts(SHARED)
    gh = pool[pool["platform"] == "GH"]["text"].sample(int(n_commits * 0.8), replace=True,
                                                         random_state=3).tolist()  # fmt: skip
    hf = pool[pool["platform"] == "HF"]["text"].sample(n_commits - len(gh), replace=True,
                                                         random_state=4).tolist()  # fmt: skip
    start = datetime(2020, 1, 1, tzinfo=UTC)
    variants = [f"bench-org/model-{i}" for i in range(10)]
    records = []
    for i, text in enumerate(gh):
        when = start + timedelta(minutes=17 * i)
        records.append(CommitRecord("GH", "bench-org/model", f"g{i:07d}", when,
                                    title=text.split("\n")[0], message=text))  # fmt: skip
    for i, text in enumerate(hf):
        when = start + timedelta(minutes=13 * i)
        title, _, message = text.partition("\n")
        records.append(CommitRecord("HF", variants[i % 10], f"h{i:07d}", when,
                                    title=title, message=message))  # fmt: skip
    store.save_commits(db, records)
    family = Family(
        name="bench-org/model",
        github_repo="bench-org/model",
        members=tuple(FamilyMember(v, "user", "") for v in variants),
    )
    store.save_family(db, family)
    return family


def bench_cached_report(tmp: Path, n_commits: int) -> None:
    db = store.open_db(tmp / "family.db")
    family = cached_family(db, n_commits)
    labeler = rules.RulesLabeler()
    label_commits(db, store.family_commits(db, family), labeler)  # every label now cached
    rules.label_one.cache_clear()
    commits = store.family_commits(db, family)
    # Floor: SQLite's own read of the family's rows (what the commit frame is built from).
    select = "SELECT * FROM commits WHERE platform = ? AND repo = ?"
    repos = [("GH", family.github_repo)] + [("HF", v) for v in family.variants]
    reading = min(
        cpu(lambda: [db.execute(select, list(r)).fetchall() for r in repos]) for _ in range(2)
    )
    step = min(cpu(lambda: label_commits(db, commits, labeler)) for _ in range(2))
    # `report` reads no commit text (details=False); the Family page reads them for its table.
    # The first report after a write to the family's commits reads the rows and keeps a
    # columnar copy of them (core.store.frames); the next ones read the copy.
    first = cpu(lambda: build_report(db, family, labeler=labeler, details=False))
    whole = min(
        cpu(lambda: build_report(db, family, labeler=labeler, details=False)) for _ in range(3)
    )
    page = min(cpu(lambda: build_report(db, family, labeler=labeler)) for _ in range(2))
    print(f"3. cached family of {len(commits):,} commits, every label cached")
    print(
        f"  labeling step {step:6.2f} s CPU   floor (SQLite reading the rows) {reading:5.2f} s   "
        f"ratio {step / reading:4.1f}x   {'OK' if step <= 0.5 else 'ABOVE'} target 0.5 s"
    )
    print(
        f"  whole report as `report` builds it {whole:5.2f} s "
        f"({'OK' if whole <= 0.5 else 'ABOVE'} target 0.5 s; the first after a fetch, which "
        f"keeps the columnar copy, {first:5.2f} s); with the texts, as the Family page "
        f"builds it, {page:5.2f} s"
    )


def bench_claude(n_commits: int) -> None:
    pool = real_texts(SHARED)
    family = pool.sample(n_commits, replace=True, random_state=5).reset_index(drop=True)

    def answer(request):
        items = batch_items(json.loads(request.content))
        found = rules.label_texts([i["text"] for i in items], [i["platform"] for i in items])
        labels = [label or "Model Structure" for label in found]
        return labels_reply(labels, usage=(400 + 40 * len(items), 12 * len(items)))

    db = store.open_db(memory=True)
    replay = Replay(responder=answer)
    t0 = time.perf_counter()
    _, first = label_commits(db, family, ClaudeLabeler(replay.client()))
    elapsed = time.perf_counter() - t0
    again = Replay()
    _, second = label_commits(db, family, ClaudeLabeler(again.client()))

    budget = math.ceil(first.n_unique / 50)
    print(
        f"4. claude labeler (replayed API) on a family of {n_commits:,} commits, "
        f"{first.n_unique:,} unique texts"
    )
    print(
        f"  first run:  {first.requests} requests (budget {budget} = 1 per 50 unique; "
        f"{'OK' if first.requests <= budget else 'OVER'}), {first.input_tokens:,} input / "
        f"{first.output_tokens:,} output tokens, {first.n_new:,} labeled, "
        f"{first.n_unlabeled} unlabeled, {elapsed:.2f}s"
    )
    print(
        f"  second run: {second.requests} requests, {second.n_cached:,} from cache "
        f"({'OK' if second.requests == 0 and not again.requests else 'NOT ZERO'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--family-commits", type=int, default=80_000)
    parser.add_argument("--claude-commits", type=int, default=6_000)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the benchmark reads real commits from ../shared/data")
    os.environ.pop("ANTHROPIC_API_KEY", None)
    with tempfile.TemporaryDirectory() as tmp:
        bench_rules()
        bench_label_command(Path(tmp))
        bench_cached_report(Path(tmp), args.family_commits)
        bench_claude(args.claude_commits)


if __name__ == "__main__":
    main()
