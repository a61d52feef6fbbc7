"""Line-level boilerplate removal for plain text (and for what trafilatura leaves in HTML bodies).

Each line of the body is first judged on its own form (`transforms.clean.line_features`): prose,
headline/label, or a generic boilerplate class (site chrome, prompt, "read more", teaser header,
comment header, footer). Position then decides what the undecided lines are:
- the *body* runs from the first to the last prose line that is not boilerplate;
- a comment-section header after the start of the body cuts everything from it to the end
  when what follows is a thread: shorter than the article before it, or after an article of
  some length (`text_comments_min_article_words`);
- in plain text, a teaser/footer header or a prompt followed by little text (a share of the
  article, `text_tail_cut_share*`) ends the article with what hangs below it;
- *end matter* (HTML and text): a line in the tail that opens it by its form (an author bio, a
  references/disclaimer header, a legal notice; `transforms.clean.end_matter`) goes with everything
  below it, when what follows is a small share of the text before it
  (`text_end_matter_share`);
- the *trailing block* after the last body line is furniture (teasers, footers, prompts),
  except a lone parenthesised agency line such as "(AP)", which the metadata step reads, and
  except when it outweighs the body (a list that belongs to the page);
- between body lines only classed lines, ALL-CAPS teaser headlines (plain text only) and the
  headline lines right after a "Related" header go; short prose and subheadings stay;
- the *leading block* keeps the few lines right above the body (title, subtitle, byline, date,
  for the metadata step) and loses classed lines and the navigation above those.
Lines recurring across a site's articles are a batch signal, applied after this step by
`transforms.clean.recurrence`. Bodies extracted from HTML (`markup=True`) skip the two cuts by
position (tail and leading block): the extractor already trimmed the page, and on the dev pages
those cuts only cost article text there.
"""

from __future__ import annotations

from transforms.clean.end_matter import end_matter_kind
from transforms.clean.line_features import (
    REASONS,
    LineFeatures,
    boilerplate_class,
    line_features,
    normalise_line,
    sales_offer,
)
from transforms.clean.structure import spared_lines
from transforms.core.config import CleanSettings
from transforms.core.record import Article, Drop
from transforms.core.schema import ARTICLE_PAGE_TYPES
from transforms.core.steps import Step
from transforms.text.forms import looks_like_code


def _weak_prose(f: LineFeatures) -> bool:
    """A short sentence ("He declined to comment."): ends like one and has function words."""
    return f.words >= 3 and f.terminal and f.stop_share >= 0.2 and not f.all_caps


def _caps_teaser(f: LineFeatures) -> bool:
    """An ALL-CAPS headline between paragraphs: a related-story link, not a subheading."""
    return f.all_caps and f.words >= 4 and not f.terminal


