"""Data Docs open offline: every CDN reference of GX's pages is a vendored file, the static
files are kept once per OUTPUT, and the index, opened in headless Chromium with no network,
lists the run's validation results."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

from expectations.offline import CDN, SHARED, VENDOR, make_offline, rewrite_page
from expectations.validate import build_report, validate_table
from tests.expectations.test_validate import article
from transforms.core.schema import ARTICLES, ARTICLES_SCHEMA

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_every_cdn_file_is_vendored_with_its_licence():
    for name in CDN.values():
        assert (VENDOR / name).is_file(), name
    licences = {p.stem for p in (VENDOR / "licenses").glob("*.txt")}
    assert {"jquery", "bootstrap", "popper", "bootstrap-table", "fontawesome-free"} <= licences
    css = (VENDOR / "fontawesome-6.6.0" / "css" / "all.min.css").read_text()
    for font in set(re.findall(r"\.\./webfonts/([\w-]+\.woff2)", css)):
        assert (VENDOR / "fontawesome-6.6.0" / "webfonts" / font).is_file(), font


def test_every_cdn_url_of_gx_templates_is_vendored_or_dropped():
    import great_expectations

    templates = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
    urls = {
        url
        for path in templates.rglob("*")
        if path.is_file()
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', path.read_text(errors="ignore"))
        if re.search(r"\.(js|css)$|/npm/vega", url)
    }
    assert urls and all(url in CDN or "/npm/vega" in url for url in urls), urls - set(CDN)


@pytest.mark.parametrize(
    ("html", "depth", "expected"),
    [
        (
            '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>',
            0,
            '<script src="../_static/vendor/jquery-3.7.1.min.js"></script>',
        ),
        (
            '<link href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css">',
            2,
            '<link href="../../../_static/vendor/fontawesome-6.6.0/css/all.min.css">',
        ),
        (
            '<link href="./static/images/favicon.ico">',
            0,
            '<link href="../_static/images/favicon.ico">',
        ),
        ('<img src="../../static/images/x.png">', 2, '<img src="../../../_static/images/x.png">'),
        # GX's validation pages write one "../" too few: the page's depth decides
        ('<img src="../static/images/x.png">', 2, '<img src="../../../_static/images/x.png">'),
        ('<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n<p>', 0, "<p>"),
        ("<p>static/ in prose</p>", 0, "<p>static/ in prose</p>"),
    ],
)
def test_rewrite_page(html, depth, expected):
    assert rewrite_page(html, depth) == expected
    assert rewrite_page(expected, depth) == expected  # once is enough


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A run's report under OUTPUT/reports/<run_id>, rendered by GX and made offline."""
    output = tmp_path_factory.mktemp("output")
    root = output / "reports" / "run-offline"
    batch = pa.Table.from_pylist(
        [article("offline_a"), article("offline_b")], schema=ARTICLES_SCHEMA
    )
    validate_table(ARTICLES, batch, docs_dir=root, docs_index=False)
    build_report(root)
    return root


def test_a_report_refers_to_no_other_host_and_keeps_no_static_copy(report):
    assert not (report / "static").exists()
    shared = report.parent / SHARED
    assert (shared / "VERSION").is_file() and (shared / "vendor" / "jquery-3.7.1.min.js").is_file()
    for page in report.rglob("*.html"):
        text = page.read_text()
        loaded = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', text)
        assert loaded and not [u for u in loaded if "://" in u], page.name
        for url in loaded:  # every file a page loads exists
            assert (page.parent / url.split("?")[0]).resolve().is_file(), (page.name, url)


def test_a_second_run_shares_the_static_folder(report):
    shared = report.parent / SHARED
    before = (shared / "VERSION").stat().st_mtime_ns
    other = report.parent / "run-offline-2"
    shutil.copytree(report, other)
    (other / "static").mkdir()  # what GX leaves in each site
    make_offline(other)
    assert not (other / "static").exists()
    assert (shared / "VERSION").stat().st_mtime_ns == before  # kept, not written again


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
def test_the_index_lists_the_validation_results_in_a_browser_with_no_network(report):
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no host resolves: offline
            "--virtual-time-budget=5000",
            "--dump-dom",
            (report / "index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    rows = re.findall(r"<tr[^>]*data-index[^>]*>(.*?)</tr>", dom, re.S)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in rows]
    results = [c for c in cells if "run-test" in c]  # the rows' run_id
    assert len(results) == 1 and "articles" in results[0], cells  # the run's validation result
