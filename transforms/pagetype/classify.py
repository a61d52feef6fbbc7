"""Decide a page's type from its markup and the model, and whether it may leave `articles`.

Order of evidence:
1. Markup that states a type the dev pages never label: a `LiveBlogPosting` is a live blog
   (source json_ld); a video page (og:type video.*, or a VideoObject without an article node)
   with little prose is `other` (source open_graph / json_ld).
2. The model (`transforms.pagetype.model`) on the page's features. A page leaves `articles`
   only when the model gives "not an article" (one minus the article probability) at least
   `pagetype.route_min_confidence`, chosen from cross-validated measurements so that real
   articles stay (docs/page_types.md). Which other type it then is, `choose_type` decides: the
   trees' probabilities blended with a word model's (`PageTypeModel.chooser`), read only for
   pages routed out, so the words cost nothing on the articles and move no page in or out of
   `articles`. Below the threshold the page is an article, with the model's article
   probability as its confidence (low when the model leaned the other way).
3. One `<article>` element holding most of the page's words as prose: an article (source
   markup), whatever the model says.
4. Markup that states a product (JSON-LD `Product`/`Offer`, or microdata that survives script
   stripping) and no article: the page leaves `articles` (source json_ld or markup) with the
   type `choose_type` gives; no real dev article carries it.
5. The URL: a page whose last path segment names a service page (terms, privacy, about,
   contact, pricing, subscribe, ...) and that states no article type (JSON-LD or og:type) is
   `service` (source url): such pages are rare in the dev set, so the model alone is unsure,
   and its words can read like an article's (a terms page's clauses).
6. Without a model or markup (plain text): `article`, confidence 0.5, source default.

Only the first of these is one probability threshold; the others are evidence the page states.
Requiring positive article evidence for `articles` in general (article markup, a byline, a prose
block) was measured and does not pay: the model already weighs that evidence, and a gate on it
loses real articles as fast as it removes non-articles (docs/page_types.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from transforms.core.config.sections import PageTypeSettings
from transforms.pagetype.model import PageTypeModel

ARTICLE = "article"
LIVEBLOG = "liveblog"
OTHER = "other"
DEFAULT_CONFIDENCE = 0.5  # no evidence either way: plain text, or no model
_VIDEO_MAX_PROSE = 150  # words of paragraph prose above which a video page is an article
SERVICE = "service"
# measured on the dev pages (docs/page_types.md): above it, keeping such pages in `articles`
# adds few non-articles (+0.2 points at 0.7, +1 point at 0.5)
ONE_ARTICLE_PROSE_SHARE = 0.7
# last URL path segments (without an extension) that name a service page
SERVICE_SLUGS = frozenset(
    [
        "terms",
        "terms-of-service",
        "terms-of-use",
        "terms-and-conditions",
        "tos",
        "privacy",
        "privacy-policy",
        "cookie-policy",
        "cookies",
        "about",
        "about-us",
        "contact",
        "contact-us",
        "imprint",
        "impressum",
        "legal",
        "pricing",
        "plans",
        "subscribe",
        "subscription",
        "subscriptions",
        "careers",
        "jobs",
        "faq",
        "faqs",
    ]
)


@dataclass(frozen=True, slots=True)
class PageType:
    """A page's type, how sure, and on what evidence."""

    page_type: str
    confidence: float
    source: str


DEFAULT = PageType(ARTICLE, DEFAULT_CONFIDENCE, "default")


def one_article(features: dict[str, float]) -> bool:
    """The page is one `<article>` element's text: a single article element and most of the
    page's words (ONE_ARTICLE_PROSE_SHARE) in prose paragraphs. Such a page stays an article
    whatever the model says (the model is least sure on small, plain pages)."""
    return features["n_article"] == 1 and features["p_long_share"] >= ONE_ARTICLE_PROSE_SHARE


def states_article(features: dict[str, float]) -> bool:
    """The page's JSON-LD or og:type says it is an article."""
    return bool(features["ld_article"] or features["og_article"])


def states_product(features: dict[str, float]) -> bool:
    """The page's JSON-LD or microdata states a product or an offer, and no article."""
    return bool(features["ld_product"] or features["md_product"]) and not states_article(features)


def service_url(url: str | None) -> bool:
    """The URL's last path segment names a service page (terms, privacy, about, pricing...)."""
    segments = [s for s in urlsplit(url or "").path.lower().split("/") if s]
    return bool(segments) and segments[-1].rsplit(".", 1)[0] in SERVICE_SLUGS


_FLOOR = 1e-9  # a probability's floor in the blend's logarithms


def choose_type(
    probs: dict[str, float], word_probs: dict[str, float] | None, weight: float
) -> tuple[str, float]:
    """Which type other than an article a page routed out of `articles` is, and the type's
    probability: the trees' probabilities and the word model's blended log-linearly (each
    type's trees probability to the power 1 - `weight` times its word probability to the power
    `weight`, renormalised over the other types, times the trees' "not an article"). The trees
    read the page's layout, the words what it is about and asks of the reader; each corrects
    the other's confusions (a shop's prose guide, a section front of long teasers). Without
    word probabilities it is the trees' most probable other type."""
    others = [t for t in probs if t != ARTICLE]
    not_article = 1.0 - probs.get(ARTICLE, 0.0)
    if not word_probs or weight <= 0.0:
        best = max(others, key=probs.__getitem__)
        return best, probs[best]
    logs = {
        t: (1.0 - weight) * math.log(max(probs[t], _FLOOR))
        + weight * math.log(max(word_probs.get(t, 0.0), _FLOOR))
        for t in others
    }
    top = max(logs.values())
    blend = {t: math.exp(v - top) for t, v in logs.items()}
    best = max(others, key=blend.__getitem__)
    return best, not_article * blend[best] / sum(blend.values())


def _routed_out(
    probs: dict[str, float],
    model: PageTypeModel,
    words: Callable[[], dict[str, set[str]]] | None,
    source: str,
) -> PageType:
    """A page routed out of `articles`: its type from `choose_type`, the words read now."""
    chooser = model.chooser if words is not None else None
    word_probs = chooser.probabilities(words()) if chooser is not None else None  # type: ignore[misc]
    best, confidence = choose_type(probs, word_probs, model.chooser_weight)
    return PageType(best, round(confidence, 4), source)


def classify(
    features: dict[str, float],
    model: PageTypeModel | None,
    settings: PageTypeSettings,
    url: str | None = None,
    words: Callable[[], dict[str, set[str]]] | None = None,
) -> PageType:
    """The page's type (see the module docstring for the order of evidence). `words` gives the
    words of the page's parts, the body's included, for the model's type chooser: called only
    when the page is routed out of `articles`."""
    if features["ld_liveblog"]:
        return PageType(LIVEBLOG, 0.95, "json_ld")
    if features["p_long_words"] < _VIDEO_MAX_PROSE:
        if features["og_video"]:
            return PageType(OTHER, 0.9, "open_graph")
        if features["ld_video"] and not features["ld_article"]:
            return PageType(OTHER, 0.8, "json_ld")
    if model is None:
        return DEFAULT
    probs = model.probabilities(features)
    article = probs.get(ARTICLE, 0.0)
    if one_article(features):
        return PageType(ARTICLE, round(article, 4), "markup")
    if 1.0 - article >= settings.route_min_confidence:
        return _routed_out(probs, model, words, "model")
    if states_product(features):
        return _routed_out(probs, model, words, "json_ld" if features["ld_product"] else "markup")
    if service_url(url) and not states_article(features):
        return PageType(SERVICE, round(1.0 - article, 4), "url")
    return PageType(ARTICLE, round(article, 4), "model")
