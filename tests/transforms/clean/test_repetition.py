"""Repetition repair: repeated paragraphs and sentences, scraper splices, all counted."""

from __future__ import annotations

import random
import time

import pytest

from transforms.clean.repetition import (
    RepetitionStep,
    dedupe_sentences,
    find_tandem,
    repair_splices,
)
from transforms.core.config import PipelineConfig
from transforms.core.record import Article

P1 = "The ferry company said on Monday that winter crossings would run twice a day until March."
P2 = "Passengers will be able to book seats online from next week, a spokeswoman said."
P3 = "The harbour master warned that storms could still cancel sailings at short notice."


def run(*paragraphs: str, config: PipelineConfig | None = None) -> Article:
    doc = Article(doc_id="t", source_path="t.txt", source_format="text", content_kind="text")
    doc.set_paragraphs(list(paragraphs))
    assert RepetitionStep(config).apply(doc) is None
    return doc


@pytest.mark.parametrize(
    "paragraphs",
    [
        [P1, P1, P2, P3],  # adjacent
        [P1, P2, P3, P1],  # re-printed later in the body
        [P1, P2, "  " + P1.replace(" ", "  ") + " ", P3],  # whitespace differs
        [P1.replace("said", "“said”"), P2, P1.replace("said", '"said"'), P3],  # quote style differs
    ],
)
def test_repeated_paragraph_kept_once(paragraphs):
    doc = run(*paragraphs)
    assert len(doc.paragraphs) == 3
    assert doc.paragraphs[0] == paragraphs[0]
    assert doc.changes == {"repeated_paragraph_removed": 1}


def test_short_repeated_lines_are_legitimate():
    doc = run("Step one", P1, "Step one", P2)
    assert doc.paragraphs == ["Step one", P1, "Step one", P2]
    assert not doc.changes
    doc = run(
        "Step one",
        P1,
        "Step one",
        config=PipelineConfig().with_settings({"clean.min_paragraph_words_for_repeat": 2}),
    )
    assert doc.changes == {"repeated_paragraph_removed": 1}


def test_repeated_line_inside_a_paragraph_is_removed():
    doc = run(P1 + "\n" + P2 + "\n" + P2, P3)
    assert doc.paragraphs == [P1 + "\n" + P2, P3]


SPLICED = (
    "“We are seeing a new season in coastal travel where ferries openly compete with the bridge "
    "and use pricee are seeing a new season in coastal travel where ferries openly compete with "
    "the bridge and use price to win back passengers.”"
)
REPAIRED = (
    "“We are seeing a new season in coastal travel where ferries openly compete with the bridge "
    "and use price to win back passengers.”"
)


def test_splice_repaired():
    doc = run(P1, SPLICED, P2)
    assert doc.paragraphs == [P1, REPAIRED, P2]
    assert doc.changes == {"splice_repaired": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SPLICED, REPAIRED),
        # a splice that jumps back to the start of a word
        (
            "Officials said the new timetable would apply from the first of December and would "
            "apply from the first of December and would stay in place all winter.",
            "Officials said the new timetable would apply from the first of December and would "
            "stay in place all winter.",
        ),
        # short doublings are language, not damage
        ("It was very, very cold on the quay that morning.", None),
        # the same phrase twice, far apart, is not a tandem
        (
            "The new timetable applies from December. Critics said the new timetable applies "
            "from December only because of the budget.",
            None,
        ),
    ],
)
def test_repair_splices(text, expected):
    fixed, n = repair_splices(text)
    assert fixed == (expected or text)
    assert n == (0 if expected is None else 1)


def test_doubled_sentence_removed():
    para = f"{P1} {P2} {P2} {P3}"
    doc = run(para)
    assert doc.paragraphs == [f"{P1} {P2} {P3}"]
    assert doc.changes == {"repeated_sentence_removed": 1}


@pytest.mark.parametrize(
    ("para", "n"),
    [
        ("No. No. We said no.", 0),  # short repeats stay
        ("It rained all day long. It rained all day long. Then it stopped.", 1),
        ("One sentence only here.", 0),
    ],
)
def test_dedupe_sentences(para, n):
    assert dedupe_sentences(para)[1] == n


@pytest.mark.parametrize(
    ("para", "expected"),
    [
        # each sentence end (closing quotes, brackets, spacing) is kept as it was
        (
            "The bus was late again today. The bus was late again today. Riders waited.",
            "The bus was late again today. Riders waited.",
        ),
        ("One two three four? one TWO three four?\tFive six.", "One two three four?\tFive six."),
        (
            "(The ferry runs at nine.) (The ferry runs at nine.) Done…  Done…",
            "(The ferry runs at nine.) Done…  Done…",
        ),
        (
            "He said it. “The bus is late.”  “The bus is late.”  Then he left!",
            "He said it. “The bus is late.”  Then he left!",
        ),
        ("No end here", None),
    ],
)
def test_dedupe_sentences_keeps_the_sentence_ends(para, expected):
    out, n = dedupe_sentences(para)
    assert out == (expected or para)
    assert n == (0 if expected is None else 1)


