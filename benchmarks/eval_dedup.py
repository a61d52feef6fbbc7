"""`make eval-dedup`: pairwise precision/recall/F1 of the dedup clusters on a labelled corpus.

The corpus is built deterministically (seeded) from the ground-truth bodies of the WCXB dev
articles (../shared/data/wcxb-dev; skipped with a message when absent). Each sampled source
gives its original (a page: chrome, a headline, the paragraphs) and three copies, the kinds in
rotation (COPY_KINDS): retitled (another headline and chrome), copy_edited (2-5% of words
replaced, one paragraph cut, an editor's note added), truncated (the first 50-75% of words),
trimmed (first and last paragraph dropped), and combinations of two. Negatives, each its own
story: articles quoting two paragraphs of a source, different short stories under one heavy
chrome, and groups of four different stories about one event (the event's names swapped in and
the same sentences quoted). Every document goes through the pipeline's plain-text body path
(`build_steps`), then `dedup_columns` + `find_duplicates` (timed: the dedup phase per 1,000
documents). Printed: pair precision/recall/F1 (vs datasketch MinHashLSH at threshold 0.8 on
the same word 5-shingles), recall per copy kind, precision per negative kind; then the five
seeds (one event, five articles) are deduplicated together and must all stay canonical.

    python -m benchmarks.eval_dedup [--sources 300] [--seed 7] [--no-clean] [--baseline] [--cache bodies.json]
        [--set dedup.shingle_size=5 ...]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from itertools import combinations, pairwise
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

EDITOR_NOTES = [
    "Editor's note: This story has been updated with additional information.",
    "Editor's note: An earlier version of this article misstated a date. It has been corrected.",
    "This article was amended after publication to clarify a figure.",
    "Correction: a previous version of this story gave an incorrect title for one official.",
    "Editor's note: This report has been updated since it was first published.",
]
# A heavy page template shared by many different stories (a negative: chrome must not merge them).
HEAVY_CHROME = (
    [
        "Skip to main content",
        "Home | News | World | Politics | Business | Markets | Tech | Science | Health | Sport",
        "Culture | Travel | Opinion | Video | Podcasts | Newsletters | Events | Jobs",
        "Subscribe now: first month free",
        "Sign in | Register | My account",
        "Trending: Election results | Weather warnings | Transfer news | Energy prices",
    ],
    [
        "Share on Facebook | Share on X | Share by email | Print this page",
        "Sign up for the evening briefing: the day's top stories in your inbox",
        "Most read",
        "Heatwave to last until the weekend, forecasters say",
        "Ten recipes for a quick midweek dinner",
        "Why house prices are falling in some towns and not others",
        "The quiet village that became a film set",
        "Markets close higher as investors weigh rate outlook",
        "More from this section",
        "New ferry route announced for the islands",
        "School term dates: what parents need to know",
        "Our journalism is funded by readers. Support us from as little as 1 a month.",
        "About us | Contact | Careers | Advertise with us | Complaints | Accessibility",
        "Terms and conditions | Privacy notice | Cookie settings | Sitemap",
        "All content copyright The Northern Courier Media Ltd, registered in England.",
    ],
)
COPY_KINDS = [
    "retitled",
    "copy_edited",
    "truncated",
    "trimmed",
    "copy_edited+retitled",
    "copy_edited+truncated",
    "copy_edited+trimmed",
    "retitled+truncated",
    "retitled+trimmed",
    "truncated+trimmed",
]
NEGATIVE_KINDS = ["quoting", "same_chrome", "same_event"]


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


def _page(rng: random.Random, paras: list[str], template) -> str:
    head, foot = CHROME[template] if isinstance(template, int) else template
    return "\n\n".join([*head, _headline(rng, paras), *paras, *foot]) + "\n"


def _words(paras: list[str]) -> int:
    return sum(len(p.split()) for p in paras)


def _replace_words(
    rng: random.Random, paras: list[str], share: float, vocab: list[str]
) -> list[str]:
    """`share` of the words (scattered) replaced by other words: a copy editor's touch."""
    words = [p.split() for p in paras]
    spots = [(i, j) for i, w in enumerate(words) for j in range(len(w))]
    for i, j in rng.sample(spots, max(1, round(share * len(spots)))):
        words[i][j] = rng.choice(vocab)
    return [" ".join(w) for w in words]


