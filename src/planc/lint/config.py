"""Lint configuration: `[tool.planc]` in pyproject.toml, or a planc.toml.

The nearest configuration wins: from the plan's folder up to the root, the
first `planc.toml`, or `pyproject.toml` that has a `[tool.planc]` table
(one without it is skipped). Configurations do not merge. In planc.toml the
keys sit at the top level; in pyproject.toml under `[tool.planc]`:

    disable = ["W106", "flat-time-split"]   # codes or names; "all" for every rule
    enable = ["W101"]                       # wins over `disable`
    history-tables = ["history", "last_year"]

    [severity]                              # [tool.planc.severity]
    W102 = "error"                          # error | warning | off

    [rules.high-growth]                     # [tool.planc.rules.high-growth] (or .W102)
    max-growth = "40%"

Errors cannot be disabled or downgraded; only warnings are configurable.
A broken configuration is reported as `E090` at the file and the plan is
checked with the defaults (`planc check` then exits 2, as for a usage error).
"""

from __future__ import annotations

import math
import os
import re
from fractions import Fraction
from pathlib import Path
from typing import Callable, NoReturn

import attrs

from planc.diagnostics import Diagnostic, error
from planc.semantics.loader import read_text
from planc.source import Source, Span

Fail = Callable[[str], NoReturn]  # raises ConfigError for the file being read

CONFIG_ERROR = "E090"
SEVERITIES = ("error", "warning", "off")
MAX_CONFIG_BYTES = 1024 * 1024  # a configuration bigger than this is a mistake
_TOP_KEYS = {"disable", "enable", "severity", "rules", "history-tables", "allow-outside", "review"}
REVIEW_KEYS = ("ahead", "on-track", "at-risk")  # `planc track` status thresholds (docs/review.md)


