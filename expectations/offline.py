"""Data Docs that open offline, with their static files stored once per OUTPUT.

Great Expectations' pages load jQuery, Bootstrap, bootstrap-table and Font Awesome from CDNs:
offline the index, which builds its list of results with bootstrap-table, shows nothing. After
the index is rendered, every page of a run's report is rewritten to load the vendored copies
(`expectations/datadocs/vendor/`, see its README) instead, the Vega scripts (for charts the
suites do not render) are dropped, and GX's logo comes from its own static images.

GX also copies its static folder (fonts, images, styles) into every site it builds: most of a
run's report. It is moved to one folder beside the runs' reports, `reports/_static/`, written
when missing or when it holds another GX's or another vendoring's files (`VERSION`), and every
page points there. Nothing here imports Great Expectations.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from transforms.run.reports import SHARED_STATIC

VENDOR = Path(__file__).parent / "datadocs" / "vendor"
SHARED = PurePosixPath(SHARED_STATIC).name  # reports/_static: one per OUTPUT
MARKER = "VERSION"

# the URLs GX 1.24's templates load, and the vendored file of each (under _static/vendor/)
CDN = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper-1.12.9.min.js"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap-4.3.1.min.js"
    ),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap-4.3.1.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table-1.19.1.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table-1.19.1.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control-1.19.1.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": "bootstrap-table-filter-control-1.19.1.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": "bootstrap-table-filter-control-1.19.1.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": "bootstrap-datepicker-1.9.0.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": "bootstrap-datepicker-1.9.0.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "bootstrap-prefers-dark-1.1.0.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome-6.6.0/css/all.min.css"
    ),
}
_VEGA = re.compile(r'<script src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"></script>\s*')
_LOGO = re.compile(r"https://great-expectations-web-assets\.s3[^\"']*/logo-long\.png[^\"']*")
# a relative reference to the site's own static folder: "./static/x", "../../static/x"
_STATIC = re.compile(r"""(?<=["'(])((?:\.\.?/)*)static/""")


def marker() -> str:
    """What the shared folder holds: GX's version and the vendored files' names and sizes."""
    files = sorted(
        f"{p.relative_to(VENDOR)}:{p.stat().st_size}" for p in VENDOR.rglob("*") if p.is_file()
    )
    digest = hashlib.sha1("\n".join(files).encode()).hexdigest()[:16]
    return f"great_expectations {version('great_expectations')} vendor {digest}\n"


def rewrite_page(html: str, depth: int) -> str:
    """One page's references made local; `depth`: its folder's depth under the report root."""
    up = "../" * depth + f"../{SHARED}/"
    for url, name in CDN.items():
        html = html.replace(url, f"{up}vendor/{name}")
    html = _VEGA.sub("", html)
    html = _LOGO.sub(f"{up}images/logo-long-vector.svg", html)
    # GX writes one "../" too few on validation pages: the page's depth decides, not GX's path
    return _STATIC.sub(up, html)


def make_offline(root: Path) -> Path:
    """Rewrite every page of the report at `root` to load local files from `root/../_static`,
    fill that folder when needed, and drop the report's own copy of GX's static folder."""
    shared = root.parent / SHARED
    own = root / "static"
    if own.is_dir():
        _share(own, shared)
        shutil.rmtree(own, ignore_errors=True)
    for page in root.rglob("*.html"):
        depth = len(page.relative_to(root).parent.parts)
        text = page.read_text(encoding="utf-8")
        offline = rewrite_page(text, depth)
        if offline != text:
            page.write_text(offline, encoding="utf-8")
    return shared


def _share(static: Path, shared: Path) -> None:
    """Fill `shared` from GX's `static` and the vendored files unless it holds them already;
    made beside it and renamed into place, so that a reader never sees half of it."""
    want = marker()
    if (shared / MARKER).is_file() and (shared / MARKER).read_text() == want:
        return
    build = Path(tempfile.mkdtemp(prefix=f".{SHARED}-", dir=shared.parent))
    shutil.copytree(static, build, dirs_exist_ok=True)
    shutil.copytree(VENDOR, build / "vendor")
    (build / MARKER).write_text(want)
    os.chmod(build, 0o755)
    if shared.exists():
        old = shared.with_name(f".{SHARED}-old-{os.getpid()}")
        shared.rename(old)
        build.rename(shared)
        shutil.rmtree(old, ignore_errors=True)
    else:
        try:
            build.rename(shared)
        except OSError:  # another run made it first: the same files
            shutil.rmtree(build, ignore_errors=True)