def _copy_edit(rng: random.Random, paras: list[str], vocab: list[str]) -> list[str]:
    """2-5% of words replaced, one paragraph cut (when there are 3+), an editor's note added."""
    paras = list(paras)
    if len(paras) >= 3:
        del paras[rng.randrange(len(paras))]
    paras = _replace_words(rng, paras, rng.uniform(0.02, 0.05), vocab)
    note = rng.choice(EDITOR_NOTES)
    return [*paras, note] if rng.random() < 0.7 else [note, *paras]


def _truncate(rng: random.Random, paras: list[str]) -> list[str]:
    """The first 50-75% of the words, paragraph breaks kept (the last one cut mid-way)."""
    target = round(rng.uniform(0.5, 0.75) * _words(paras))
    out: list[str] = []
    for p in paras:
        w = p.split()
        if target <= 0:
            break
        out.append(" ".join(w[:target]))
        target -= len(w)
    return out


def truncate_words(paras: list[str], words: int) -> list[str]:
    """The first paragraphs up to (at least) `words` words."""
    out: list[str] = []
    for p in paras:
        if _words(out) >= words:
            break
        out.append(p)
    return out


def _copy(rng: random.Random, kind: str, paras: list[str], vocab: list[str]) -> list[str]:
    parts = kind.split("+")
    if "truncated" in parts:
        paras = _truncate(rng, paras)
    if "trimmed" in parts:
        paras = paras[1:-1] if len(paras) > 3 else paras[1:]
    if "copy_edited" in parts:
        paras = _copy_edit(rng, paras, vocab)
    return paras


def _names(paras: list[str]) -> list[str]:
    """Capitalised words not at a sentence start: the names an event's stories share."""
    out = []
    for p in paras:
        words = p.split()
        for prev, w in pairwise(words):
            w = w.strip(".,;:\"'()")
            if w[:1].isupper() and w.isalpha() and not prev.endswith((".", "?", "!")):
                out.append(w)
    return out or ["Council"]


def _sentences(paras: list[str]) -> list[str]:
    text = " ".join(paras)
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 8] or [text]


