"""The VS Code extension (editors/vscode): its TextMate grammar run as VS Code runs it,
and its client's command line.

`editors/vscode/test/tokenize.js` tokenizes plans with `vscode-textmate` on
`vscode-oniguruma` (VS Code's own libraries, at the versions the extension's
package.json pins). They are installed with npm once into a cache folder
(`~/.cache/planc-tests/`, or editors/vscode/node_modules when a developer has
run `npm install` there); the test is skipped, with the reason, only where
node or npm is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lark import Lark
from lark.exceptions import LarkError

from planc.resources import resource_dir
from planc.syntax.ast import KEYWORDS

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "editors" / "vscode"
PACKAGE = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
GRAMMAR = json.loads((EXT / "syntaxes" / "plan.tmLanguage.json").read_text(encoding="utf-8"))
NODE_LIBS = ("vscode-textmate", "vscode-oniguruma")
FENCE = re.compile(r"^```plan\n(.*?)^```", re.S | re.M)


# ---- the extension's files -----------------------------------------------------------------------

def test_the_extension_declares_the_language_grammar_and_client():
    (language,) = PACKAGE["contributes"]["languages"]
    assert language["id"] == "plan" and language["extensions"] == [".plan"]
    config = json.loads((EXT / language["configuration"]).read_text(encoding="utf-8"))
    assert config["comments"] == {"lineComment": "#"}
    assert ["{", "}"] in config["brackets"] and ["[", "]"] in config["brackets"] and ["(", ")"] in config["brackets"]
    grammar = next(g for g in PACKAGE["contributes"]["grammars"] if g.get("language") == "plan")
    assert grammar["scopeName"] == GRAMMAR["scopeName"] == "source.plan"
    assert (EXT / grammar["path"]).is_file() and (EXT / PACKAGE["main"]).is_file()
    assert "vscode-languageclient" in PACKAGE["dependencies"]
    assert PACKAGE["scripts"]["package"].startswith("vsce package")
    assert "@vscode/vsce" in PACKAGE["devDependencies"]


def test_the_grammars_keywords_are_the_parsers():
    found: set[str] = set()
    for rule in GRAMMAR["repository"]["keyword"]["patterns"]:
        match = re.fullmatch(r"\\b\(?([a-z|]+)\)?\\b", rule["match"])
        assert match, rule["match"]
        found.update(match.group(1).split("|"))
    assert found == set(KEYWORDS)


# ---- running the grammar -------------------------------------------------------------------------

def _node_modules() -> Path:
    """A node_modules folder with vscode-textmate and vscode-oniguruma, installed once and cached."""
    if all((EXT / "node_modules" / lib / "package.json").is_file() for lib in NODE_LIBS):
        return EXT / "node_modules"
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed to run the TextMate grammar (vscode-textmate, vscode-oniguruma)")
    specs = [f"{lib}@{PACKAGE['devDependencies'][lib]}" for lib in NODE_LIBS]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "planc-tests"
    folder = base / ("textmate-" + hashlib.sha256(" ".join(specs).encode()).hexdigest()[:16])
    if not all((folder / "node_modules" / lib / "package.json").is_file() for lib in NODE_LIBS):
        folder.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(folder), *specs],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"npm install {' '.join(specs)} failed:\n{proc.stderr[-2000:]}"
    return folder / "node_modules"


def tokenize(texts: list[str], scope: str = "source.plan") -> list[list[list[tuple[str, list[str]]]]]:
    """For each text, for each line, (token text, scopes) as VS Code would colour them."""
    env = dict(os.environ, NODE_PATH=str(_node_modules()))
    proc = subprocess.run(["node", str(EXT / "test" / "tokenize.js")], input=json.dumps({"texts": texts, "scope": scope}),
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [[[(tok, scopes) for tok, scopes in line] for line in text] for text in json.loads(proc.stdout)]


SAMPLE = '''\
plan "FY2027 计划" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
import "std/seasonality"   # quarters
table 历史 { 华东 = 2800万; 华北 = 1.2亿 }
target year = 1.2亿  "Company \\"revenue\\" target"
split year by 区域 using weight(历史: 60%, potential: 40%) overassign 105% {
  华东 = 45% of year [owner: "陈杰", status: agreed]
  华北 = rest min 850k max 2B
}
# planc: disable-next-line=W102
assert Q4 <= 35% of year "no hockey-stick year"
'''


@pytest.fixture(scope="module")
def sample():
    (lines,) = tokenize([SAMPLE])
    return lines


def scopes_of(lines, word: str, line: int | None = None) -> list[str]:
    for number, tokens in enumerate(lines):
        if line is not None and number != line:
            continue
        for tok, scopes in tokens:
            if tok == word:
                return scopes[1:]  # without source.plan
    raise AssertionError(f"{word!r} is not a token of the sample")


def test_keywords(sample):
    assert scopes_of(sample, "plan") == ["storage.type.plan.plan"]
    assert scopes_of(sample, "import") == ["keyword.control.import.plan"]
    assert scopes_of(sample, "split") == ["storage.type.split.plan"]
    assert scopes_of(sample, "using") == ["keyword.other.using.plan"]
    assert scopes_of(sample, "weight") == ["support.function.weight.plan"]
    assert scopes_of(sample, "rest") == ["support.function.rest.plan"]
    assert scopes_of(sample, "overassign") == ["keyword.other.overassign.plan"]
    assert scopes_of(sample, "assert") == ["storage.type.assert.plan"]


def test_every_keyword_and_a_glued_one():
    texts = [f"{word} x" for word in sorted(KEYWORDS)] + ["targetyear = 1M"]
    results = tokenize(texts)
    for word, lines in zip(sorted(KEYWORDS), results):
        first = lines[0][0]
        assert first[0] == word and first[1][-1].split(".")[0] in ("keyword", "storage", "support"), (word, first)
    assert results[-1][0][0] == ("targetyear", ["source.plan", "variable.other.plan"])


def test_amounts_with_wan_and_yi_and_other_scales(sample):
    line = dict(sample[2])  # table 历史 { 华东 = 2800万; 华北 = 1.2亿 }
    assert line["2800"] == ["source.plan", "constant.numeric.amount.plan"]
    assert line["万"] == ["source.plan", "constant.numeric.amount.plan", "keyword.other.unit.scale.plan"]
    assert line["1.2"] == ["source.plan", "constant.numeric.amount.plan"]
    assert line["亿"] == ["source.plan", "constant.numeric.amount.plan", "keyword.other.unit.scale.plan"]
    caps = dict(sample[6])  # 华北 = rest min 850k max 2B
    assert caps["k"][-1] == caps["B"][-1] == "keyword.other.unit.scale.plan"
    assert scopes_of(sample, "1000") == ["constant.numeric.amount.plan"]


def test_percentages_dates_and_currency(sample):
    line = sample[4]
    assert ("60", ["source.plan", "constant.numeric.percentage.plan"]) in line
    assert ("%", ["source.plan", "constant.numeric.percentage.plan", "keyword.other.unit.percent.plan"]) in line
    assert scopes_of(sample, "105") == ["constant.numeric.percentage.plan"]
    assert scopes_of(sample, "2027-01-01") == ["constant.numeric.date.plan"]
    assert scopes_of(sample, "..") == ["keyword.operator.range.plan"]
    assert scopes_of(sample, "CNY") == ["support.constant.currency.plan"]


def test_strings_and_escapes(sample):
    assert scopes_of(sample, "FY2027 计划") == ["string.quoted.double.plan"]
    assert scopes_of(sample, "陈杰") == ["string.quoted.double.plan"]
    assert scopes_of(sample, '\\"', line=3) == ["string.quoted.double.plan", "constant.character.escape.plan"]
    assert scopes_of(sample, "revenue") == ["string.quoted.double.plan"]
    # An unterminated string ends with its line.
    (lines,) = tokenize(['target a = 1M "open\ntarget b = 2M\n'])
    assert lines[1][0] == ("target", ["source.plan", "storage.type.target.plan"])


def test_comments(sample):
    assert scopes_of(sample, " quarters") == ["comment.line.number-sign.plan"]
    assert scopes_of(sample, "planc:") == ["comment.line.number-sign.directive.plan", "keyword.other.directive.plan"]


def test_chinese_identifiers(sample):
    assert scopes_of(sample, "历史", line=2) == ["entity.name.type.table.plan"]
    assert scopes_of(sample, "区域") == ["variable.other.plan"]
    assert scopes_of(sample, "历史", line=4) == ["entity.other.attribute-name.plan"]
    assert scopes_of(sample, "华东", line=5) == ["variable.other.plan"]
    assert scopes_of(sample, "owner") == ["entity.other.attribute-name.plan"]


def test_plan_fences_in_markdown():
    (lines,) = tokenize(["Text\n\n```plan\ntarget a = 1亿\n```\n\nafter target\n"], scope="text.html.markdown")
    assert lines[2][1] == ("plan", ["text.html.markdown", "markup.fenced_code.block.markdown",
                                    "fenced_code.block.language.markdown"])
    assert lines[3][0] == ("target", ["text.html.markdown", "markup.fenced_code.block.markdown",
                                      "meta.embedded.block.plan", "storage.type.target.plan"])
    assert lines[6] == [("after target", ["text.html.markdown"])]  # the block ended


# ---- the client ----------------------------------------------------------------------------------

def client(settings: dict) -> dict:
    if not shutil.which("node"):
        pytest.skip("node is needed to load the extension's client")
    proc = subprocess.run(["node", str(EXT / "test" / "client.js"), json.dumps(settings)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_client_runs_planc_lsp_stdio():
    started = client({})
    assert (started["command"], started["args"], started["transport"]) == ("planc", ["lsp", "--stdio"], None)
    assert started["documentSelector"] == [{"language": "plan"}]
    assert "**/*.csv" in started["watched"] and started["count"] == 1


def test_the_client_takes_the_executable_from_the_settings():
    started = client({"path": "/venv/bin/python", "args": ["-m", "planc"]})
    assert (started["command"], started["args"]) == ("/venv/bin/python", ["-m", "planc", "lsp", "--stdio"])


# ---- every shipped plan, against the grammar's own terminals ------------------------------------

SCOPES = {
    "NUMBER": ("constant.numeric.amount",), "PERCENT": ("constant.numeric.percentage",),
    "DATE": ("constant.numeric.date",), "CURRENCY": ("support.constant.currency",),
    "STRING": ("string.quoted.double",), "COMPARE": ("keyword.operator.comparison",),
    "NAME": ("variable.other", "entity.name", "entity.other.attribute-name"),
}


def test_shipped_plans_agree_with_the_parsers_lexer():
    """Every token of every example plan and every parsable ```plan block has the scope of its terminal."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.plan"))]
    for page in sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]:
        texts += FENCE.findall(page.read_text(encoding="utf-8"))
    lark = Lark((resource_dir("grammar") / "planc.lark").read_text(encoding="utf-8"), parser="lalr", lexer="basic")
    compared = 0
    for text, lines in zip(texts, tokenize(texts), strict=True):
        try:
            terminals = [t for t in lark.lex(text) if t.type != "_SEP"]
        except LarkError:
            continue  # a docs block that shows a syntax error
        # The innermost scope of every character, line by line.
        chars = [[s for tok, scopes in line for s in [scopes] * len(tok)] for line in lines]
        for term in terminals:
            scopes = chars[term.line - 1][term.column - 1: term.column - 1 + len(term)]
            assert len(scopes) == len(term), (text, term)
            wanted = SCOPES.get(term.type)
            if term.type.lower() in KEYWORDS:
                wanted = ("keyword.", "storage.type.", "support.function.")
            if wanted is None:
                continue
            for s in scopes:
                assert any(scope.startswith(w) for scope in s[1:] for w in wanted), (str(term), term.type, s)
            compared += 1
    assert compared > 2000, compared