class ConfigError(Exception):
    def __init__(self, path: str, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.path, self.message, self.span = path, message, span

    def diagnostic(self) -> Diagnostic:
        return error(CONFIG_ERROR, f"invalid planc configuration: {self.message}", self.span, path=self.path,
                     help="see docs/rules.md, section Configuration")


@attrs.frozen
class Config:
    path: str | None = None
    disabled: frozenset = frozenset()  # codes, or "all"
    enabled_codes: frozenset = frozenset()
    severities: dict = attrs.Factory(dict)  # code -> error | warning | off
    options: dict = attrs.Factory(dict)  # code -> {option: value}
    global_options: dict = attrs.Factory(dict)
    # Folders beyond the project root that imports and data may read (absolute).
    allow_outside: tuple[str, ...] = ()
    review: dict = attrs.Factory(dict)  # [review]: status threshold -> pace (a Fraction)

    def allows(self, code: str) -> bool:
        if code in self.enabled_codes:
            return self.severities.get(code) != "off"
        if code in self.disabled or ("all" in self.disabled and code.startswith("W")):
            return False
        return self.severities.get(code) != "off"

    def enabled(self, rule) -> bool:
        return self.allows(rule.code)

    def severity(self, code: str, default: str) -> str:
        chosen = self.severities.get(code)
        return chosen if chosen in ("error", "warning") else default

    def options_for(self, rule) -> dict:
        from planc.lint.rules import defaults

        out = defaults(rule)
        out.update(self.global_options)
        out.update(self.options.get(rule.code, {}))
        return out


DEFAULT = Config()


# ---- finding a configuration -----------------------------------------------------------

_CACHE: dict[Path, Config] = {}


def forget() -> None:
    """Drop the cached configurations (the language server, when a planc.toml or pyproject.toml changes)."""
    _CACHE.clear()


def discover(plan: Path | None) -> Config:
    """The configuration that applies to the plan file `plan` (cached per folder).
    Raises ConfigError for a broken file."""
    if plan is None:
        return DEFAULT
    try:
        folder = plan.resolve().parent
    except OSError:
        return DEFAULT
    if folder in _CACHE:
        return _CACHE[folder]
    config = DEFAULT
    for d in (folder, *folder.parents):
        found = _config_in(d)
        if found is not None:
            config = found
            break
    _CACHE[folder] = config
    return config


def _config_in(folder: Path) -> Config | None:
    planc_toml = folder / "planc.toml"
    if planc_toml.is_file():
        return load(planc_toml)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        text, _why = read_text(pyproject, MAX_CONFIG_BYTES)
        if text is None:
            return None
        if "tool.planc" in text or re.search(r"^\s*\[\s*tool\s*\.\s*planc", text, re.M):
            return load(pyproject, text)
    return None


def _shown(path: Path) -> str:
    """Relative to the working directory when below it, like the plans on the command line."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load(path: Path, text: str | None = None) -> Config:
    """Read one configuration file (planc.toml, or pyproject.toml's [tool.planc])."""
    import tomllib

    shown = _shown(path)
    if text is None:
        text, why = read_text(path, MAX_CONFIG_BYTES)
        if text is None:
            raise ConfigError(shown, f"cannot read it: {why}")
    try:
        data = tomllib.loads(text)
    except RecursionError:  # arrays or tables nested thousands deep
        raise ConfigError(shown, "not valid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        span = None
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        if where:
            source = Source(shown, text)
            line, col = int(where.group(1)), int(where.group(2))
            if line <= source.line_count:
                offset = source._line_starts[line - 1] + col - 1
                span = Span(source, offset, min(offset + 1, len(text)))
        raise ConfigError(shown, f"not valid TOML: {exc}", span) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        ours = tool.get("planc") if isinstance(tool, dict) else None
        if ours is None:
            return DEFAULT
        data = ours
    return parse(data, shown, path.resolve().parent)


def parse(data: dict, path: str = "<config>", folder: Path | None = None) -> Config:
    from planc.lint.rules import GLOBAL_OPTIONS, lookup

    def fail(message: str) -> NoReturn:
        raise ConfigError(path, message)

    if not isinstance(data, dict):
        fail("expected a table")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        fail(f"unknown key `{sorted(unknown)[0]}` (known: {', '.join(sorted(_TOP_KEYS))})")

    def code_of(name: object, where: str, allow_all: bool = False) -> str:
        if not isinstance(name, str):
            fail(f"`{where}` takes rule codes or names, got {name!r}")
        if allow_all and name.lower() == "all":
            return "all"
        rule = lookup(name)
        if rule is None:
            fail(f"`{where}`: unknown rule `{name}`")
        return rule.code

    def codes(key: str) -> frozenset:
        value = data.get(key, [])
        if not isinstance(value, list):
            fail(f"`{key}` must be a list of rule codes or names")
        return frozenset(code_of(v, key, allow_all=True) for v in value)

    severities = {}
    table = data.get("severity", {})
    if not isinstance(table, dict):
        fail("`severity` must be a table, e.g. `W102 = \"error\"`")
    for name, level in table.items():
        if level not in SEVERITIES:
            fail(f"severity of `{name}` must be one of {', '.join(SEVERITIES)}, got {level!r}")
        severities[code_of(name, "severity")] = level

    options: dict = {}
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        fail("`rules` must be a table of tables, e.g. `[rules.high-growth]`")
    for name, values in rules.items():
        code = code_of(name, "rules")
        rule = lookup(code)
        assert rule is not None  # code_of found it
        if not isinstance(values, dict):
            fail(f"`rules.{name}` must be a table of options")
        for key, raw in values.items():
            if key not in rule.options:
                known = ", ".join(rule.options) or "none"
                fail(f"rule {code} ({rule.name}) has no option `{key}` (options: {known})")
            options.setdefault(code, {})[key] = _value(raw, rule.options[key][1], f"rules.{name}.{key}", fail)

    global_options = {}
    for key, (_default, kind) in GLOBAL_OPTIONS.items():
        if key in data:
            global_options[key] = _value(data[key], kind, key, fail)
    return Config(path, codes("disable"), codes("enable"), severities, options, global_options,
                  _folders(data.get("allow-outside", []), folder, fail), _review(data.get("review", {}), fail))


def _review(raw: object, fail: Fail) -> dict:
    """`[review]`: the paces at which a target is ahead, on track, or behind (not yet at risk)."""
    if not isinstance(raw, dict):
        fail("`review` must be a table, e.g. `[review]` with `ahead = \"105%\"`")
    unknown = set(raw) - set(REVIEW_KEYS)
    if unknown:
        fail(f"`review` has no key `{sorted(unknown)[0]}` (keys: {', '.join(REVIEW_KEYS)})")
    return {key: _value(value, "percent", f"review.{key}", fail) for key, value in raw.items()}


def _folders(raw: object, folder: Path | None, fail: Fail) -> tuple[str, ...]:
    """`allow-outside`: paths relative to the configuration file's folder."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) and v and "\0" not in v for v in raw):
        fail(f"`allow-outside` must be a list of folders, got {raw!r}")
    return tuple(os.path.abspath(os.path.join(folder or Path.cwd(), v)) for v in raw)


def _value(raw: object, kind: str, where: str, fail: Fail):
    if kind == "percent":
        if isinstance(raw, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*%\s*", raw):
            return Fraction(raw.strip().rstrip("%").strip()) / 100
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
            return Fraction(str(raw))  # a ratio: 0.5 is 50% (inf, nan and 1e400 are not numbers here)
        fail(f"`{where}` must be a percentage such as \"50%\" (or a ratio such as 0.5), got {raw!r}")
    if kind == "int":
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
        fail(f"`{where}` must be a whole number, got {raw!r}")
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        fail(f"`{where}` must be true or false, got {raw!r}")
    if kind == "names":
        if isinstance(raw, str):
            raw = [raw]
        if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            return tuple(raw)
        fail(f"`{where}` must be a list of table names, got {raw!r}")
    raise AssertionError(kind)
