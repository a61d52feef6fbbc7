"""A small mixed corpus written by the tests: good pages, a syndicated copy, bad files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

STORIES = {
    "bridge": [
        "The county board voted on Tuesday to close the old iron bridge over the Marrow River "
        "after inspectors found cracks in two of its support beams, a decision that will add "
        "twenty minutes to the morning commute for thousands of drivers.",
        "Engineers said the cracks were discovered during a routine inspection last month and "
        "had grown quickly since the spring floods, when debris struck the piers repeatedly.",
        "\u201cWe cannot take chances with a structure that carries school buses every day,\u201d "
        "said board chair Elena Varga, who added that a temporary crossing could open by March.",
        "Local business owners on the east bank worried about losing customers during the "
        "closure, and several asked the board to fund signs directing traffic to their shops.",
    ],
    "orchard": [
        "A late frost destroyed nearly half of the apple blossoms in the valley's orchards this "
        "week, growers said, raising fears of a thin harvest and higher prices in the autumn.",
        "Temperatures fell to four degrees below freezing on Sunday night, hours after many "
        "trees had reached full bloom following an unusually warm fortnight.",
        "Growers lit fires and ran wind machines through the night, but the cold settled in "
        "the low ground where the oldest orchards stand, according to the growers' cooperative.",
        "The cooperative plans to survey every member farm before applying for state disaster "
        "relief, a process that usually takes about six weeks to complete.",
    ],
    "library": [
        "The city library will stay open until midnight during exam season for the first time, "
        "after students collected more than two thousand signatures asking for quiet space.",
        "Librarians said the extended hours would be staffed by volunteers and two new part-time "
        "employees, paid for with a grant from a local foundation.",
        "Students said the reading rooms on campus close at ten and fill up by the afternoon, "
        "leaving many to study in cafes or crowded apartments with unreliable internet.",
        "The pilot will run for three weeks, and the library board will decide in June whether "
        "to repeat it in the winter term based on how many people use the late hours.",
    ],
    "ferry": [
        "The island ferry service added a second boat to its summer timetable on Friday, "
        "doubling the number of crossings on weekends after years of complaints about queues.",
        "Residents have long said that the single ferry left them stranded when it broke down, "
        "and last August a mechanical fault cancelled all crossings for three days.",
        "The new vessel, bought second-hand from a northern operator, carries forty cars and "
        "three hundred passengers and was refitted over the winter at the harbour yard.",
        "Fares will not change this year, the operator said, though it warned that fuel costs "
        "could force a review of prices before the next season begins.",
    ],
}


# A review whose two sections repeat the same list items by design, and which ends with a
# newsletter prompt left in its first paragraph: published (the prompt removed, the lists kept),
# never quarantined.
REVIEW = [
    "We spent three weeks with two cordless vacuums in a house with a dog, two children and a "
    "long hallway of old floorboards, and the results surprised the whole household.",
    "The first model is lighter and easier to carry up the stairs, while the second lasts "
    "longer on a charge and empties its bin without sending dust back into the room.",
    "Both machines share the same strengths, which is why the lists below look alike even "
    "though the two models feel very different in the hand after a long cleaning session.",
    "Our verdict: buy the lighter one for a flat and the longer-lasting one for a house with "
    "stairs, and either way keep the filter clean if you want the suction to last.",
]
REVIEW_LIST = ["Easy to use", "Quiet motor", "Washable filter"]
NEWSLETTER = "Sign up for our newsletter to get the best reviews every week."


def review_page() -> str:
    items = "".join(f"<li>{i}</li>" for i in REVIEW_LIST)
    sections = "".join(
        f"<h2>{name}</h2><p>{REVIEW[k]}</p><h3>What we liked</h3><ul>{items}</ul>"
        for k, name in ((1, "The lighter model"), (2, "The longer-lasting model"))
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Two cordless vacuums tested | Home Lab</title></head><body>
<article><h1>Two cordless vacuums tested</h1><p>{REVIEW[0]} {NEWSLETTER}</p>{sections}
<p>{REVIEW[3]}</p></article></body></html>"""


def page(title: str, paragraphs: list[str], site: str, nav: str = "Home News Sport") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"></head><body>
<nav><ul>{"".join(f"<li><a href='/{w}'>{w}</a></li>" for w in nav.split())}</ul></nav>
<article><h1>{title}</h1>{body}</article>
<aside><h3>Related stories</h3><ul><li><a href="/x">Another story</a></li></ul></aside>
<footer><p>Copyright 2026 {site}. All rights reserved.</p></footer></body></html>"""


def write_corpus(root: Path) -> dict[str, int]:
    """Write the corpus; returns the expected number of input documents."""
    root.mkdir(parents=True, exist_ok=True)
    s = STORIES
    (root / "bridge.html").write_text(page("Old bridge to close", s["bridge"], "River Post"))
    # the same story syndicated under other chrome and another headline: an exact duplicate
    (root / "syndicated").mkdir()
    (root / "syndicated" / "bridge copy.html").write_text(
        page("County shuts iron bridge", s["bridge"], "Valley Wire", nav="Start Local Weather")
    )
    (root / "orchard.html.gz").write_bytes(
        gzip.compress(page("Frost hits orchards", s["orchard"], "Farm Weekly").encode())
    )
    (root / "library.txt").write_text("Library extends hours\n\n" + "\n\n".join(s["library"]))
    (root / "review.html").write_text(review_page())
    records = [
        {
            "url": "https://example.org/ferry",
            "html": page("Second ferry", s["ferry"], "Isle News"),
            "fetched_at": "2026-05-01T10:00:00Z",
        },
        "{not json",
        {"url": "https://example.org/empty", "fetched_at": "2026-05-01T10:00:00Z"},
    ]
    (root / "scraped.jsonl").write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"
    )
    (root / "empty.html").write_text("  \n")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (root / "short.html").write_text(page("Brief", ["Too short to be an article."], "Tiny"))
    (root / "notes.csv").write_text("ignored,file\n")
    # the very same file saved twice: one raw record (one doc_id) at two paths
    (root / "zz-again").mkdir()
    (root / "zz-again" / "library.txt").write_bytes((root / "library.txt").read_bytes())
    # bridge, bridge copy, orchard, library (twice), review, 3 jsonl lines, empty, binary, short
    return {"documents": 12, "articles": 5, "duplicates": 2, "quarantined": 5, "files": 10}
