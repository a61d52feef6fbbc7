"""`make eval-dedup`: pairwise precision/recall/F1 of the dedup clusters on a labelled corpus.

The corpus is built deterministically from the ground-truth bodies of the WCXB dev articles
(../shared/data/wcxb-dev; skipped with a message when absent). For each sampled source article:
- the original, wrapped in one of a few page-chrome templates with its headline;
- a copy under another chrome template and another headline;
- an edited copy: a paragraph dropped, a paragraph added, or a few words changed;
- a truncated copy (the first half) and a trimmed copy (without the first and last paragraph),
  each on a random subset of sources so cluster sizes vary.
Hard negatives: every chrome template wraps many different articles, and "quoting" articles made
of another (unsampled) article with two or three paragraphs of a source inserted; a quoting
article is its own cluster. Every document goes through the pipeline's plain-text body path
(`build_steps`: chrome lines, titles, repetition...), so chrome must not matter, then through
`dedup_columns` + `find_duplicates`. The same bodies are clustered by datasketch MinHashLSH
(threshold 0.8, 128 permutations, same word 5-shingles) as a baseline. The five seeds are then
deduplicated together (through the same path) and must all stay canonical.

    python -m benchmarks.eval_dedup [--sources 300] [--seed 7] [--no-clean]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import numpy as np
import pyarrow as pa

from transforms.core.config import PipelineConfig
from transforms.dedup.clusters import components, dedup_columns, find_duplicates, pair_scores
from transforms.dedup.minhash import matrix

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
WCXB = SHARED / "data" / "wcxb-dev" / "ground-truth"
SEEDS = SHARED / "seeds"

# Page chrome written for this benchmark (generic site furniture, no real site's text).
CHROME = [
    (
        ["Home | World | Politics | Business | Tech | Sport", "Search", "Sign in | Subscribe"],
        [
            "Sign up for our morning newsletter",
            "Share this article",
            "Related: Five things to know before the markets open",
            "© 2025 The Daily Ledger. All rights reserved.",
            "Privacy Policy | Terms of Service | Contact us",
        ],
    ),
    (
        ["MENU", "Latest News", "Advertisement"],
        [
            "Advertisement",
            "Read more:",
            "Council approves new budget after long debate",
            "Comments (12)",
            "Leave a Reply",
            "Copyright 2024 Metro Herald Media Group",
        ],
    ),
    (
        ["Skip to content", "Local | National | Opinion | Weather", "Download our app"],
        [
            "CLICK HERE TO GET THE APP",
            "Popular Posts",
            "Storm warning issued for coastal towns",
            "Local team wins regional final",
            "About Us | Careers | Advertise",
        ],
    ),
]


def _paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in text.replace("\r", "").split("\n")]
    return [p for p in paras if p]


def _load_articles(min_words: int = 150, min_paras: int = 4) -> list[tuple[str, list[str]]]:
    out = []
    for path in sorted(WCXB.glob("*.json")):
        record = json.loads(path.read_text())
        page_type = ((record.get("_internal") or {}).get("page_type") or {}).get("primary")
        body = (record.get("ground_truth") or {}).get("main_content") or ""
        paras = _paragraphs(body)
        if page_type == "article" and len(body.split()) >= min_words and len(paras) >= min_paras:
            out.append((path.stem, paras))
    return out


def _headline(rng: random.Random, paras: list[str]) -> str:
    words = [w.strip(".,;:\"'()") for w in " ".join(paras).split()]
    words = [w for w in words if w.isalpha()]
    pick = rng.sample(words, min(len(words), rng.randint(6, 10)))
    return " ".join(w.capitalize() for w in pick)


def _page(rng: random.Random, paras: list[str], template: int) -> str:
    head, foot = CHROME[template]
    return "\n\n".join([*head, _headline(rng, paras), *paras, *foot]) + "\n"


def _edit_words(rng: random.Random, paras: list[str], n: int) -> list[str]:
    words = [p.split() for p in paras]
    spots = [(i, j) for i, w in enumerate(words) for j in range(len(w))]
    for i, j in rng.sample(spots, min(n, len(spots))):
        words[i][j] = rng.choice(["several", "new", "local", "officials", "reported", "major"])
    return [" ".join(w) for w in words]


def build_corpus(sources: int, seed: int) -> list[dict]:
    """Labelled documents: id, text (a plain-text page), label (true cluster), kind."""
    rng = random.Random(seed)
    articles = _load_articles()
    rng.shuffle(articles)
    picked, fillers = articles[:sources], articles[sources:]
    docs: list[dict] = []

    def add(label: str, kind: str, paras: list[str], template: int, quotes: str = "") -> None:
        docs.append(
            {
                "id": f"{label}-{kind}",
                "label": label,
                "kind": kind,
                "text": _page(rng, paras, template),
                "quotes": quotes,
            }
        )

    for n, (file_id, paras) in enumerate(picked):
        label = f"s{file_id}"
        t = rng.randrange(len(CHROME))
        add(label, "original", paras, t)
        add(label, "chrome", paras, (t + 1 + rng.randrange(len(CHROME) - 1)) % len(CHROME))
        edit = n % 3
        if edit == 0:
            drop = rng.randrange(1, len(paras) - 1)
            add(label, "para_dropped", paras[:drop] + paras[drop + 1 :], t)
        elif edit == 1:
            extra = fillers[rng.randrange(len(fillers))][1]
            at = rng.randrange(1, len(paras))
            add(label, "para_added", [*paras[:at], rng.choice(extra), *paras[at:]], t)
        else:
            add(label, "words_changed", _edit_words(rng, paras, rng.randint(3, 6)), t)
        if rng.random() < 0.6:
            half = max(2, len(paras) // 2)
            add(label, "truncated", paras[:half], rng.randrange(len(CHROME)))
        if rng.random() < 0.6:
            add(label, "trimmed", paras[1:-1], rng.randrange(len(CHROME)))
    # hard negatives: another article quoting two or three paragraphs of a source; the quote is
    # at most a third of the quoting article (more than that and it is the other story re-run)
    for q in range(min(len(fillers), sources // 2)):
        file_id, own = fillers[q]
        own_words = sum(len(p.split()) for p in own)
        for _attempt in range(20):
            quoted_id, quoted = picked[rng.randrange(len(picked))]
            k = rng.choice([2, 3])
            start = rng.randrange(0, max(1, len(quoted) - k))
            quote = quoted[start : start + k]
            if sum(len(p.split()) for p in quote) * 2 <= own_words:
                at = rng.randrange(1, len(own))
                paras = [*own[:at], *quote, *own[at:]]
                add(f"q{file_id}", "quoting", paras, rng.randrange(len(CHROME)), f"s{quoted_id}")
                break
    return docs


def clean_bodies(texts: Sequence[str], config: PipelineConfig) -> list[str | None]:
    """Each text through the pipeline's plain-text path; None for a document it quarantines."""
    from transforms.core.record import Article, Markup
    from transforms.core.steps import run_steps
    from transforms.pipeline import build_steps

    docs = [
        Article(
            doc_id=f"{i:08d}",
            source_path=f"{i}.txt",
            source_format="text",
            content_kind="text",
            markup=Markup(raw=t.encode()),
        )
        for i, t in enumerate(texts)
    ]
    kept, _, _ = run_steps(docs, build_steps(config))
    bodies: list[str | None] = [None] * len(texts)
    for d in kept:
        bodies[int(d.doc_id)] = d.text
    return bodies