def build_corpus(sources: int, seed: int) -> list[dict]:
    """Labelled documents: id, text (a plain-text page), label (true cluster), kind.

    Each source: its original and three copies, the kinds in rotation over COPY_KINDS. Negatives
    (each its own cluster): quoting articles, different stories under one heavy chrome, and
    groups of different stories about one event (shared names and a shared quoted sentence).
    """
    rng = random.Random(seed)
    articles = _load_articles()
    rng.shuffle(articles)
    picked, fillers = articles[:sources], articles[sources:]
    vocab = sorted(
        {w.lower() for _, paras in fillers for w in " ".join(paras).split() if w.isalpha()}
    )
    docs: list[dict] = []

    def add(label: str, kind: str, paras: list[str], template, quotes: str = "") -> None:
        docs.append(
            {
                "id": f"{label}-{kind}-{len(docs)}",
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
        for i in range(3):
            kind = COPY_KINDS[(3 * n + i) % len(COPY_KINDS)]
            other = (t + 1 + rng.randrange(len(CHROME) - 1)) % len(CHROME)
            add(label, kind, _copy(rng, kind, paras, vocab), other if "retitled" in kind else t)
    spare = iter(fillers)
    # quoting: another article with two paragraphs of a source inserted; the quote is at most a
    # third of the quoting article (more than that and it is the other story re-run)
    for _ in range(sources // 2):
        file_id, own = next(spare)
        for _attempt in range(20):
            quoted_id, quoted = picked[rng.randrange(len(picked))]
            start = rng.randrange(0, max(1, len(quoted) - 2))
            quote = quoted[start : start + 2]
            if _words(quote) * 2 <= _words(own):
                at = rng.randrange(1, len(own))
                paras = [*own[:at], *quote, *own[at:]]
                add(f"q{file_id}", "quoting", paras, rng.randrange(len(CHROME)), f"s{quoted_id}")
                break
    # different stories under the same heavy chrome (short ones, ~100 words of story text: the
    # chrome weighs most)
    for _ in range(sources // 4):
        file_id, own = next(spare)
        story = [p for p in own if len(p.split()) >= 8]  # not its bylines and labels
        add(f"c{file_id}", "same_chrome", truncate_words(story, 100), HEAVY_CHROME)
    # several different stories about one event: each its own text, the event's names swapped
    # in for some words and one sentence of the event's report quoted by all
    for _ in range(sources // 12):
        event_id, event = next(spare)
        names, shared = _names(event), _sentences(event)
        quote = rng.choice(shared)
        for _story in range(4):
            file_id, own = next(spare)
            own = _replace_words(rng, own, 0.05, names)
            at = rng.randrange(1, len(own))
            paras = [*own[:at], quote, rng.choice(shared), *own[at:]]
            add(f"e{file_id}", "same_event", paras, rng.randrange(len(CHROME)), f"e{event_id}")
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


def by_kind(docs: list[dict], predicted: Sequence[int]) -> dict[str, dict[str, float]]:
    """Recall per copy kind and precision per negative kind, over pairs.

    A copy's pairs are those with every other member of its story (the original and the other
    copies); recall = share of them put together. A negative's predicted pairs are those with
    any document it was clustered with; precision = share of them that belong together (1.0 when
    it was clustered with none); `merged` counts the negatives clustered with anything.
    """
    members: dict = {}
    for i, d in enumerate(docs):
        members.setdefault(d["label"], []).append(i)
    clusters: dict = {}
    for i, c in enumerate(predicted):
        clusters.setdefault(c, []).append(i)
    out: dict[str, dict[str, float]] = {}
    for i, d in enumerate(docs):
        kind = d["kind"]
        if kind in NEGATIVE_KINDS:
            row = out.setdefault(kind, {"docs": 0, "predicted": 0, "tp": 0, "merged": 0})
            others = [j for j in clusters[predicted[i]] if j != i]
            row["predicted"] += len(others)
            row["tp"] += sum(docs[j]["label"] == d["label"] for j in others)
            row["merged"] += bool(others)
        elif kind != "original":
            row = out.setdefault(kind, {"docs": 0, "pairs": 0, "tp": 0})
            others = [j for j in members[d["label"]] if j != i]
            row["pairs"] += len(others)
            row["tp"] += sum(predicted[j] == predicted[i] for j in others)
        else:
            continue
        row["docs"] += 1
    for kind, row in out.items():
        if kind in NEGATIVE_KINDS:
            row["precision"] = row["tp"] / row["predicted"] if row["predicted"] else 1.0
        else:
            row["recall"] = row["tp"] / row["pairs"] if row["pairs"] else 1.0
    return out


def print_kinds(name: str, kinds: dict[str, dict[str, float]]) -> bool:
    """Print the per-kind table; True when every kind meets its target."""
    ok = True
    print(f"{name}: recall per copy kind (target >= 0.95)")
    for kind in COPY_KINDS:
        r = kinds.get(kind)
        if r:
            ok &= r["recall"] >= 0.95
            print(f"  {kind:<24} recall {r['recall']:.4f}  ({r['tp']}/{r['pairs']} pairs)")
    print(f"{name}: precision per negative kind (target 1.0)")
    for kind in NEGATIVE_KINDS:
        r = kinds.get(kind)
        if r:
            ok &= r["precision"] >= 1.0
            print(
                f"  {kind:<24} precision {r['precision']:.4f}  "
                f"({r['merged']}/{r['docs']} merged with another story)"
            )
    return ok


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
    parser.add_argument("--baseline", action="store_true", help="datasketch per kind too")
    parser.add_argument("--cache", type=Path, help="JSON file keeping the cleaned bodies")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a dotted setting"
    )
    args = parser.parse_args(argv)
    if not WCXB.is_dir():
        print(f"skipped: {WCXB} is absent")
        return 0
    config = PipelineConfig().with_settings(dict(kv.split("=", 1) for kv in args.set))
    docs = build_corpus(args.sources, args.seed)
    t0 = time.perf_counter()
    texts = [d["text"] for d in docs]
    if args.cache and args.cache.is_file():
        bodies = json.loads(args.cache.read_text())
    else:
        bodies = [None] * len(texts) if args.no_clean else clean_bodies(texts, config)
        if args.cache:
            args.cache.write_text(json.dumps(bodies))
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
    print(f"newsclean dedup phase: {1000 * (t3 - t2) / len(docs):.3f} s per 1,000 documents")
    kinds_ok = print_kinds("newsclean", by_kind(docs, ours))
    if args.baseline:
        print_kinds("datasketch", by_kind(docs, base))
    ok_seeds = check_seeds(config, clean=not args.no_clean) if SEEDS.is_dir() else True
    s = rows[0][1]
    target = s["f1"] >= 0.98 and s["precision"] >= 0.995 and ok_seeds and kinds_ok
    print(
        "targets (F1 >= 0.98, precision >= 0.995, recall >= 0.95 per copy kind, precision 1.0 "
        "per negative kind, seeds not merged):",
        "met" if target else "NOT met",
    )
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
