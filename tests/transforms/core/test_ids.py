"""doc_id is the key of one input record (path, record index, bytes); content_hash the bytes'."""

from transforms.core.config import ReadSettings
from transforms.core.ids import content_hash, doc_id_for, record_key
from transforms.core.record import Article
from transforms.read.jsonl import read_jsonl

LINE = b'{"url": "https://example.org/a", "text": "Some words of a story."}'


def test_the_same_bytes_at_two_paths_are_two_records_with_one_content_hash():
    a = Article.from_raw(b"<p>page</p>", "a.html", "html", "html")
    b = Article.from_raw(b"<p>page</p>", "copy/a.html", "html", "html")
    assert a.doc_id != b.doc_id
    assert a.content_hash == b.content_hash == content_hash(b"<p>page</p>")


def test_the_id_is_stable_and_depends_on_path_record_and_bytes():
    key = doc_id_for(LINE, "r.jsonl", 1)
    assert key == doc_id_for(LINE, "r.jsonl", 1) == record_key("r.jsonl", 1, content_hash(LINE))
    others = {
        doc_id_for(LINE, "r.jsonl", 2),
        doc_id_for(LINE, "s.jsonl", 1),
        doc_id_for(LINE + b" ", "r.jsonl", 1),
        doc_id_for(LINE, "r.jsonl", None),
    }
    assert key not in others and len(others) == 4


def test_parts_cannot_run_together():
    # "a" + record 11 vs "a1" + record 1: the separators keep them apart
    assert record_key("a", 11, "x") != record_key("a1", 1, "x")


def test_unread_bytes_have_no_content_hash_and_an_id_apart_from_empty_bytes():
    unread = Article.from_raw(None, "gone.html", "html", "html")
    empty = Article.from_raw(b"", "gone.html", "html", "html")
    assert unread.content_hash is None and empty.content_hash == content_hash(b"")
    assert unread.doc_id != empty.doc_id


def test_two_identical_jsonl_lines_are_two_records():
    data = LINE + b"\n" + LINE + b"\n{not json\n{not json\n"
    docs = list(read_jsonl("r.jsonl", data, ReadSettings()))
    ids = [d.doc_id for d, _ in docs]
    assert len(set(ids)) == 4  # the malformed twins too
    assert docs[0][0].content_hash == docs[1][0].content_hash == content_hash(LINE)
    assert docs[2][0].content_hash == docs[3][0].content_hash
