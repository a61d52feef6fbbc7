"""The ordered list of per-document stages: the one place that says what runs, in what order.

The flow's shard task, `make eval` and the tests all build their steps here, so they exercise the
same code path. Order matters and each position is deliberate:
- metadata and captions read the parsed HTML tree *before* trafilatura extracts the body,
  because extraction prunes figures and captions from the tree in place;
- caption lines leave the text before line-level cleaning and repetition repair, so a caption
  printed twice is kept once, as a caption, not as a body paragraph;
- lines recurring across a site's articles (a batch step: it sees the shard's documents
  together) go after line cleaning and before title detection on plain text;
- the page type is read from the tree after the HTML metadata (a paywall stub's quarantine row
  keeps its headline, byline and date) and before extraction consumes the tree, and decided
  once the body is extracted (its shape is evidence); the metadata a listing's teaser cards
  lent it is cleared once the metadata is final;
- a second extractor is asked right after the type is decided, on the types where the first
  often fails, and before any cleaning, so that its body is cleaned like the first;
- title/subtitle detection on plain text runs after chrome lines ("Search", ...) are gone;
- leftovers (prompts, credits, captions the articles suite warns about) go after every other
  text repair, so that the suite's warning checks see what a reader gets and rarely fire;
- the learned line filter (one model for HTML bodies, one for plain-text dumps) follows the line
  rules, whose leftovers it removes, and comes before the batch step, which releases the
  page's link labels it reads;
- the word-count gate runs last, on the final body.

What each step reads and writes is declared on the step and checked here (`check_order`): a
step placed before the field it reads is produced (the tree before parsing, the body before
extraction) or after it is consumed fails when the list is built.
"""

from __future__ import annotations

from transforms.clean.gate import QualityGateStep
from transforms.clean.leftovers import LeftoversStep
from transforms.clean.recurrence import RecurringLinesStep
from transforms.clean.repetition import RepetitionStep
from transforms.clean.text_clean import TextCleanStep
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.core.steps import BatchStep, Step, check_order, run_steps
from transforms.html.captions import HtmlCaptionStep, TextCaptionStep
from transforms.html.extract import ExtractBodyStep, ParseHtmlStep
from transforms.html.recheck import SecondOpinionStep
from transforms.metadata.steps import FinalizeMetadataStep, HtmlMetadataStep, TextMetadataStep
from transforms.pagetype.steps import ClassifyPageStep, PageTypeMetadataStep, PageTypeStep
from transforms.read.provides import READ_FIELDS
from transforms.text.block_filter import BlockFilterStep, TextBlockFilterStep
from transforms.text.decode import DecodeStep
from transforms.text.normalize import NormalizeStep


def build_steps(config: PipelineConfig | None = None) -> list[Step | BatchStep]:
    """The per-document stages in order, configured from one `PipelineConfig`; their order is
    checked against what each reads and writes (`StepOrderError` when it is wrong)."""
    config = config or PipelineConfig()
    html_metadata = HtmlMetadataStep(config)
    steps: list[Step | BatchStep] = [
        DecodeStep(config),
        # a page with no text is quarantined with what its head states (title, byline, date)
        ParseHtmlStep(config, on_empty=html_metadata.apply),
        html_metadata,
        PageTypeStep(config),
        HtmlCaptionStep(config),
        ExtractBodyStep(config),
        ClassifyPageStep(config),
        SecondOpinionStep(config),
        NormalizeStep(config),
        TextCaptionStep(config),
        TextCleanStep(config),
        BlockFilterStep(config),
        TextBlockFilterStep(config),
        RecurringLinesStep(config),
        TextMetadataStep(config),
        RepetitionStep(config),
        LeftoversStep(config),
        FinalizeMetadataStep(config),
        PageTypeMetadataStep(config),
        QualityGateStep(config),
    ]
    check_order(steps, available=READ_FIELDS)
    return steps


# A small page of every kind of thing the stages read (a title, a byline, a date, a figure, a few
# paragraphs of prose), so that warming up loads what a stage loads at its first real page.
_WARM_UP_PAGE = b"""<!doctype html><html lang="en"><head><title>Harbour bus routes extended</title>
<meta name="author" content="Ada Lane"><meta property="article:published_time"
content="2026-03-02T08:00:00Z"></head><body><article><h1>Harbour bus routes extended</h1>
<p class="byline">By Ada Lane</p><figure><img src="a.jpg"><figcaption>The depot at dawn.
Photo: Sam Reed</figcaption></figure>
<p>The council voted on Tuesday to extend the night bus service to the harbour district, after a
year of complaints from shift workers who walk home after midnight.</p>
<p>The transport office expects the first extended routes to start running in early June, once
drivers for the late shifts have been hired and trained over the spring.</p>
<p>Opponents questioned the cost, which the budget committee put at four million a year.</p>
</article></body></html>"""


def warm_up(config: PipelineConfig | None = None) -> None:
    """Run one small inline page through the steps (`run_steps`) and throw the result away.

    Stages load things at their first page (the language model, trafilatura's fast paths, date
    parsers' tables); a process that forks shard workers calls this once,
    so that every worker starts with them loaded.
    """
    doc = Article("warm-up", "warm-up.html", "html", "html", markup=Markup(raw=_WARM_UP_PAGE))
    run_steps([doc], build_steps(config))
