"""The README's data dictionary matches the Arrow schemas, and it shows the set-up commands."""

from pathlib import Path

from scripts.render_data_dictionary import README, render
from transforms.schema import TABLE_SCHEMAS


def test_data_dictionary_matches_schema():
    text = README.read_text()
    assert render(text) == text, "run: .venv/bin/python scripts/render_data_dictionary.py"
    for name, schema in TABLE_SCHEMAS.items():
        for field in schema:
            assert f"| `{field.name}` | `{field.type}` |" in text, (name, field.name)


def test_readme_starts_with_the_two_setup_commands():
    head = README.read_text().split("\n## ", 2)[1]
    assert "make run" in head and "make test" in head


def test_makefile_targets_named_in_readme_exist():
    makefile = (Path(README).parent / "Makefile").read_text()
    for target in ("run", "test", "lint", "bench", "eval", "eval-dedup", "serve"):
        assert f"\n{target}:" in makefile


def test_jsonl_fields_in_readme_match_the_reader():
    from transforms import jsonl_reader as j

    block = README.read_text().split("<!-- jsonl-fields -->")[1].split("<!-- /jsonl-fields -->")[0]
    for name in (*j.URL_FIELDS, *j.HTML_FIELDS, *j.TEXT_FIELDS, *j.TIME_FIELDS):
        assert f"`{name}`" in block, name
