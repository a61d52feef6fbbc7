"""Lines recurring across one site's articles in a batch are removed; a story's copies are not."""

from __future__ import annotations

import pytest

from transforms.clean.recurrence import REASON, RecurringLinesStep, chrome_lines, site_key
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.core.steps import run_steps

PITCH = "Sign up for the Morning Brief, our daily newsletter."
FOLLOW = "Follow the Valley Courier on social media"
TOPICS = [
    "bridge repairs",
    "school budget",
    "library hours",
    "bus routes",
    "park cleanup",
    "tax vote",
]


def story(topic: str) -> list[str]:
    return [
        f"The town council debated the {topic} for three hours on Tuesday night before a vote.",
        f"Residents who spoke about the {topic} asked the council to publish its figures first, "
        "saying the last estimate had doubled within a single year.",
        f"The mayor said a decision on the {topic} would come at the next meeting in March.",
    ]


def doc(
    i: int, paragraphs: list[str], url: str | None = "https://valleycourier.example/news/a"
) -> Article:
    d = Article(
        doc_id=f"d{i}",
        source_path=f"scrape/site/{i}.html",
        source_format="html",
        content_kind="html",
        url=url.replace("/a", f"/a{i}") if url else None,
    )
    d.set_paragraphs(paragraphs)
    return d


def site_batch(n: int, extra: list[str]) -> list[Article]:
    return [doc(i, [*story(TOPICS[i % len(TOPICS)] + f" {i}"), *extra]) for i in range(n)]


def apply(docs: list[Article], **overrides) -> list[Article]:
    RecurringLinesStep(
        PipelineConfig().with_settings({f"clean.{k}": v for k, v in overrides.items()})
    ).apply_batch(docs)
    return docs


def test_a_pitch_in_every_article_of_a_site_goes():
    docs = apply(site_batch(6, [PITCH, FOLLOW]))
    for d in docs:
        assert PITCH not in d.text and FOLLOW not in d.text
        assert d.changes[REASON] == 2
        assert len(d.paragraphs) == 3


@pytest.mark.parametrize(("n", "removed"), [(4, False), (5, True)])
def test_min_docs(n, removed):
    docs = apply(site_batch(n, [PITCH]))
    assert all((PITCH not in d.text) is removed for d in docs)


def test_copies_of_one_story_keep_their_lines():
    # the same story saved six times (syndicated, or fetched on six days): its lines recur, but
    # in documents with one lede, so nothing is chrome; deduplication handles the copies
    docs = apply([doc(i, [*story("flood wall"), PITCH]) for i in range(6)])
    assert all(REASON not in d.changes and PITCH in d.text for d in docs)


def test_other_sites_do_not_count():
    docs = [
        doc(i, [*story(f"topic {i}"), PITCH], url=f"https://site{i}.example/a") for i in range(6)
    ]
    apply(docs)
    assert all(PITCH in d.text for d in docs)


def test_long_paragraphs_are_never_chrome():
    long_line = " ".join(["standing disclaimer"] * 25)  # 50 words
    assert all(
        long_line in d.text for d in apply(site_batch(6, [long_line]), recurrence_max_words=40)
    )


def test_a_document_made_only_of_recurring_lines_is_left_whole():
    docs = site_batch(6, [PITCH])
    docs.append(doc(99, [PITCH]))
    apply(docs)
    assert docs[-1].paragraphs == [PITCH]


@pytest.mark.parametrize(
    ("url", "source_path", "key"),
    [
        ("https://www.Example.com/x", "a/b.html", "host:example.com"),
        (None, "scrape/site/1.txt", "dir:scrape/site"),
        ("not a url", "top.txt", "dir:"),
    ],
)
def test_site_key(url, source_path, key):
    d = Article(
        doc_id="d", source_path=source_path, source_format="text", content_kind="text", url=url
    )
    assert site_key(d) == key


