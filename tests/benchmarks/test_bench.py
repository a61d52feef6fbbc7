"""`make bench`'s corpora: the dev one by name, the light one by bytes, copies all distinct."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from benchmarks.bench import build_corpus


@pytest.fixture
def dev_pages(tmp_path: Path) -> Path:
    """Five gzipped pages whose sizes do not follow their names."""
    html = tmp_path / "data" / "html"
    html.mkdir(parents=True)
    for name, words in (("a", 400), ("b", 10), ("c", 200), ("d", 5), ("e", 50)):
        page = f"<html><body><p>{'word ' * words}</p></body></html>".encode()
        (html / f"{name}.html.gz").write_bytes(gzip.compress(page))
    return tmp_path / "data"


@pytest.mark.parametrize(
    ("lightest", "chosen"), [(False, {"a", "b", "c"}), (True, {"d", "b", "e"})]
)
def test_corpus_takes_the_first_by_name_or_the_lightest(dev_pages, tmp_path, lightest, chosen):
    dest = tmp_path / "corpus"
    assert build_corpus(dev_pages, dest, 3, 2, lightest=lightest) == 6
    names = {p.name.removesuffix(".html") for p in dest.rglob("*.html")}
    assert names == chosen
    copies = [p.read_bytes() for p in sorted(dest.rglob("*.html"))]
    assert len(set(copies)) == 6  # no copy is skipped by the ledger as an identical record


def test_corpus_of_every_page(dev_pages, tmp_path):
    assert build_corpus(dev_pages, tmp_path / "all", None, 1) == 5