def classify_lines(
    lines: list[str],
    settings: CleanSettings | None = None,
    markup: bool = False,
    article: bool = True,
) -> list[str | None]:
    """For each line, the boilerplate class it is removed as, or None to keep it.

    `markup` is for bodies already extracted from HTML: the extractor has trimmed the page
    around the article, so the cuts by position (navigation above the title block, furniture
    after a teaser/footer header) are skipped; they would only risk article text.
    `article` False is for a page typed as another kind (a forum thread, a product, a service,
    a listing: `transforms.pagetype`): every cut by position reads the page as an article
    (prose, then furniture), and there it takes the content itself (a thread's replies after a
    comment header, a product's closing spec list, a service's terms), so only lines classed
    by their own form go, less those that are such a page's own links and offer
    (`_page_class`).
    """
    config = settings or CleanSettings()
    tail_share = {
        "teaser": config.text_tail_cut_share,
        "footer": config.text_tail_cut_share,
        "prompt": config.text_tail_cut_share_prompt,
    }
    feats = [line_features(line) for line in lines]
    cls: list[str | None] = [
        boilerplate_class(line, f) for line, f in zip(lines, feats, strict=True)
    ]
    # a line of code is never a label or a comment header ("comments {" in a tutorial)
    cls = [
        c if c is None or not looks_like_code(line) else None
        for line, c in zip(lines, cls, strict=True)
    ]
    if not article:
        return [_page_class(line, c) for line, c in zip(lines, cls, strict=True)]
    body = [i for i, f in enumerate(feats) if f.prose and cls[i] is None]
    if not body:  # nothing reads as an article: remove only what is boilerplate by form
        return cls
    first = body[0]
    out: list[str | None] = list(cls)
    n = len(lines)
    # lists, tables and code the article wrote: no cut by position takes them
    keep = spared_lines(lines, feats, cls, markup)
    # words[i:] after a line, and body words before it: prefix sums keep this linear
    suffix = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] + feats[i].words
    body_set = set(body)
    prefix = [0] * (n + 1)
    for i in range(n):
        prefix[i + 1] = prefix[i] + (feats[i].words if i in body_set else 0)

    # Comment sections: from the header to the end, when what follows is a thread: shorter
    # than the article, or after an article of some length (long threads outgrow the story).
    for i in range(first + 1, n):
        if cls[i] == "comments" and (
            suffix[i + 1] <= prefix[i] or prefix[i] >= config.text_comments_min_article_words
        ):
            for j in range(i, n):
                if not keep[j]:
                    out[j] = out[j] or "comments"
            break
    # Tail furniture (plain text): a teaser/footer header or a prompt followed by little text
    # ends the article ("More Stories", "Popular Posts", "Subscribe ..." and what hangs below).
    # A footer that is a sentence (an affiliate disclosure) with paragraphs right below it
    # stands inside the article: it goes alone, it heads nothing.
    for i in range(first + 1, n):
        share = None if markup else tail_share.get(out[i] or "")
        if out[i] == "footer" and feats[i].prose and _prose_follows(i, feats, cls):
            continue
        if share is not None and suffix[i + 1] <= share * prefix[i]:
            for j in range(i + 1, n):
                if out[j] is None and not feats[j].parenthesised and not keep[j]:
                    out[j] = out[i]
            break
    # End matter (HTML and text alike): from the first line in the tail that opens it (a bio, a
    # references/disclaimer header, a legal notice, the publisher's call to action) to the end.
    # The tail is where what follows is a small share of the text before it: inside an article
    # these forms are quoted or discussed, at its end they are the page talking.
    share = config.text_end_matter_share
    # a legal notice ("... does not constitute advice") stands further up than a bio or a
    # references header: the page's boilerplate notices come before its author box
    legal_share = max(share, config.text_end_matter_share_legal)
    for i in range(first + 1, n):
        if suffix[i] > legal_share * prefix[i] or keep[i]:
            continue
        kind = end_matter_kind(normalise_line(lines[i]), lines[i], feats[i])
        if kind == "legal" or (kind is not None and suffix[i] <= share * prefix[i]):
            for j in range(i, n):
                if out[j] is None and not feats[j].parenthesised and not keep[j]:
                    out[j] = "end_matter"
            break
    body = [i for i in body if out[i] is None]
    if not body:
        return out
    last = body[-1]
    # Short sentences right after the last long one still belong to the body.
    while last + 1 < len(lines) and out[last + 1] is None and _weak_prose(feats[last + 1]):
        last += 1

    in_teasers = False
    for i in range(first, last + 1):
        f = feats[i]
        if out[i] is not None:
            # a bare header ("Related:", "More Stories") lists headlines below it; an inline
            # "Related: Some Headline" is a teaser by itself
            in_teasers = out[i] == "teaser" and (f.words <= 4 or lines[i].rstrip().endswith(":"))
            continue
        if f.prose or _weak_prose(f):
            in_teasers = False
        elif keep[i]:
            continue
        elif (_caps_teaser(f) and not markup) or (in_teasers and f.words >= 2):
            # (an extractor keeps a page's headings but not its link lists: in a body taken
            # from HTML an ALL-CAPS line is a subheading)
            out[i] = "teaser"
    # Trailing block: furniture, unless it outweighs the body (then it is a list that belongs
    # to the article, e.g. a catalogue or a FAQ of short lines).
    trail_words = sum(feats[i].words for i in range(last + 1, n) if out[i] is None)
    trailing_is_furniture = trail_words <= config.text_trailing_max_share * prefix[last + 1]
    for i in range(last + 1, n):
        if trailing_is_furniture and out[i] is None and not feats[i].parenthesised and not keep[i]:
            out[i] = "teaser" if feats[i].headline and feats[i].words >= 4 else "footer"
    # Leading block: the few lines right above the body are the title, subtitle, byline and
    # date (the metadata step reads them); what comes before those is navigation.
    kept_lead = [] if markup else [i for i in range(first) if out[i] is None]
    # A run of menu items (two or more consecutive one- or two-word labels) is navigation,
    # and so is everything above it, however close to the body: no title block looks so.
    menu = [_menu_item(feats[i], lines[i]) for i in kept_lead]
    runs_end = [k for k in range(1, len(menu)) if menu[k] and menu[k - 1]]
    cut = runs_end[-1] + 1 if runs_end else 0
    for i in kept_lead[:cut]:
        out[i] = "chrome"
    kept_lead = kept_lead[cut:]
    for i in kept_lead[: max(0, len(kept_lead) - config.text_lead_keep_lines)]:
        out[i] = "chrome"
    return out


def _prose_follows(i: int, feats: list[LineFeatures], cls: list[str | None]) -> bool:
    """Is there a paragraph of running text (20+ words) among the three lines after line `i`?
    Teasers, menus and bios below a page's closing notices are short lines or headlines."""
    return any(
        feats[j].prose and feats[j].words >= 20 and cls[j] is None
        for j in range(i + 1, min(i + 4, len(feats)))
    )


def _page_class(line: str, cls: str | None) -> str | None:
    """The class a line of a page of another type goes as: what an article wraps itself in
    ("Learn more about ...", "See also ...", "Get a free quote today") is such a page's own
    links and offer, and stays; site furniture (menus, share bars, copyright, newsletter and
    cookie prompts, comment controls) goes."""
    if cls == "read_more" or (cls == "prompt" and sales_offer(line)):
        return None
    return cls


def _menu_item(f: LineFeatures, line: str) -> bool:
    """A navigation label: one or two words, no sentence punctuation, not a byline."""
    return f.words <= 2 and not f.terminal and not line.lstrip().lower().startswith("by ")


class TextCleanStep(Step):
    """Remove boilerplate lines from the body, noting one reason per boilerplate class."""

    name = "text_clean"
    section = "clean"
    reads = frozenset({"text", "content_kind", "page_type"})
    writes = frozenset({"text"})

    def apply(self, doc: Article) -> Drop | None:
        paragraphs = doc.paragraphs
        units = [(p, line) for p, para in enumerate(paragraphs) for line in para.split("\n")]
        units = [(p, line) for p, line in units if line.strip()]
        if not units:
            return None
        verdicts = classify_lines(
            [line for _, line in units],
            self.settings,
            markup=doc.content_kind == "html",
            article=doc.page_type in ARTICLE_PAGE_TYPES,
        )
        if not any(verdicts):
            return None
        kept: list[list[str]] = [[] for _ in paragraphs]
        for (p, line), verdict in zip(units, verdicts, strict=True):
            if verdict is None:
                kept[p].append(line)
            else:
                doc.note(REASONS[verdict])
        doc.set_paragraphs(["\n".join(lines) for lines in kept])
        return None
