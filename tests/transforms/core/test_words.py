"""count_words: words in every script, the unit of the gate and of every rule that counts words."""

from __future__ import annotations

import pytest

from transforms.clean.gate import QualityGateStep
from transforms.clean.line_features import line_features
from transforms.core.record import Article, Markup
from transforms.core.steps import run_steps
from transforms.core.words import count_words, has_unspaced_letters
from transforms.pipeline import build_steps

# short articles of our own writing, one paragraph a line
JAPANESE = (
    "市立図書館は月曜日、駅前の新しい分館を開いた。\n\n"
    "分館には子ども向けの読書室と、夜九時まで使える自習室がある。"
    "開館初日には約三百人が訪れ、館長は「地域の人が気軽に集まれる場所にしたい」と話した。\n\n"
    "市は来年度、さらに二つの分館を整備する計画で、建設費は合わせて十二億円を見込んでいる。"
)
CHINESE = (
    "市政府周二宣布，连接港口和老城区的夜间公交线路将于六月开通。\n\n"
    "过去一年，许多下夜班的工人反映回家不便，交通局因此决定延长运营时间。"
    "新线路每三十分钟一班，票价与白天相同。\n\n"
    "预算委员会估计，这项服务每年需要四百万元，部分议员对费用提出了质疑。"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("The council voted on Tuesday.", 5),
        ("  café au lait\n\nthé  ", 4),
        ("東京", 2),  # each ideograph a word
        ("ひらがなカタカナ", 8),  # each kana a word
        ("東京、大阪。", 4),  # CJK punctuation separates, does not count
        ("Tokyo 東京 2026年", 5),  # Latin and digits count as usual beside them
        ("ภาษาไทย", 2),  # Thai: one word per four letters, rounded up
    ],
)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected


@pytest.mark.parametrize("article", [JAPANESE, CHINESE])
def test_an_article_without_spaces_counts_as_long(article: str) -> None:
    assert len(article.split()) < 10  # what a whitespace count sees: a few "words"
    assert count_words(article) >= 100
    assert has_unspaced_letters(article)
    assert not has_unspaced_letters("The council voted, café au lait.")


@pytest.mark.parametrize("article", [JAPANESE, CHINESE])
def test_gate_keeps_a_short_cjk_article(article: str) -> None:
    doc = Article("d", "d.txt", "text", "text", text=article)
    assert doc.word_count >= 100
    assert QualityGateStep().apply(doc) is None


@pytest.mark.parametrize("article", [JAPANESE, CHINESE])
def test_a_cjk_sentence_is_not_a_short_line(article: str) -> None:
    first = article.split("\n\n")[1]
    assert line_features(first).words >= 40


@pytest.mark.parametrize("article", [JAPANESE, CHINESE])
def test_cjk_article_is_published_by_the_whole_pipeline(article: str) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in article.split("\n\n"))
    page = f"<html><head><title>t</title></head><body><article>{paragraphs}</article></body></html>"
    for kind, raw in (("html", page), ("text", article)):
        doc = Article("d", f"d.{kind}", kind, kind, markup=Markup(raw=raw.encode("utf-8")))
        kept, dropped, _ = run_steps([doc], build_steps())
        assert not dropped, dropped[0][1] if dropped else None
        assert kept[0].word_count >= 100
