"""flows/serve.py: options and the deployment's parameters, without a Prefect server.

Starting a real Prefect server takes 20-30 s on these machines and a cron schedule fires at
most once a minute, so the end-to-end check (a scheduled run happening) is done by hand; see
docs/scheduling.md. These tests cover the parts that decide whether that works: parameters
baked into the deployment, the options checked before a server starts (the server's start
and stop: tests/flows/test_server.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import serve


def test_defaults_and_parameters_are_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = serve.parse_args(["--input", "raw", "--output", "out/x"])
    assert (args.cron, args.name, args.port, args.no_server) == (
        "0 * * * *",
        "scheduled",
        4200,
        False,
    )
    params = serve.deployment_parameters(args)
    assert params == {
        "input_dir": str(tmp_path / "raw"),
        "output_dir": str(tmp_path / "out" / "x"),
        "workers": 2,
    }


def test_an_object_store_output_is_baked_in_as_its_url(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = serve.parse_args(["--input", "raw", "--output", "s3://bucket/clean/news"])
    assert serve.deployment_parameters(args)["output_dir"] == "s3://bucket/clean/news"


def test_an_s3_input_is_baked_in_as_its_uri(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = serve.parse_args(["--input", "s3://raw-pages/2026/", "--output", "out"])
    params = serve.deployment_parameters(args)
    assert params["input_dir"] == "s3://raw-pages/2026"
    assert params["output_dir"] == str(tmp_path / "out")


def test_options_override(tmp_path: Path) -> None:
    args = serve.parse_args(
        ["--input", str(tmp_path), "--output", str(tmp_path / "o"), "--cron", "*/5 * * * *",
         "--name", "five", "--no-server", "--workers", "3"]
    )  # fmt: skip
    assert (args.cron, args.name, args.no_server, args.workers) == ("*/5 * * * *", "five", True, 3)


def test_main_exits_1_with_a_message(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    args = ["--input", str(tmp_path), "--output", str(tmp_path / "out"), "--no-server"]
    assert serve.main(args) == 1
    assert "--no-server needs PREFECT_API_URL" in capsys.readouterr().err


@pytest.mark.parametrize("spec", ["flows.clean_articles", "flows.clean_articles:"])
def test_flow_spec_needs_an_attribute(spec: str) -> None:
    with pytest.raises(serve.ServeError, match="module:attribute"):
        serve.load_flow(spec)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--workers", "0"], "workers=0 is out of range"),
        (["--input", "{tmp}/missing"], "input folder '{tmp}/missing' does not exist"),
        (["--output", "{tmp}/in"], "output folder '{tmp}/in' is the input folder"),
        (["--output", "/proc/newsclean-out"], "'/proc/newsclean-out' is not writable"),
    ],
)
def test_main_checks_the_run_options_before_starting_a_server(
    tmp_path: Path, monkeypatch, capsys, options: list[str], message: str
) -> None:
    def no_server(*args: object) -> None:
        raise AssertionError("a server was started")

    monkeypatch.setattr(serve, "local_prefect_server", no_server)
    (tmp_path / "in").mkdir()
    base = {"--input": str(tmp_path / "in"), "--output": str(tmp_path / "out")}
    given = dict(zip(options[::2], [o.format(tmp=tmp_path) for o in options[1::2]], strict=True))
    argv = [part for item in {**base, **given}.items() for part in item]
    assert serve.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(tmp=tmp_path) in err, err
    assert not (tmp_path / "out").exists()
