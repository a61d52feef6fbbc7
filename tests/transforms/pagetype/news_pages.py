"""Pages a news crawl fetches beside its articles, written for these tests (no real site's text).

Each is a small but realistic page of one kind from issue 28's table: the never-content kinds
(which the flow quarantines with their own reason) and the content pages that are not articles.
"""

from __future__ import annotations

_HEAD = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title>{meta}</head><body>
<header><nav><a href="/">The Harbour Gazette</a> <a href="/news">News</a> <a href="/sport">Sport</a>
<a href="/opinion">Opinion</a> <a href="/subscribe">Subscribe</a></nav></header>
"""
_FOOT = """<footer><p>The Harbour Gazette, 12 Quay Street.</p><a href="/terms">Terms</a>
<a href="/privacy">Privacy</a></footer></body></html>"""


def page(title: str, body: str, meta: str = "") -> str:
    return _HEAD.format(title=title, meta=meta) + body + _FOOT


def _cards(n: int, byline: str = "By Staff · March {day}, 2024") -> str:
    topics = [
        "ferry timetable",
        "school roof",
        "bridge repairs",
        "market hall",
        "tram line",
        "lifeboat crew",
        "harbour wall",
        "library hours",
        "rowing club",
        "fish prices",
        "bus depot",
        "museum wing",
    ]
    return "\n".join(
        f'<article class="card"><a href="/news/2024/03/{i + 1:02d}/story-{i}">'
        f'<img src="/img/{i}.jpg" alt=""><h3>Council weighs {topics[i % len(topics)]} plan</h3>'
        f'</a><p class="teaser">A short look at the {topics[i % len(topics)]} question.</p>'
        f'<p class="meta">{byline.format(day=i + 1)}</p></article>'
        for i in range(n)
    )


CONSENT_INTERSTITIAL = page(
    "Before you continue",
    """<div class="wrap"><h1>We value your privacy</h1>
<p>We and our 842 partners store and/or access information on a device, such as cookies, and
process personal data, such as unique identifiers and standard information sent by a device,
for personalised advertising and content, advertising and content measurement, audience research
and services development.</p>
<p>With your permission we and our partners may use precise geolocation data and identification
through device scanning. You may click to consent to our and our partners' processing as
described above. Alternatively you may access more detailed information and change your
preferences before consenting or to refuse consenting.</p>
<p>Please note that some processing of your personal data may not require your consent, but you
have a right to object to such processing based on legitimate interest. Your preferences will
apply to this website only. You can change your choices at any time by returning to this site.</p>
<button>Accept all</button> <button>Reject all</button> <button>Manage preferences</button>
</div>""",
    '<meta property="og:type" content="article">',
)

CONSENT_OVERLAY_SHELL = """<!doctype html><html><head><title>Harbour Gazette</title>
<script src="/app.js"></script></head><body><div id="root"></div>
<div id="consent-banner" class="cmp-overlay"><p>This site uses cookies. We and our partners use
cookies and process personal data for ads and measurement.</p><button>Accept all</button>
<button>Reject all</button><a href="/cookie-policy">Cookie policy</a></div></body></html>"""

PAYWALL_STUB = page(
    "Night ferry service to be cut from May | The Harbour Gazette",
    """<main><article><h1>Night ferry service to be cut from May</h1>
<p class="byline">By Mara Ellison</p><time datetime="2024-03-04T07:30:00Z">March 4, 2024</time>
<p>The last ferry of the night will stop running in May, the operator told councillors on Monday,
leaving shift workers on the islands without a way home.</p>
<div class="paywall"><h2>Subscribe to continue reading</h2><p>Already a subscriber? Sign in.</p>
<p>Get unlimited access for $1 a week.</p><a href="/subscribe">Subscribe now</a></div>
</article></main>""",
    """<meta property="og:type" content="article">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Night ferry service to be cut from May", "author": {"@type": "Person",