def run_dedup(ids: Sequence[str], bodies: Sequence[str], config: PipelineConfig) -> np.ndarray:
    """Cluster label per document (index of its canonical) from dedup_columns + find_duplicates."""
    table = dedup_columns(bodies, config.dedup)
    table = (
        table.append_column("doc_id", pa.array(ids))
        .append_column("word_count", pa.array([len(b.split()) for b in bodies], pa.int32()))
        .append_column("published_at", pa.nulls(len(ids), pa.timestamp("us", tz="UTC")))
    )
    result = find_duplicates(table, None, config.dedup)
    position = {d: i for i, d in enumerate(ids)}
    return np.array([position[c] for c in result.cluster_id.to_pylist()])


def run_datasketch(bodies: Sequence[str], threshold: float = 0.8, num_perm: int = 128):
    """Baseline: MinHashLSH on the same word 5-shingles; clusters = union of query results."""
    from datasketch import MinHash, MinHashLSH

    non_word = re.compile(r"[^\w\s]+")  # the tokens ours uses (Python re has no \pL)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = []
    for i, body in enumerate(bodies):
        words = non_word.sub(" ", body.lower()).split()
        grams = {" ".join(words[j : j + 5]).encode() for j in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch(list(grams))
        lsh.insert(i, m)
        hashes.append(m)
    us, vs = [], []
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                us.append(i)
                vs.append(j)
    return components(len(bodies), np.array(us, np.int64), np.array(vs, np.int64))


def pairwise_scores(truth: Sequence[str], predicted: Sequence[int]) -> dict[str, float]:
    """Pairwise precision, recall and F1: pairs put together vs pairs that belong together."""

    def pairs(labels: Sequence) -> set[tuple[int, int]]:
        groups: dict = {}
        for i, lab in enumerate(labels):
            groups.setdefault(lab, []).append(i)
        return {p for g in groups.values() for p in combinations(g, 2)}

    t, p = pairs(truth), pairs(list(predicted))
    tp = len(t & p)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs": len(t), "tp": tp}


def _misses(docs: list[dict], predicted: np.ndarray) -> dict[str, int]:
    """Per copy kind: copies not clustered with their original; quoting articles merged."""
    origin = {d["label"]: predicted[i] for i, d in enumerate(docs) if d["kind"] == "original"}
    out: dict[str, int] = {}
    for i, d in enumerate(docs):
        if d["kind"] == "quoting":
            wrong = int(np.count_nonzero(predicted == predicted[i])) > 1
        elif d["kind"] != "original":
            wrong = predicted[i] != origin[d["label"]]
        else:
            continue
        key = f"{d['kind']}:{'merged' if d['kind'] == 'quoting' else 'missed'}"
        out[key] = out.get(key, 0) + int(wrong)
        out[f"{d['kind']}:total"] = out.get(f"{d['kind']}:total", 0) + 1
    return out


def check_seeds(config: PipelineConfig, clean: bool) -> bool:
    texts = [p.read_text(errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    bodies = clean_bodies(texts, config) if clean else texts
    bodies = [b if b is not None else t for b, t in zip(bodies, texts, strict=True)]
    ids = [f"seed{i}" for i in range(len(texts))]
    labels = run_dedup(ids, bodies, config)
    merged = len(set(labels.tolist())) != len(texts)
    table = dedup_columns(bodies, config.dedup)
    sig = matrix(table["minhash"], config.dedup.num_perm, np.uint32)
    size = table["shingle_count"].to_numpy().astype(np.float64)
    u, v = (np.array(x) for x in zip(*combinations(range(len(texts)), 2), strict=True))
    jac, contain, _ = pair_scores(sig, size, u, v)
    print(f"seeds: max pairwise Jaccard {jac.max():.2f}, containment {contain.max():.2f}")
    print(f"seeds: {len(texts)} bodies, {len(set(labels.tolist()))} clusters ->", end=" ")
    print("MERGED (fail)" if merged else "none merged (ok)")
    return not merged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-clean", action="store_true", help="skip the text-cleaning path")
    args = parser.parse_args(argv)
    if not WCXB.is_dir():
        print(f"skipped: {WCXB} is absent")
        return 0
    config = PipelineConfig()
    docs = build_corpus(args.sources, args.seed)
    t0 = time.perf_counter()
    texts = [d["text"] for d in docs]
    bodies = [None] * len(texts) if args.no_clean else clean_bodies(texts, config)
    lost = [d["id"] for d, b in zip(docs, bodies, strict=True) if b is None and not args.no_clean]
    bodies = [b if b is not None else t for b, t in zip(bodies, texts, strict=True)]
    t1 = time.perf_counter()
    print(f"corpus: {len(docs)} documents, {args.sources} sources (seed {args.seed}); ", end="")
    print(f"cleaned in {t1 - t0:.1f}s; quarantined by cleaning (raw text used): {len(lost)}")
    ids = [d["id"] for d in docs]
    truth = [d["label"] for d in docs]
    t2 = time.perf_counter()
    ours = run_dedup(ids, bodies, config)
    t3 = time.perf_counter()
    base = run_datasketch(bodies)
    t4 = time.perf_counter()
    rows = [("newsclean dedup", pairwise_scores(truth, ours), t3 - t2)]
    rows.append(("datasketch LSH 0.8", pairwise_scores(truth, base), t4 - t3))
    print(f"{'method':<20} {'precision':>9} {'recall':>7} {'F1':>6} {'pairs':>6} {'secs':>6}")
    for name, s, secs in rows:
        print(
            f"{name:<20} {s['precision']:>9.4f} {s['recall']:>7.4f} {s['f1']:>6.4f} "
            f"{s['pairs']:>6} {secs:>6.2f}"
        )
    for name, pred in (("newsclean", ours), ("datasketch", base)):
        print(f"{name} by kind: {json.dumps(_misses(docs, pred), sort_keys=True)}")
    ok_seeds = check_seeds(config, clean=not args.no_clean) if SEEDS.is_dir() else True
    s = rows[0][1]
    target = s["f1"] >= 0.98 and s["precision"] >= 0.995 and ok_seeds
    print(
        "targets (F1 >= 0.98, precision >= 0.995, seeds not merged):",
        "met" if target else "NOT met",
    )
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
