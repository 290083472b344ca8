"""The settings file (.dlt/config.toml): env > file > default for source options and [pmd]
settings, each with its origin; `extract.run config` shows them."""

from __future__ import annotations

import json

import pytest

from extract.core.config import (
    OptionError,
    data_dir,
    http_settings,
    resolve_options_with_origins,
)
from extract.core.http import HttpClient
from extract.run import main
from extract.sources.jma.settings import JmaOptions
from extract.sources.tso.settings import TsoOptions


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with its own .dlt/config.toml (DLT_PROJECT_DIR, dlt's variable)."""
    (tmp_path / ".dlt").mkdir()
    monkeypatch.setenv("DLT_PROJECT_DIR", str(tmp_path))
    for var in ("PMD_DATA_DIR", "SOURCES__TSO__AREAS", "SOURCES__JMA__INTERFACE",
                "PMD__CONTACT_EMAIL", "PMD__REQUEST_DELAY_S"):
        monkeypatch.delenv(var, raising=False)

    def write(text: str):
        (tmp_path / ".dlt" / "config.toml").write_text(text, encoding="utf-8")
        return tmp_path

    return write


def test_file_sits_between_environment_and_defaults(project, monkeypatch):
    project('[sources.tso]\nareas = ["3", "09"]\n[sources.jma]\ninterface = "etrn"\n')
    opts, origins = resolve_options_with_origins("tso", TsoOptions)
    assert opts.areas == ("03", "09")  # the source's own parser normalised the file's list
    assert origins["areas"].endswith(".dlt/config.toml [sources.tso] areas")
    monkeypatch.setenv("SOURCES__JMA__INTERFACE", "obsdl")
    opts, origins = resolve_options_with_origins("jma", JmaOptions)
    assert opts.interface == "obsdl" and origins["interface"] == "env SOURCES__JMA__INTERFACE"
    assert origins["areas"] == "default"
    opts, origins = resolve_options_with_origins("jma", JmaOptions, {"interface": "etrn"})
    assert origins["interface"] == "--jma-interface"


def test_a_bad_file_value_names_the_file_and_key(project, capsys):
    project('[sources.tso]\nareas = ["99"]\n')
    with pytest.raises(OptionError, match=r"config.toml \[sources.tso\] areas"):
        resolve_options_with_origins("tso", TsoOptions)
    with pytest.raises(SystemExit) as exc:
        main(["tso", "--offline"])
    assert exc.value.code == 2 and "unknown area code" in capsys.readouterr().err


def test_pmd_section_data_dir_user_agent_delay(project, monkeypatch):
    root = project('[pmd]\ndata_dir = "store"\ncontact_email = "ops@example.org"\n'
                   'request_delay_s = 2.5\n')
    assert data_dir() == (root / "store").resolve()  # relative to the project, not the cwd
    monkeypatch.setenv("PMD_DATA_DIR", str(root / "elsewhere"))
    assert data_dir() == (root / "elsewhere").resolve()
    assert data_dir(str(root / "flag")) == (root / "flag").resolve()
    client = HttpClient()
    assert client.per_host_delay == 2.5
    assert "contact: ops@example.org" in client.session("x").headers["User-Agent"]
    monkeypatch.setenv("PMD__REQUEST_DELAY_S", "0.5")
    assert http_settings()["request_delay_s"].value == 0.5
    assert HttpClient(per_host_delay=0.0).per_host_delay == 0.0  # explicit wins


def test_config_command_prints_values_and_origins(project, monkeypatch, capsys):
    project('[pmd]\ncontact_email = "ops@example.org"\nbogus = 1\n'
            '[sources.tso]\nareas = "03"\ncolour = "red"\n')
    monkeypatch.setenv("SOURCES__JMA__INTERFACE", "etrn")
    assert main(["config", "--json"]) == 0
    eff = json.loads(capsys.readouterr().out)
    assert eff["pmd"]["contact_email"][1].endswith("[pmd] contact_email")
    assert eff["pmd"]["request_delay_s"][:2] == [1.0, "default"]
    assert eff["sources"]["tso"]["areas"][:2] == ["03", eff["sources"]["tso"]["areas"][1]]
    assert eff["sources"]["tso"]["areas"][1].endswith("[sources.tso] areas")
    assert eff["sources"]["jma"]["interface"][:2] == ["etrn", "env SOURCES__JMA__INTERFACE"]
    assert any("[pmd] bogus" in w for w in eff["warnings"])
    assert any("[sources.tso] colour" in w for w in eff["warnings"])
    assert main(["config"]) == 0
    text = capsys.readouterr().out
    assert "env SOURCES__JMA__INTERFACE" in text and "[sources.tso] areas" in text


def test_broken_toml_exits_2(project, capsys):
    project("[pmd\n")
    assert main(["config"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_committed_settings_change_nothing(monkeypatch):
    """The repository's .dlt/config.toml documents every setting but sets none."""
    from extract.core.config import REPO_ROOT, load_settings

    doc, _ = load_settings(REPO_ROOT / ".dlt" / "config.toml")
    assert doc.get("pmd", {}) == {} and all(not v for v in doc.get("sources", {}).values())
    assert (REPO_ROOT / ".dlt" / "secrets.toml.example").exists()
    assert not (REPO_ROOT / ".dlt" / "secrets.toml").exists() or ".dlt/secrets.toml" in (
        REPO_ROOT / ".gitignore").read_text()
