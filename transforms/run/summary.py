"""What a run tells people, from its manifest: the summary the Prefect UI shows (markdown) and
the one the command line prints when the run ends. Text only: the flow publishes and prints it
(`flows/report.py`)."""

from __future__ import annotations

from transforms.core.schema import TABLE_SCHEMAS

TABLES = tuple(TABLE_SCHEMAS)


def _counts(title: str, header: str, counts: dict | None, empty: str) -> list[str]:
    """A markdown table of `counts` (most first), or one line saying there are none."""
    if not counts:
        return ["", f"**{title}:** {empty}"]
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ["", f"**{title}**", "", f"| {header} | rows |", "|---|---|"] + [
        f"| `{key}` | {n} |" for key, n in rows
    ]


def summary_markdown(manifest: dict) -> str:
    """The run's summary for the Prefect UI: counts, why documents were quarantined, the
    quality flags (and page types, when the run records them), and where the data is."""
    acc = manifest["accounting"]
    output = str(manifest["output_dir"]).rstrip("/")
    lines = [
        f"# Run `{manifest['run_id']}`: {manifest['status']}",
        "",
        "| documents in | articles | pages | duplicates | quarantined | balanced |",
        "|---|---|---|---|---|---|",
        f"| {acc['documents_in']} | {acc['articles']} | {acc.get('pages', 0)} "
        f"| {acc['duplicates']} "
        f"| {acc['quarantined']} | {acc['balanced']} |",
        "",
        f"Outcome: {manifest['outcome']}",
    ]
    lines += _counts(
        "Quarantine reasons", "stage:reason", manifest.get("quarantine_reasons"), "none"
    )
    lines += _counts(
        "Quality flags on published articles", "flag", manifest.get("quality_flags"), "none"
    )
    if manifest.get("page_types"):
        lines += _counts("Page types", "page type", manifest["page_types"], "none")
    lines += ["", "**Where the data is**", "", "| table | location |", "|---|---|"]
    lines += [f"| {name} | `{output}/{name}/` |" for name in TABLES]
    lines.append(f"| run manifest | `{output}/runs/{manifest['run_id']}.json` |")
    if manifest.get("data_docs"):
        docs = manifest["data_docs"]
        docs = docs if "://" in docs else f"file://{docs}"
        lines.append(f"| validation report | {docs} |")
    lines += [
        "",
        "Read the committed rows: `import newsclean; "
        f'newsclean.read_pandas("{output}", "articles")` '
        "(or `read_polars`, `read`, `duckdb_views`).",
    ]
    if manifest["table_failures"]:
        lines.append(f"\n**Table-level failures:** {', '.join(manifest['table_failures'])}")
    return "\n".join(lines)


def summary_text(manifest: dict, output: str) -> str:
    """The closing summary `make run` prints: the counts per stage and where the output is."""
    acc = manifest["accounting"]
    inputs = manifest["inputs"]
    out = [
        "",
        f"run {manifest['run_id']} {manifest['status']} in "
        f"{manifest['timings']['wall_seconds']['total']:.1f} s",
        f"  inputs: {inputs['files_processed']} files processed, "
        f"{inputs['files_skipped_already_processed']} already processed, "
        f"{inputs['files_ignored_unsupported']} ignored, "
        f"{inputs.get('files_skipped_known_unreadable', 0)} known unreadable",
        f"  documents in: {acc['documents_in']} -> articles {acc['articles']}, "
        f"pages {acc.get('pages', 0)}, "
        f"duplicates {acc['duplicates']}, quarantined {acc['quarantined']} "
        f"({'balanced' if acc['balanced'] else 'NOT BALANCED'}); "
        f"{acc.get('already_published', 0)} read again, already published",
    ]
    out.append(f"  outcome: {manifest['outcome']}")
    for key, n in manifest["quarantine_reasons"].items():
        out.append(f"    quarantine {key}: {n}")
    for flag, n in (manifest.get("quality_flags") or {}).items():
        out.append(f"    published with quality flag {flag}: {n}")
    merged = (manifest.get("stories") or {}).get("stories_merged", 0)
    if merged:
        out.append(f"  stories: {merged} published earlier merged into another (story_links/)")
    if manifest["changes"]:
        out.append("  repairs: " + ", ".join(f"{k} {v}" for k, v in manifest["changes"].items()))
    if manifest.get("page_types"):
        out.append(
            "  page types: " + ", ".join(f"{k} {v}" for k, v in manifest["page_types"].items())
        )
    for name in ("articles", "pages", "duplicates", "quarantine", "story_links", "runs"):
        out.append(f"  {name + '/':<12} {output.rstrip('/')}/{name}")
    if manifest.get("data_docs"):
        out.append(f"  validation report: {manifest['data_docs']}")
    return "\n".join(out)
