"""The command line: subcommands in the usage line, per-source options, exit 2 on bad arguments."""

from __future__ import annotations

import pytest

from extract.run import main


def exit_code(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return exc.value.code


def test_usage_names_the_subcommands(capsys):
    assert exit_code(["--help"]) == 0
    out = capsys.readouterr().out
    assert "python -m extract.run list" in out and "python -m extract.run import SOURCE" in out
    assert "--areas" in out and "[jma, tso]" in out  # a source option says who takes it


def test_list_takes_source_names(capsys):
    assert main(["list", "jepx"]) == 0
    out = capsys.readouterr().out
    assert "raw_jepx.spot_summary" in out and "raw_tso" not in out
    assert main(["list", "nosuch"]) == 2
    assert "unknown source" in capsys.readouterr().err


@pytest.mark.parametrize("areas", ["99", "03,xx", ","])
def test_an_unknown_area_code_exits_2(areas, capsys, tmp_path):
    assert exit_code(["tso", "--offline", "--areas", areas, "--data-dir", str(tmp_path)]) == 2
    assert "unknown area code" in capsys.readouterr().err


def test_an_option_no_selected_source_takes_exits_2(capsys, tmp_path):
    assert exit_code(["jepx", "--areas", "03", "--data-dir", str(tmp_path)]) == 2
    assert "--areas applies to" in capsys.readouterr().err


def test_unknown_dataset_and_bad_dates_exit_2(capsys, tmp_path):
    assert exit_code(["jepx", "--datasets", "nope", "--data-dir", str(tmp_path)]) == 2
    assert exit_code(["jepx", "--start", "2024-05-01", "--end", "2024-04-01"]) == 2
    assert exit_code(["jepx", "--start", "yesterday"]) == 2


def test_options_come_from_the_environment_with_dlt_naming(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SOURCES__JMA__INTERFACE", "carrier-pigeon")
    assert exit_code(["jma", "--offline", "--data-dir", str(tmp_path)]) == 2
    assert "SOURCES__JMA__INTERFACE" in capsys.readouterr().err


def test_import_of_an_unknown_source_exits_2(capsys, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a\n")
    assert main(["import", "nosuch", str(f)]) == 2
