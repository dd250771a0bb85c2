"""`planc lsp` driven by a real LSP client (pygls's LanguageClient) over stdio:
every feature, UTF-16 columns with CJK and emoji, broken text mid-edit,
files changed on disk. The framing and bad input are in test_lsp_protocol.py."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from lsprotocol import types as lsp

from lsp_client import Session, position

PLAN = textwrap.dedent("""\
    plan "E" { currency: CNY; round: 1000; period: 2027-01-01 .. 2027-12-31 }
    import "std/seasonality"
    table history { east = 30M; north = 10M }
    data accounts = csv("accounts.csv")
    target year = 100M  "Company 😀"
    split year by region using weight(history) {
      east
      north   [owner: "Li 😀", status: agreed]
    }
    split year by quarter { Q1 = 20%; Q2 = 30%; Q3 = 25%; Q4 = rest }
    cross region by quarter
    assert Q4 <= 35% of year  "no hockey stick"
    target 华东 = accounts.east * 1000
    split 华东 by team { x = 10% [owner: "😀"]; y = rest }
    target extra = 华东 * 2
    table spare { a = 1 }
    """)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("lsp")
    (path / "accounts.csv").write_text("name,value\neast,50\nnorth,30\n", encoding="utf-8")
    (path / "main.plan").write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def session(folder):
    s = Session(folder, initialization_options={"planc": {"debounce": 10}})
    yield s
    assert s.close() == 0
    assert b"Traceback" not in s.stderr, s.stderr.decode()[-3000:]


@pytest.fixture(scope="module")
def main(session, folder):
    uri = (folder / "main.plan").as_uri()
    session.open(uri, PLAN)
    session.diagnostics_for(uri, 1)
    return uri


def doc(uri):
    return lsp.TextDocumentIdentifier(uri=uri)


def hover(session, uri, text, needle, nth=0, delta=0) -> str:
    reply = session.request("text_document_hover", lsp.HoverParams(doc(uri), position(text, needle, nth, delta)))
    return reply.contents.value if reply else ""


EVERYTHING = lsp.Range(lsp.Position(0, 0), lsp.Position(999, 0))


# ---- diagnostics --------------------------------------------------------------------------


def test_diagnostics_link_their_docs_and_grey_out_what_is_unused(session, main):
    found = {(d.code, d.range.start.line) for d in session.diagnostics_for(main, 1)}
    assert found == {("W102", 6), ("W102", 7), ("W106", 13), ("W107", 15)}
    unused = next(d for d in session.diagnostics_for(main, 1) if d.code == "W107")
    assert list(unused.tags) == [lsp.DiagnosticTag.Unnecessary]
    assert unused.code_description.href.endswith("/rules.md#w107-unused-table")
    assert unused.range == lsp.Range(lsp.Position(15, 6), lsp.Position(15, 11))


# ---- inlay hints and hover ----------------------------------------------------------------


def test_inlay_hints_show_computed_amounts_and_shares(session, main):
    hints = session.request("text_document_inlay_hint", lsp.InlayHintParams(doc(main), EVERYTHING))
    by_line: dict[int, list[str]] = {}
    for h in hints:
        by_line.setdefault(h.position.line, []).append(h.label)
    assert by_line[6] == ["← 75,000,000 · 75.0%"]  # east: weight(history)
    assert by_line[7] == ["← 25,000,000 · 25.0%"]
    assert by_line[9] == ["← 20,000,000 · 20.0%", "← 30,000,000 · 30.0%", "← 25,000,000 · 25.0%",
                          "← 25,000,000 · 25.0%"]  # percentages and the rest
    assert len(by_line[10]) == 8 and "east×Q1 ← 15,000,000 · 15.0%" in by_line[10]  # every cross cell
    assert by_line[13] == ["← 5,000 · 10.0%", "← 45,000 · 90.0%"]
    assert 12 not in by_line and 4 not in by_line  # roots: as written
    east = next(h for h in hints if h.position.line == 6)
    assert east.position.character == len("  east")
    north = next(h for h in hints if h.position.line == 7)  # after an emoji: UTF-16 units
    assert north.position.character == len(PLAN.splitlines()[7]) + 1


def test_hover_renders_the_evaluators_record(session, main):
    text = hover(session, main, PLAN, "east\n")
    assert "**year.east**" in text and "**75,000,000 CNY**" in text
    assert "- computed: `weight(history)`" in text and "- weight `history` 100%: 30,000,000 of 40,000,000" in text
    assert "- covers 2027-01-01 – 2027-12-31" not in text  # a region is not a time child


def test_hover_on_tables_data_values_assertions_and_crosses(session, main):
    assert "table **history** (2 values)" in hover(session, main, PLAN, "history {")
    data = hover(session, main, PLAN, "accounts =")
    assert "data **accounts** from `accounts.csv` (2 values)" in data and "- east: 50" in data
    assert "**accounts.east** = **50**" in hover(session, main, PLAN, "accounts.east", 0, 10)
    check = hover(session, main, PLAN, "assert")
    assert "holds: 25,000,000 <= 35,000,000" in check
    assert "- left `Q4` = 25,000,000" in check and "- right `35% of year` = 35,000,000" in check
    cross = hover(session, main, PLAN, "cross")
    assert "cross of region by quarter" in cross and "(8 cells)" in cross
    assert "- east × Q1: 15,000,000 CNY — east × Q1 / year" in cross
    assert "not used by any split" in hover(session, main, PLAN, "spare")


def test_utf16_columns_after_emoji_and_cjk(session, main):
    line = 13
    text = PLAN.splitlines()[line]
    y = text.index("y = rest") + 1  # 😀 before it counts two UTF-16 units
    reply = session.request("text_document_hover", lsp.HoverParams(doc(main), lsp.Position(line, y)))
    assert "**华东.y**" in reply.contents.value and "**45,000 CNY**" in reply.contents.value
    assert reply.range == lsp.Range(lsp.Position(line, y), lsp.Position(line, y + 1))
    assert position(PLAN, "y = rest") == lsp.Position(line, y)
    cjk = lsp.Position(14, len("target extra = 华"))  # 华东: one unit each
    definition = session.request("text_document_definition", lsp.DefinitionParams(doc(main), cjk))
    assert definition.range == lsp.Range(lsp.Position(12, 7), lsp.Position(12, 9))
    tokens = session.request("text_document_semantic_tokens_full", lsp.SemanticTokensParams(doc(main))).data
    starts, line_at, column = [], 0, 0
    for i in range(0, len(tokens), 5):
        line_at += tokens[i]
        column = tokens[i + 1] if tokens[i] else column + tokens[i + 1]
        starts.append((line_at, column, tokens[i + 2]))
    assert (line, y, 1) in starts and (12, 7, 2) in starts
    status = PLAN.splitlines()[7]
    assert (7, status.index("agreed") + 1, 6) in starts


# ---- completion ----------------------------------------------------------------------------


def complete(session, uri, text, needle, delta=0) -> list[lsp.CompletionItem]:
    at = position(text, needle, 0, delta)
    return session.request("text_document_completion", lsp.CompletionParams(doc(uri), at)).items


def test_completion_by_context(session, folder):
    text = textwrap.dedent("""\
        plan "C" { currency: CNY;  }
        import "std/"
        table history { east = 30M; north = 10M }
        target year = 100M
        split year by region { east = history. ; north = rest [status: ] }
        split year by  
        """)
    uri = (folder / "complete.plan").as_uri()
    good = text.replace("history. ", "history.east").replace("[status: ]", "").replace("by  \n", "by quarter\n")
    session.open(uri, good)
    session.diagnostics_for(uri, 1)
    session.replace(uri, text, 2)  # mid-edit: the text does not parse
    session.diagnostics_for(uri, 2)
    assert [i.label for i in complete(session, uri, text, 'std/"', 4)] == ["std/calendar_cn", "std/ramp", "std/seasonality"]
    keys = complete(session, uri, text, "history. ", 8)
    assert [(i.label, i.detail) for i in keys] == [("east", "30,000,000"), ("north", "10,000,000")]
    assert [i.label for i in complete(session, uri, text, "status: ]", 8)] == ["draft", "proposed", "agreed",
                                                                               "disputed"]
    header = [i.label for i in complete(session, uri, text, "CNY;  }", 5)]
    assert "period" in header and "round" in header
    dims = [i.label for i in complete(session, uri, text, "by  \n", 3)]
    assert dims[:2] == ["quarter", "region"] and "month" in dims  # the plan's own first, then time


def test_completion_offers_names_with_amounts_siblings_first(session, main):
    items = complete(session, main, PLAN, "north   [", 0)
    ranked = sorted(items, key=lambda i: i.sort_text or i.label)
    assert [i.label for i in ranked[:2]] == ["east", "north"]
    year = next(i for i in items if i.label == "year")
    assert year.detail == "100,000,000" and year.kind == lsp.CompletionItemKind.Variable
    assert any(i.label == "history" and i.kind == lsp.CompletionItemKind.Struct for i in items)
    assert any(i.label == "split" and i.kind == lsp.CompletionItemKind.Keyword for i in items)


# ---- references, rename, links, definition into CSV ---------------------------------------


def test_references_across_imports_and_rename(session, folder):
    (folder / "lib.plan").write_text("target base = 10M\n", encoding="utf-8")
    text = 'import "./lib.plan"\ntarget y = base * 2\ntarget z = base + y\n'
    uri = (folder / "refs.plan").as_uri()
    session.open(uri, text)
    session.diagnostics_for(uri, 1)
    refs = session.request("text_document_references", lsp.ReferenceParams(
        context=lsp.ReferenceContext(include_declaration=True), text_document=doc(uri),
        position=position(text, "base")))
    lib = (folder / "lib.plan").resolve().as_uri()
    assert sorted((r.uri, r.range.start.line, r.range.start.character) for r in refs) == sorted(
        [(lib, 0, 7), (uri, 1, 11), (uri, 2, 11)])
    edit = session.request("text_document_rename", lsp.RenameParams(
        text_document=doc(uri), position=position(text, "base"), new_name="basis"))
    assert {k: len(v) for k, v in edit.changes.items()} == {lib: 1, uri: 2}
    assert all(e.new_text == "basis" for v in edit.changes.values() for e in v)
    with pytest.raises(Exception, match="`y` would shadow|already exists"):
        session.request("text_document_rename", lsp.RenameParams(
            text_document=doc(uri), position=position(text, "base"), new_name="y"))
    with pytest.raises(Exception, match="keyword"):
        session.request("text_document_rename", lsp.RenameParams(
            text_document=doc(uri), position=position(text, "base"), new_name="split"))


def test_links_and_definition_into_the_csv_row(session, main, folder):
    links = session.request("text_document_document_link", lsp.DocumentLinkParams(doc(main)))
    targets = sorted(link.target.rsplit("/", 1)[-1] for link in links)
    assert targets == ["accounts.csv", "seasonality.plan"]
    row = session.request("text_document_definition", lsp.DefinitionParams(
        doc(main), position(PLAN, "accounts.east", 0, 10)))
    assert row.uri == (folder / "accounts.csv").resolve().as_uri()
    assert row.range == lsp.Range(lsp.Position(1, 0), lsp.Position(1, 7))  # `east,50`
    table = session.request("text_document_definition", lsp.DefinitionParams(doc(main), position(PLAN, "history)")))
    assert (table.uri, table.range.start) == (main, lsp.Position(2, 6))


# ---- code actions ---------------------------------------------------------------------------


def actions_for(session, uri, diagnostics):
    return session.request("text_document_code_action", lsp.CodeActionParams(
        doc(uri), EVERYTHING, lsp.CodeActionContext(diagnostics=diagnostics)))


def test_code_actions_fix_what_the_diagnostics_say(session, folder):
    text = textwrap.dedent("""\
        plan "A" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }
        target year = 100M
        split year by region { east = 60M; west = 50M }
        target other = yaer * 2
        split year by quarter using weight(retail_cn_quarterly) { Q1; Q2; Q3; Q4 }
        """)
    uri = (folder / "fix.plan").as_uri()
    session.open(uri, text)
    diagnostics = session.diagnostics_for(uri, 1)
    titles = {a.title: a for a in actions_for(session, uri, diagnostics)}
    assert "Change to `year`" in titles
    fix = titles["Change to `year`"].edit.changes[uri][0]
    assert fix.range.start == position(text, "yaer") and fix.new_text == "year"
    over = titles["Add `overassign 110%` to the split"].edit.changes[uri][0]
    assert over.new_text == " overassign 110%" and over.range.start == position(text, " {", 1)
    assert titles["Make this child `rest`"].edit.changes[uri][0].new_text == "rest"
    imports = titles['Add `import "std/seasonality"`'].edit.changes[uri][0]
    assert imports.range.start == lsp.Position(1, 0) and imports.new_text == 'import "std/seasonality"\n'


def test_a_warning_can_be_disabled_for_its_line(session, main):
    warnings = [d for d in session.diagnostics_for(main, 1) if d.code == "W107"]
    (action,) = [a for a in actions_for(session, main, warnings) if a.title.startswith("Disable")]
    edit = action.edit.changes[main][0]
    assert edit.range.start == lsp.Position(15, 0) and edit.new_text == "# planc: disable-next-line=W107\n"


# ---- symbols, tokens, formatting ----------------------------------------------------------


def test_document_and_workspace_symbols(session, main):
    symbols = session.request("text_document_document_symbol", lsp.DocumentSymbolParams(doc(main)))
    names = [s.name for s in symbols]
    assert names[:3] == ["year", "华东", "extra"]
    assert {"history", "accounts", "no hockey stick", "cross region × quarter", "spare"} <= set(names)
    year = symbols[0]
    assert [c.name for c in year.children][:2] == ["east", "north"] and year.detail == "100,000,000 CNY"
    found = session.request("workspace_symbol", lsp.WorkspaceSymbolParams(query="HIST"))
    assert ("history", main) in [(s.name, s.location.uri) for s in found]
    assert not session.request("workspace_symbol", lsp.WorkspaceSymbolParams(query="nothing-like-it"))


def test_semantic_tokens_full_and_delta(session, folder):
    text = 'target year = 100M  # a comment\nsplit year by region { a = 60%; b = rest }\n'
    uri = (folder / "tokens.plan").as_uri()
    session.open(uri, text)
    session.diagnostics_for(uri, 1)
    full = session.request("text_document_semantic_tokens_full", lsp.SemanticTokensParams(doc(uri)))
    legend = session.initialize.capabilities.semantic_tokens_provider.legend.token_types
    kinds = [legend[full.data[i + 3]] for i in range(0, len(full.data), 5)]
    assert kinds[:5] == ["keyword", "variable", "operator", "number", "comment"]
    assert full.data[5 * 1 + 4] == 1  # `year` after `target`: a declaration
    session.edit(uri, 2, (0, 14), (0, 18), "200M")
    session.diagnostics_for(uri, 2)
    delta = session.request("text_document_semantic_tokens_full_delta",
                            lsp.SemanticTokensDeltaParams(doc(uri), full.result_id))
    assert isinstance(delta, lsp.SemanticTokensDelta) and delta.result_id != full.result_id
    assert list(delta.edits) == []  # same token kinds and places: nothing to change


def test_range_formatting_touches_only_the_range(session, folder):
    text = "target   a=1M\ntarget   b=2M\n"
    uri = (folder / "range.plan").as_uri()
    session.open(uri, text)
    session.diagnostics_for(uri, 1)
    edits = session.request("text_document_range_formatting", lsp.DocumentRangeFormattingParams(
        doc(uri), lsp.Range(lsp.Position(1, 0), lsp.Position(1, 5)),
        lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert [(e.range.start.line, e.range.end.line, e.new_text) for e in edits] == [(1, 2, "target b = 2M\n")]


# ---- while you type, and files on disk ------------------------------------------------------


def test_answers_come_from_the_last_good_compile_while_the_text_is_broken(session, folder):
    text = PLAN
    uri = (folder / "broken.plan").as_uri()
    session.open(uri, text)
    session.diagnostics_for(uri, 1)
    broken = text.replace("target extra = 华东 * 2\n", "target extra = 华东 * 2\nsplit extra by {\n")
    session.replace(uri, broken, 2)
    assert [d.code for d in session.diagnostics_for(uri, 2)] == ["E001"]
    assert "**75,000,000 CNY**" in hover(session, uri, broken, "east\n")  # before the edit
    spare = hover(session, uri, broken, "spare")  # after the edit: its line moved down by one
    assert "table **spare**" in spare
    hints = session.request("text_document_inlay_hint", lsp.InlayHintParams(doc(uri), EVERYTHING))
    assert any(h.position.line == 6 and h.label == "← 75,000,000 · 75.0%" for h in hints)
    symbols = session.request("text_document_document_symbol", lsp.DocumentSymbolParams(doc(uri)))
    assert "spare" in [s.name for s in symbols]
    items = complete(session, uri, broken, "split extra by {", 16)
    assert any(i.label == "year" and i.detail == "100,000,000" for i in items)


def test_edits_are_debounced_into_one_check(session, folder):
    text = "target y = 1M\n"
    uri = (folder / "burst.plan").as_uri()
    session.open(uri, text)
    session.diagnostics_for(uri, 1)
    for version in range(2, 12):
        session.edit(uri, version, (0, 11), (0, 12), str(version % 10))
    session.diagnostics_for(uri, 11)
    versions = [p.version for p in session.published[uri]]
    assert versions[0] == 1 and versions[-1] == 11 and len(versions) < 11


def test_watched_files_recheck_the_open_plans(session, main, folder):
    assert [r.method for r in session.registrations] == ["workspace/didChangeWatchedFiles"]
    globs = [w["globPattern"] for w in session.registrations[0].register_options["watchers"]]
    assert globs == ["**/*.plan", "**/*.csv", "**/planc.toml", "**/pyproject.toml"]
    seen = session.publications(main)
    (folder / "planc.toml").write_text('disable = ["W102"]\n', encoding="utf-8")
    session.notify("workspace_did_change_watched_files", lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=(folder / "planc.toml").as_uri(), type=lsp.FileChangeType.Created)]))
    after = session.wait_publications(main, seen + 1)
    assert [d.code for d in after] == ["W106", "W107"]
    (folder / "accounts.csv").write_text("name,value\neast,70\nnorth,30\n", encoding="utf-8")
    session.notify("workspace_did_change_watched_files", lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=(folder / "accounts.csv").as_uri(), type=lsp.FileChangeType.Changed)]))
    session.wait_publications(main, seen + 2)
    assert "**70,000 CNY**" in hover(session, main, PLAN, "华东 =")
    (folder / "planc.toml").unlink()
    (folder / "accounts.csv").write_text("name,value\neast,50\nnorth,30\n", encoding="utf-8")
    session.notify("workspace_did_change_configuration", lsp.DidChangeConfigurationParams(settings={}))
    assert len(session.wait_publications(main, seen + 3)) == 4


def test_planc_lsp_without_pygls_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['pygls'] = None\n"
            "from planc.cli import main\nraise SystemExit(main(['lsp', '--stdio']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert "pip install 'planc[lsp]'" in proc.stderr and "Traceback" not in proc.stderr


def test_an_unsaved_buffer_skips_the_parse_cache_and_its_imports_use_it(tmp_path, monkeypatch):
    from planc.lsp.documents import Document

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.delenv("PLANC_NO_CACHE")
    monkeypatch.setenv("PLANC_CACHE_DIR", str(cache))
    (tmp_path / "lib.plan").write_text("target base = 10M\n", encoding="utf-8")
    document = Document((tmp_path / "main.plan").as_uri())
    document.update('import "./lib.plan"\ntarget y = base * 2\n')
    assert document.result.evaluation.values["y"] == 20_000_000
    stored = list((cache / "ast").glob("*.pickle"))
    assert len(stored) == 1  # the import's tree, not the buffer's
    assert b"base = 10M" in stored[0].read_bytes()
