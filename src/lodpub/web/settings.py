"""Every knob of `lodpub serve`: one default each; from a flag, an `LODPUB_*` variable or TOML.

Precedence is flag > environment > config file > default. The config file is named by `--config`
or `LODPUB_CONFIG`; its top-level keys are the field names below (tables such as `[ingest]`
belong to other commands and are ignored here).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lodpub.uris import DEFAULT_BASE

ENV_PREFIX = "LODPUB_"
CONFIG_ENV = "LODPUB_CONFIG"


class SettingsError(ValueError):
    """A setting has a value lodpub cannot use; the message names where it came from."""


def _knob(default: Any, help: str, **limits: Any) -> Any:
    return field(default=default, metadata={"help": help, **limits})


@dataclass(frozen=True)
class Settings:
    """The serving configuration. Build it with `Settings.resolve`, or directly in tests."""

    store: str = _knob(
        "data/store",
        "Store root: a folder of published generations (`LIVE` pointer) or an Oxigraph store.",
    )
    host: str = _knob("127.0.0.1", "Interface to listen on.")
    port: int = _knob(8080, "TCP port to listen on.", minimum=1, maximum=65535)
    base_uri: str = _knob(
        DEFAULT_BASE,
        "Base URI of the dataset; relative IRIs in queries resolve against `{base_uri}/sparql`.",
    )
    threads: int = _knob(
        16, "Threads running the app for requests not answered from the page cache.", minimum=1
    )
    query_timeout: float = _knob(
        30.0, "Seconds a query may run before it is stopped and the client gets 503.", minimum=0.001
    )
    max_rows: int = _knob(
        10_000,
        "Most result rows (or triples) returned; more is announced by `X-LODPUB-Truncated: true`.",
        minimum=1,
    )
    max_body: int = _knob(
        1_048_576,
        "Largest request body (and GET query string) in bytes; larger gets 413 (414 for GET).",
        minimum=1,
    )
    service_allowlist: tuple[str, ...] = _knob(
        (),
        "Endpoints a query may call with SERVICE (absolute IRIs; comma-separated in the "
        "environment). Empty: SERVICE is refused. Even when listed, an endpoint whose host "
        "resolves to a loopback, private, link-local or otherwise non-public address is refused.",
    )
    service_private_hosts: tuple[str, ...] = _knob(
        (),
        "Host names (as written in allowlisted endpoints) that may resolve to non-public "
        "addresses, e.g. `127.0.0.1` for a test or a federation inside one private network. "
        "Empty in production.",
    )
    query_workers: int = _knob(
        2,
        "SPARQL queries evaluated at once, each in its own worker process (killed at the time "
        "limit).",
        minimum=1,
    )
    query_queue: int = _knob(
        8,
        "SPARQL queries that may wait while `query_workers` of them run; beyond that a query "
        "gets 503 with Retry-After at once. Keep `query_workers + query_queue` below `threads` "
        "so that pages are still served.",
        minimum=0,
    )
    query_memory_mb: int = _knob(
        1024,
        "Memory (MiB, data segment) of each SPARQL worker process; a query needing more is "
        "stopped with 503.",
        minimum=64,
    )
    cors_origin: str = _knob("*", "Value of `Access-Control-Allow-Origin`; empty disables CORS.")
    proxy_hops: int = _knob(
        0,
        "Reverse proxies in front of the server whose `X-Forwarded-For/-Proto/-Host/-Port/-Prefix` "
        "headers are trusted; 0 ignores those headers.",
        minimum=0,
    )
    page_size: int = _knob(
        1000,
        "Incoming links per page of a resource's description (HTML and RDF); more are paged.",
        minimum=1,
    )
    page_cache_mb: int = _knob(
        64, "Megabytes of rendered pages and data documents kept in memory; 0 disables.", minimum=0
    )
    dumps_dir: str = _knob(
        "",
        "Folder for the dumps (one subfolder per store version); empty: `dumps` inside a "
        "store root of generations, else `<store>.dumps` beside the store.",
    )
    index_dir: str = _knob(
        "",
        "Folder for the full-text index of `/search` (one SQLite file per store version); "
        "empty: `search` inside a store root of generations (where `lodpub ingest` writes it "
        "when it publishes), else `<store>.search` beside the store (for a remote store, a "
        "folder in the system's temporary directory). Where no publisher wrote it, the first "
        "search of a version writes it.",
    )
    dataset_title: str = _knob("lodpub dataset", "Title of the dataset on pages and in VoID.")
    dataset_license: str = _knob(
        "https://creativecommons.org/licenses/by/4.0/",
        "Licence (IRI) of the published graph, stated in VoID/DCAT; each document's own rights "
        "statement is published with it.",
    )

    @classmethod
    def resolve(
        cls,
        flags: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        config: str | Path | None = None,
    ) -> Settings:
        """Settings from flags (None = not given), environment and config file, in that order."""
        flags = {k: v for k, v in (flags or {}).items() if v is not None}
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        config = config or env.get(CONFIG_ENV)
        if config:
            values.update(_from_config(Path(config)))
        for f in fields(cls):
            name = env_name(f.name)
            if env.get(name, "") != "":
                values[f.name] = _convert(f.name, env[name], name)
        for key, value in flags.items():
            if key not in _FIELD_NAMES:
                raise SettingsError(f"unknown setting {key!r}")
            values[key] = _convert(key, value, "--" + key.replace("_", "-"))
        return cls(**values)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
            if low is not None and value < low:
                raise SettingsError(f"{f.name}: must be at least {low}, got {value}")
            if high is not None and value > high:
                raise SettingsError(f"{f.name}: must be at most {high}, got {value}")
        if not _is_absolute_http(self.base_uri):
            raise SettingsError(f"base_uri: not an absolute http(s) URI: {self.base_uri!r}")
        for endpoint in self.service_allowlist:
            if not _is_absolute_http(endpoint):
                raise SettingsError(f"service_allowlist: not an absolute http(s) IRI: {endpoint!r}")
        object.__setattr__(self, "base_uri", self.base_uri.rstrip("/"))


_FIELD_NAMES = {f.name for f in fields(Settings)}
_TYPES = {f.name: f.type for f in fields(Settings)}


def env_name(setting: str) -> str:
    return ENV_PREFIX + setting.upper()


def _is_absolute_http(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _from_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"config file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path}: {exc}") from exc
    values = {}
    for key, value in data.items():
        if isinstance(value, dict):
            continue
        if key not in _FIELD_NAMES:
            raise SettingsError(f"config file {path}: unknown setting {key!r}")
        values[key] = _convert(key, value, f"{path}: {key}")
    return values


def _convert(name: str, value: Any, source: str) -> Any:
    """The value as the setting's type; strings (environment) are parsed, other values checked."""
    kind = _TYPES[name]
    try:
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError("expected an integer")
            return _parsed(int, value, "expected an integer")
        if kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError("expected a number")
            return _parsed(float, value, "expected a number")
        if kind == "tuple[str, ...]":
            items = value.replace(",", " ").split() if isinstance(value, str) else value
            if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
                raise ValueError("expected a list of strings")
            return tuple(items)
        if not isinstance(value, str):
            raise ValueError("expected a string")
        return value
    except ValueError as exc:
        raise SettingsError(f"{source}: {exc}, got {value!r}") from exc


def _parsed(kind: type, value: Any, expectation: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ValueError(expectation) from None


def settings_table() -> str:
    """The Markdown table of every setting, as printed in docs/sparql.md."""
    rows = [
        "| setting | flag | environment | default | meaning |",
        "|---|---|---|---|---|",
    ]
    for f in fields(Settings):
        shown = "(empty)" if isinstance(f.default, tuple) else str(f.default)
        flag = "--" + f.name.replace("_", "-")
        if f.type == "tuple[str, ...]":
            flag = f"{flag} (repeatable)"
        rows.append(
            f"| `{f.name}` | `{flag}` | `{env_name(f.name)}` | `{shown}` | {f.metadata['help']} |"
        )
    return "\n".join(rows)
