"""Settings of `lodpub serve`: one default each; flag > environment > config file > default."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from lodpub.web.cli import serve
from lodpub.web.settings import Settings, SettingsError, env_name, settings_table

DOCS = Path(__file__).parents[1] / "docs" / "sparql.md"


def test_defaults_without_any_source():
    settings = Settings.resolve({}, env={})
    assert settings == Settings()
    assert (settings.port, settings.query_timeout, settings.max_rows) == (8080, 30.0, 10_000)


def test_flag_beats_environment_beats_file_beats_default(tmp_path):
    config = tmp_path / "lodpub.toml"
    config.write_text('port = 9001\nmax_rows = 5\nquery_timeout = 7\nhost = "0.0.0.0"\n')
    env = {"LODPUB_PORT": "9002", "LODPUB_MAX_ROWS": "6", "LODPUB_CONFIG": str(config)}
    settings = Settings.resolve({"port": 9003}, env=env)
    assert settings.port == 9003  # flag
    assert settings.max_rows == 6  # environment
    assert settings.query_timeout == 7.0  # file
    assert settings.host == "0.0.0.0"  # file
    assert settings.threads == 16  # default


def test_config_flag_beats_config_variable(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text("port = 1111\n")
    second.write_text("port = 2222\n")
    settings = Settings.resolve({}, env={"LODPUB_CONFIG": str(first)}, config=second)
    assert settings.port == 2222


def test_environment_values_are_parsed_by_type():
    env = {
        "LODPUB_SERVICE_ALLOWLIST": "https://query.wikidata.org/sparql, https://dbpedia.org/sparql",
        "LODPUB_PAGE_CACHE_MB": "0",
        "LODPUB_QUERY_TIMEOUT": "2.5",
    }
    settings = Settings.resolve({}, env=env)
    assert settings.service_allowlist == (
        "https://query.wikidata.org/sparql",
        "https://dbpedia.org/sparql",
    )
    assert settings.page_cache_mb == 0
    assert settings.query_timeout == 2.5


def test_other_commands_tables_in_the_config_file_are_ignored(tmp_path):
    config = tmp_path / "lodpub.toml"
    config.write_text('store = "elsewhere"\n[ingest]\nseeds = "x"\n')
    assert Settings.resolve({}, env={}, config=config).store == "elsewhere"


@pytest.mark.parametrize(
    ("flags", "env", "config", "message"),
    [
        ({}, {"LODPUB_PORT": "eighty"}, None, "LODPUB_PORT: expected an integer, got 'eighty'"),
        ({"port": 0}, {}, None, "port: must be at least 1"),
        ({"max_rows": 0}, {}, None, "max_rows: must be at least 1"),
        ({}, {"LODPUB_QUERY_TIMEOUT": "soon"}, None, "expected a number, got 'soon'"),
        ({"base_uri": "example.org"}, {}, None, "base_uri: not an absolute http(s) URI"),
        ({"service_allowlist": ("ftp://x",)}, {}, None, "service_allowlist: not an absolute"),
        ({}, {}, "port = 'x'\n", "expected an integer"),
        ({}, {}, "colour = 'red'\n", "unknown setting 'colour'"),
        ({}, {}, "port = \n", "lodpub.toml"),
    ],
)
def test_bad_values_are_refused_naming_their_source(tmp_path, flags, env, config, message):
    path = None
    if config is not None:
        path = tmp_path / "lodpub.toml"
        path.write_text(config)
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.resolve(flags, env=env, config=path)


def test_a_missing_config_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="nowhere.toml"):
        Settings.resolve({}, env={}, config=tmp_path / "nowhere.toml")


def test_every_setting_has_a_flag_and_is_documented():
    """docs/sparql.md carries the table generated from the code, so it cannot drift."""
    options = {option.name for option in serve.params}
    documented = DOCS.read_text(encoding="utf-8")
    assert settings_table() in documented
    for f in fields(Settings):
        assert f.name in options
        assert env_name(f.name) in documented


def test_serve_refuses_a_bad_flag_and_a_missing_store(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(serve, ["--port", "0", "--store", str(tmp_path)])
    assert bad.exit_code == 2
    assert "port: must be at least 1" in bad.output
    missing = runner.invoke(serve, ["--store", str(tmp_path / "none")], env={"LODPUB_CONFIG": ""})
    assert missing.exit_code == 1
    assert "no published store here" in missing.output
    assert "lodpub ingest" in missing.output