"name": "Mara Ellison"}, "datePublished": "2024-03-04T07:30:00Z", "isAccessibleForFree": false,
"hasPart": {"@type": "WebPageElement", "isAccessibleForFree": false, "cssSelector": ".paywall"}}
</script>""",
)

ERROR_404_TEASERS = page(
    "Page not found | The Harbour Gazette",
    """<main><h1>Sorry, we couldn't find that page</h1><p>The page you were looking for may have
moved. Try the search, or read one of our popular stories below.</p>
<h2>Popular stories</h2>"""
    + _cards(8)
    + "</main>",
)

LOGIN_PAGE = page(
    "Sign in | The Harbour Gazette",
    """<main><h1>Sign in to your account</h1><form action="/login" method="post">
<label>Email <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button></form><p>New here? <a href="/register">Create an
account</a>.</p></main>""",
)

BOT_CHALLENGE = """<!doctype html><html><head><title>Just a moment...</title></head><body>
<h1>Checking your browser before accessing harbourgazette.example</h1>
<p>Please verify you are a human. This process is automatic.</p>
<p>Enable JavaScript and cookies to continue.</p></body></html>"""

JS_SHELL = """<!doctype html><html><head><title>Harbour Gazette</title>
<script src="/static/js/main.4f1c.js"></script></head><body>
<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>
</body></html>"""

# never-content kind -> (page, quarantine reason)
NEVER_CONTENT = {
    "consent_interstitial": (CONSENT_INTERSTITIAL, "consent_wall"),
    "consent_overlay_shell": (CONSENT_OVERLAY_SHELL, "consent_wall"),
    "paywall_stub": (PAYWALL_STUB, "paywall_stub"),
    "error_404_teasers": (ERROR_404_TEASERS, "error_page"),
    "login": (LOGIN_PAGE, "login_wall"),
    "bot_challenge": (BOT_CHALLENGE, "bot_challenge"),
    "js_shell": (JS_SHELL, "empty_shell"),
}

TAG_PAGE = page("Ferries | The Harbour Gazette", "<main><h1>Ferries</h1>" + _cards(12) + "</main>")
SECTION_FRONT = page("News | The Harbour Gazette", "<main><h1>News</h1>" + _cards(12) + "</main>")
AUTHOR_PAGE = page(
    "Mara Ellison | The Harbour Gazette",
    "<main><h1>Mara Ellison</h1><p>Transport reporter.</p>"
    + _cards(10, "By Mara Ellison · March {day}, 2024")
    + "</main>",
)
SEARCH_PAGE = page(
    "Search results for ferry | The Harbour Gazette",
    "<main><h1>Results for “ferry”</h1><p>Showing 12 results</p>" + _cards(12) + "</main>",
)
ARCHIVE_PAGE = page(
    "March 2024 archive | The Harbour Gazette",
    "<main><h1>Archive: March 2024</h1>" + _cards(12) + '<a href="?page=2">Older posts</a></main>',
)
VIDEO_PAGE = page(
    "Watch: the new lifeboat launches | The Harbour Gazette",
    """<main><h1>Watch: the new lifeboat launches</h1><video src="/v/lifeboat.mp4"></video>
<p>The crew took the new boat out for its first launch on Saturday morning.</p>
<h2>More videos</h2>"""
    + _cards(6)
    + "</main>",
    '<meta property="og:type" content="video.other">',
)

# content pages that are not articles, by URL: they must not be published in `articles`
NOT_ARTICLES = {
    "tag": (TAG_PAGE, "https://harbourgazette.example/tag/ferries"),
    "section": (SECTION_FRONT, "https://harbourgazette.example/news/"),
    "author": (AUTHOR_PAGE, "https://harbourgazette.example/author/mara-ellison"),
    "search": (SEARCH_PAGE, "https://harbourgazette.example/search?q=ferry"),
    "archive": (ARCHIVE_PAGE, "https://harbourgazette.example/2024/03/"),
    "video": (VIDEO_PAGE, "https://harbourgazette.example/video/lifeboat-launch"),
}

SUBSCRIPTION_PAGE = page(
    "Subscribe | The Harbour Gazette",
    """<main><h1>Choose your plan</h1><div class="plans">
