"""What a run tells people: Prefect artifacts and the closing summary on the terminal."""

from __future__ import annotations

from transforms.run.manifest import stage_rows


def publish_artifacts(manifest: dict) -> None:
    """A table artifact of counts per stage and a markdown summary with links."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_table_artifact(
        table=stage_rows(manifest),
        key="clean-articles-stages",
        description=f"Run {manifest['run_id']}: documents dropped and CPU seconds per stage",
    )
    acc = manifest["accounting"]
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
        "",
        f"Output: `{manifest['output_dir']}`",
    ]
    types = manifest.get("page_types") or {}
    if types:
        lines += ["", "| page type | published rows |", "|---|---|"]
        lines += [f"| `{t}` | {n} |" for t, n in types.items()]
    flags = manifest.get("quality_flags") or {}
    if flags:
        lines += ["", "| quality flag | published articles |", "|---|---|"]
        lines += [f"| `{flag}` | {n} |" for flag, n in flags.items()]
    if manifest.get("data_docs"):
        docs = manifest["data_docs"]
        docs = docs if "://" in docs else f"file://{docs}"
        lines.append(f"\nValidation report (Data Docs): {docs}")
    if manifest["table_failures"]:
        lines.append(f"\n**Table-level failures:** {', '.join(manifest['table_failures'])}")
    create_markdown_artifact(markdown="\n".join(lines), key="clean-articles-summary")


def print_summary(manifest: dict, output: str) -> None:
    """Where the output is and the counts per stage, for `make run`."""
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
    print("\n".join(out), flush=True)