def test_chrome_lines_are_per_document():
    docs = site_batch(6, [PITCH])
    docs.append(doc(7, [*story("other"), PITCH], url="https://elsewhere.example/a"))
    found = chrome_lines(docs, min_docs=5, max_words=40, max_shared=0.5, min_share=0.25)
    assert found[:6] == [frozenset({PITCH.casefold()})] * 6
    assert found[6] == frozenset()  # another site: counted apart


def test_edited_copies_of_a_story_beside_real_chrome():
    # six versions of one story (cut at different lengths, as pages fetched on several days)
    # and six different stories, all with the site's pitch: the copies do not make their own
    # lines chrome, and they lose the pitch like every other page of the site
    full = [*story("flood wall"), *story("sea wall"), *story("harbour")]
    copies = [doc(10 + i, [*full[: 4 + i], PITCH]) for i in range(6)]
    docs = apply(site_batch(6, [PITCH]) + copies)
    assert all(PITCH not in d.text for d in docs)
    assert [d.paragraphs for d in docs[6:]] == [full[: 4 + i] for i in range(6)]


def test_copies_alone_do_not_make_chrome():
    full = [*story("flood wall"), *story("sea wall")]
    docs = apply([doc(i, [*full[: 3 + i], PITCH]) for i in range(6)])
    assert all(PITCH in d.text and REASON not in d.changes for d in docs)


def test_run_steps_applies_the_batch_step_between_document_steps():
    from transforms.core.steps import Step

    class AddPitch(Step):
        name = "add_pitch"

        def apply(self, d):
            d.set_paragraphs([*d.paragraphs, PITCH])
            return None

    class Sign(Step):
        name = "sign"

        def apply(self, d):
            d.set_paragraphs([*d.paragraphs, "The End."])
            return None

    # the batch step sees what the step before it wrote; the step after it runs on the result
    docs = site_batch(6, [])
    config = PipelineConfig()
    steps = [AddPitch(config), RecurringLinesStep(config), Sign(config)]
    kept, dropped, stats = run_steps(iter(docs), steps)
    assert len(kept) == 6 and not dropped
    assert all(PITCH not in d.text and d.paragraphs[-1] == "The End." for d in kept)
    assert stats.docs_in == 6 and stats.docs_out == 6
    assert stats.changes[REASON] == 6
    assert {"add_pitch", "recurring_lines", "sign"} <= set(stats.seconds)


def test_a_subheading_in_a_few_articles_of_many_is_not_chrome():
    # "Conclusion" heads 5 of 30 different articles: recurring, but not on most pages
    docs = [doc(i, [*story(f"topic {i}"), *(["Conclusion"] if i < 5 else [])]) for i in range(30)]
    apply(docs, recurrence_min_share=0.25)
    assert all("Conclusion" in d.text for d in docs[:5])
    apply(docs, recurrence_min_share=0.1)
    assert all("Conclusion" not in d.text for d in docs[:5])


def test_the_pipeline_removes_a_site_statement_from_a_shard_of_its_articles():
    from transforms.pipeline import build_steps

    statement = "The Valley Courier is an independent newsroom owned by its readers."
    docs = []
    for i, topic in enumerate(TOPICS):
        text = "\n".join([f"Council weighs {topic}", *story(topic), statement])
        docs.append(
            Article(
                doc_id=f"t{i}",
                source_path="scrape/courier.jsonl",
                source_record=i,
                source_format="jsonl",
                content_kind="text",
                markup=Markup(raw=text.encode()),
                url=f"https://valleycourier.example/news/{i}",
            )
        )
    kept, dropped, stats = run_steps(
        docs, build_steps(PipelineConfig().with_settings({"clean.min_words": 20}))
    )
    assert not dropped
    assert all(
        statement not in d.text and story(t)[1] in d.text for d, t in zip(kept, TOPICS, strict=True)
    )
    assert stats.changes[REASON] == len(TOPICS)
