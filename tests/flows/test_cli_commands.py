"""The one command line: `newsclean <command>` dispatches to each command's `main(argv)`."""

from __future__ import annotations

import pytest

from flows import cli


def test_help_lists_the_commands_whose_module_exists(capsys, monkeypatch):
    monkeypatch.setitem(cli.COMMANDS, "nothing", ("flows.no_such_module", "not here"))
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("run", "serve", "server", "doctor"):
        assert f"  {command} " in out
    assert "nothing" not in out


@pytest.mark.parametrize(("argv", "said"), [([], "no command given"), (["clean"], "'clean'")])
def test_no_or_an_unknown_command_exits_2_naming_it(argv, said, capsys):
    assert cli.main(argv) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: ") and said in err and "commands:" in err


def test_a_command_gets_the_rest_of_the_line(monkeypatch):
    import flows.doctor

    seen = []
    monkeypatch.setattr(flows.doctor, "main", lambda argv: seen.append(argv) or 7)
    assert cli.main(["doctor", "--output", "out/x"]) == 7
    assert seen == [["--output", "out/x"]]


def test_run_options_are_checked_before_anything_starts(tmp_path, capsys):
    assert cli.main(["run", "--input", str(tmp_path / "missing")]) == cli.EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["run", "doctor", "compact"])
@pytest.mark.parametrize(
    ("setting", "said"),
    [("clean.min_words", "expected KEY=VALUE"), ("clean.no_such=1", "clean.no_such")],
)
def test_a_bad_set_is_one_line_and_exit_2_for_every_command(
    tmp_path, capsys, command, setting, said
):
    argv = [command, "--output", str(tmp_path / "out"), "--set", setting]
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse's error exit (doctor, compact)
        code = exc.code
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert said in err[-1] and "Traceback" not in "\n".join(err)
    assert not (tmp_path / "out").exists()