@pytest.mark.parametrize(
    ("text", "tandem"),
    [
        # fewer than four repeated words: no 4-gram repeats, no tandem
        ("The ferry crossed the bay at dawn while gulls circled over harbour walls.", None),
        # a period of nine words: nine repeated words
        (
            "Riders waited at the old stop for many hours. Riders waited at the old stop for "
            "many hours. Then",
            (0, 46),
        ),
        (
            "x Riders waited at the old stop for many hours, Riders waited at the old stop for "
            "many hours, and",
            (1, 46),
        ),
        ("a b c d e f g h i j a b c d e f g h i j a b c d", None),  # periods under 40 characters
    ],
)
def test_find_tandem(text, tandem):
    assert find_tandem(text) == tandem


def test_nothing_to_repair_leaves_text_untouched():
    doc = run(P1, P2, P3)
    assert doc.paragraphs == [P1, P2, P3]
    assert doc.changes == {}


@pytest.mark.parametrize("text", ["-" * 6000, "ab" * 3000, "word " * 1200])
def test_pathological_lines_are_fast(text):
    t0 = time.perf_counter()
    repair_splices(text)
    assert time.perf_counter() - t0 < 0.5


def test_long_paragraph_is_linear_ish():
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(400)]
    text = " ".join(rng.choice(vocab) for _ in range(1000))  # ~5k chars, no tandem
    t0 = time.perf_counter()
    for _ in range(20):
        assert find_tandem(text) is None
    assert (time.perf_counter() - t0) / 20 < 0.05


@pytest.mark.parametrize(
    ("kind", "kept"),
    [("html", True), ("text", False)],
)
def test_repeated_section_label_in_an_html_body_is_structure(kind: str, kept: bool) -> None:
    label = "What It Costs Each Month"  # a label printed once per section of a comparison
    doc = Article(doc_id="t", source_path="t", source_format="html", content_kind=kind)
    doc.set_paragraphs([label, P1, label, P2])
    RepetitionStep().apply(doc)
    assert doc.paragraphs == ([label, P1, label, P2] if kept else [label, P1, P2])


def test_repeated_sentence_line_in_an_html_body_is_a_duplicate() -> None:
    short = "Prices rise again this month."  # short, but a sentence: a second copy is a repeat
    doc = Article(doc_id="t", source_path="t", source_format="html", content_kind="html")
    doc.set_paragraphs([short, P1, short, P2])
    RepetitionStep().apply(doc)
    assert doc.paragraphs == [short, P1, P2]


@pytest.mark.parametrize(
    ("line", "structure"),
    [
        ("- Easy to use", True),
        ("* Quiet motor and a long battery life that lasts all week.", True),
        ("1. Preheat the oven to 200 degrees.", True),
        ("| Plan | Cost |", True),
        ("Plan | Cost | Notes", True),
        ("x = compute(a, b)", True),
        ("print(total)", True),
        ("for i in range(10):", True),
        ("return value;", True),
        ("Key Features and User Experience", True),
        ("Where to watch: HBO Max", True),
        ("The cat sat on the mat and then it went home.", False),
        ("A. Smith said the work was done on time.", False),
        ('He said: "x = y" was the answer.', False),
    ],
)
def test_structure_lines(line, structure):
    from transforms.clean.repetition import is_structure_line

    assert is_structure_line(line) is structure


def test_html_body_keeps_repeated_list_items_and_drops_repeated_prose():
    from transforms.clean.repetition import RepetitionStep
    from transforms.core.record import Article

    prose = "The committee will meet again next month to decide on the budget."
    text = f"{prose}\n\n- Easy to use and clean\n\nPros\n\n- Easy to use and clean\n\n{prose}"
    doc = Article(
        doc_id="d", source_path="a.html", source_format="html", content_kind="html", text=text
    )
    RepetitionStep().apply(doc)
    assert doc.text == f"{prose}\n\n- Easy to use and clean\n\nPros\n\n- Easy to use and clean"
    assert doc.changes == {"repeated_paragraph_removed": 1}


# A documentation page with one tab per language: each tab carries the same note, as the page
# shows it; an article re-printing a paragraph is a duplicate.
_NOTE = "Keep the access token out of the source file and read it from the environment instead."


@pytest.mark.parametrize(
    ("page_type", "kind", "copies"),
    [
        ("documentation", "html", 3),
        ("service", "html", 3),
        ("article", "html", 1),
        ("forum", "html", 1),
        ("documentation", "text", 1),  # a plain-text dump: no markup says the repeat is meant
    ],
)
def test_page_types_that_repeat_by_design_keep_their_repeats(page_type, kind, copies) -> None:
    doc = Article(doc_id="t", source_path="t", source_format=kind, content_kind=kind)
    doc.page_type = page_type
    doc.set_paragraphs(
        [
            *("Python", "client.send(to, body)", _NOTE),
            *("Ruby", "client.send_message(to, body)", _NOTE),
            *("Go", "client.Send(to, body)", _NOTE),
        ]
    )
    RepetitionStep().apply(doc)
    assert doc.text.count(_NOTE) == copies


def test_repeats_kept_page_types_is_a_setting() -> None:
    doc = Article(doc_id="t", source_path="t", source_format="html", content_kind="html")
    doc.page_type = "documentation"
    doc.set_paragraphs([_NOTE, P1, _NOTE])
    config = PipelineConfig().with_settings({"clean.repeats_kept_page_types": ""})
    RepetitionStep(config).apply(doc)
    assert doc.text.count(_NOTE) == 1