<div class="plan"><h2>Digital</h2><p class="price">$1 a week for 12 weeks, then $4 a week.</p>
<button>Get started</button></div>
<div class="plan"><h2>Digital + Print</h2><p class="price">$6 a week, delivered every morning.</p>
<button>Get started</button></div>
<div class="plan"><h2>Student</h2><p class="price">$2 a month with a valid student card.</p>
<button>Get started</button></div></div>
<h2>Questions</h2><p>Can I cancel at any time? Yes, online, in two clicks.</p>
<p>Do I get the puzzles? Every plan includes the daily crossword.</p></main>""",
)
TERMS_PAGE = page(
    "Terms of service | The Harbour Gazette",
    "<main><h1>Terms of service</h1>"
    + "\n".join(
        f"<h2>{i}. {head}</h2><p>These terms govern your use of the site and its apps. By using "
        f"them you agree to the {head.lower()} set out here, which we may change with notice "
        f"posted on this page. Where a term cannot be enforced the others still apply.</p>"
        for i, head in enumerate(
            ["Accounts", "Subscriptions", "Comments", "Content licence", "Liability", "Law"], 1
        )
    )
    + "</main>",
)
NOT_ARTICLES["subscription"] = (SUBSCRIPTION_PAGE, "https://harbourgazette.example/subscribe")
NOT_ARTICLES["terms"] = (TERMS_PAGE, "https://harbourgazette.example/terms")

_UPDATES = [
    (
        "09:02",
        "Ada Lane",
        "Crews have closed the coast road north of the harbour after the wall gave way.",
    ),
    ("09:15", "Ada Lane", "The council says the detour through Mill Lane will add twenty minutes."),
    ("09:31", "Sam Reed", "Buses on routes 4 and 7 are being diverted; the ferry is running."),
    ("09:48", "Sam Reed", "Engineers on the scene say the damage runs for about forty metres."),
    ("10:05", "Ada Lane", "Residents of the seafront flats have been asked to stay indoors."),
    (
        "10:22",
        "Ada Lane",
        "The harbour master says the storm surge peaked at high tide this morning.",
    ),
    ("10:40", "Sam Reed", "Police have asked people to keep away from the promenade for now."),
    ("10:58", "Sam Reed", "The school on Quay Street will close at noon as a precaution."),
    ("11:13", "Ada Lane", "The water company says supplies are not affected by the collapse."),
    (
        "11:30",
        "Ada Lane",
        "A second section of the wall near the lifeboat station is being checked.",
    ),
    ("11:46", "Sam Reed", "The mayor has called an emergency meeting for two o'clock."),
    ("12:04", "Sam Reed", "Contractors are bringing rock armour to shore up the breach."),
    ("12:20", "Ada Lane", "The coast road is expected to stay shut at least until Friday."),
    ("12:37", "Ada Lane", "Shops on the front say trade has stopped since the road closed."),
    ("12:55", "Sam Reed", "We are ending our live coverage here; a full report will follow."),
]
LIVE_BLOG = page(
    "Live: harbour wall collapse closes coast road | The Harbour Gazette",
    "<main><article><h1>Live: harbour wall collapse closes coast road</h1>"
    + "\n".join(
        f'<div class="live-update"><time datetime="2024-03-05T{t}:00Z">{t}</time>'
        f'<p class="update-author">{who}</p><p>{text}</p></div>'
        for t, who, text in _UPDATES
    )
    + "</article></main>",
    """<script type="application/ld+json">{"@context": "https://schema.org",
"@type": "LiveBlogPosting", "headline": "Live: harbour wall collapse closes coast road",
"coverageStartTime": "2024-03-05T09:00:00Z"}</script>""",
)
