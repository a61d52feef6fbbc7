"""benchmarks/bench_history.py: the readers' reference at equal rows (10 runs, same rows)."""

import newsclean
from benchmarks.bench_history import as_ten_runs
from tests.transforms.run.history import add_runs
from transforms.run.compaction import compact
from transforms.run.output_store import OutputStore


def test_ten_runs_hold_the_same_articles_in_a_file_a_run(tmp_path):
    store = OutputStore(tmp_path / "out")
    add_runs(store, 24)
    compact(store, "20260105T000000-c00001", retain_seconds=0)
    rows = as_ten_runs(tmp_path / "out", tmp_path / "ten", runs=10)
    before = sorted(newsclean.read(tmp_path / "out", "articles")["doc_id"].to_pylist())
    after = sorted(newsclean.read(tmp_path / "ten", "articles")["doc_id"].to_pylist())
    assert rows == len(before) and after == before
    assert len(newsclean.committed_runs(tmp_path / "ten")) == 10
    assert len(newsclean.dataset(tmp_path / "ten", "articles").files) == 10
