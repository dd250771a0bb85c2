"""`planc lsp`: the real server in a subprocess, spoken to in framed JSON-RPC,
and the position conversion (UTF-16 code units) on its own."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import textwrap
import threading

import pytest

from helpers import run_planc
from planc.lsp import Lines, path_to_uri, uri_to_path, utf16_units

TIMEOUT = 10  # seconds to wait for any one answer: a broken server fails, never hangs

PLAN = textwrap.dedent("""\
    plan "T" { currency: CNY; round: 1000 }
    target year = 120M  "Company"  [owner: "Wang Fang", status: agreed]
    split year by region {
      华东 = 4500万  "East"  [owner: "Li Na", status: agreed]
      north = rest
    }
    split year by team { 甲 = 100M; 乙 = 30M }
    target extra = 华东 * 2
    """)


class Client:
    """A minimal LSP client: framed messages in, a reader thread out."""

    def __init__(self, cwd) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PLANC_NO_CACHE="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "planc", "lsp"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.backlog: list[dict] = []
        self.next_id = 0
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        self._errors = threading.Thread(target=self._drain, daemon=True)  # never let stderr fill up
        self._errors.start()

    def _drain(self) -> None:
        self.stderr = self.proc.stderr.read()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line == b"\r\n":
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length).decode("utf-8")))

    def send_raw(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: dict | None = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, **({"params": params} if params is not None else {})})

    def request(self, method: str, params: dict | None = None) -> dict:
        self.next_id += 1
        msg_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params or {}})
        return self.wait(lambda m: m.get("id") == msg_id and "method" not in m)

    def wait(self, wanted) -> dict:
        """The first message (earlier ones first) that `wanted` accepts."""
        for i, msg in enumerate(self.backlog):
            if wanted(msg):
                return self.backlog.pop(i)
        while True:
            try:
                msg = self.inbox.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no answer within {TIMEOUT}s; got {self.backlog}") from None
            if msg is None:
                raise AssertionError(f"the server stopped (exit code {self.proc.wait(TIMEOUT)})")
            if wanted(msg):
                return msg
            self.backlog.append(msg)

    def diagnostics(self, uri: str) -> list[dict]:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri)
        return msg["params"]["diagnostics"]

    def open(self, path, text: str | None = None) -> str:
        text = path.read_text(encoding="utf-8") if text is None else text
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "plan", "version": 1, "text": text}})
        return uri

    def initialize(self) -> dict:
        reply = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})
        return reply

    def close(self) -> int:
        if self.proc.poll() is None:
            try:
                self.request("shutdown")
                self.notify("exit")
            except (AssertionError, OSError):
                pass
        try:
            return self.proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        finally:
            self._errors.join(TIMEOUT)
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                stream.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("lsp")
    (path / "main.plan").write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(folder):
    client = Client(folder)
    client.initialize()
    yield client
    assert client.close() == 0


@pytest.fixture(scope="module")
def main_uri(server, folder):
    uri = server.open(folder / "main.plan")
    server.diagnostics(uri)
    return uri


def at(line: int, character: int) -> dict:
    return {"line": line, "character": character}


# ---- positions -------------------------------------------------------------------------


def test_positions_count_utf16_code_units():
    text = "a😀b\n华东 𝑥y\r\nlast"
    lines = Lines(text)
    assert utf16_units("😀") == 2 and utf16_units("华东") == 2
    assert lines.position(2) == at(0, 3)  # `b` comes after a surrogate pair
    assert lines.position(4) == at(1, 0)
    assert lines.position(text.index("y")) == at(1, 5)  # 华, 东, space: 1 unit each; 𝑥: 2
    assert lines.position(len(text)) == at(2, 4)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset] not in ("\r",):
            assert lines.offset(lines.position(offset)) == offset
    assert lines.offset(at(0, 2)) == 2  # inside the pair: after the character
    assert lines.offset(at(1, 99)) == text.index("\r")  # past the end: the end of the line
    assert lines.offset(at(9, 0)) == len(text)


def test_file_uris_round_trip(tmp_path):
    path = tmp_path / "华东 plan.plan"
    path.write_text("", encoding="utf-8")
    uri = path_to_uri(str(path))
    assert uri.startswith("file://") and "%20" in uri
    assert uri_to_path(uri) == path.resolve()
    assert uri_to_path("untitled:Untitled-1") is None
    assert path_to_uri("std/seasonality.plan").endswith("seasonality.plan")


# ---- the protocol ----------------------------------------------------------------------


def test_initialize_announces_the_capabilities(tmp_path):
    client = Client(tmp_path)
    try:
        result = client.initialize()["result"]
    finally:
        assert client.close() == 0
    caps = result["capabilities"]
    assert caps["textDocumentSync"]["change"] == 1 and caps["textDocumentSync"]["openClose"]
    assert caps["hoverProvider"] and caps["documentFormattingProvider"]
    assert caps["documentSymbolProvider"] and caps["definitionProvider"]
    assert result["serverInfo"]["name"] == "planc" and result["serverInfo"]["version"]


def test_open_publishes_diagnostics_at_the_exact_range(server, folder):
    uri = server.open(folder / "main.plan", PLAN)
    diags = server.diagnostics(uri)
    e005 = next(d for d in diags if d["code"] == "E005")
    assert e005["range"] == {"start": at(6, 35), "end": at(6, 38)}  # `30M`, 0-based
    assert e005["severity"] == 1 and e005["source"] == "planc"
    assert "allocates 130,000,000 of 120,000,000" in e005["message"]
    assert "\nhelp: lower a fixed child" in e005["message"]
    w111 = next(d for d in diags if d["code"] == "W111")
    assert w111["severity"] == 2 and w111["range"] == {"start": at(0, 0), "end": at(0, 4)}


def test_ranges_are_utf16_after_astral_characters(server, folder):
    text = 'plan "T" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }\ntarget 𝑥 = 1M\ntarget y = 𝑥 + nope\n'
    uri = server.open(folder / "astral.plan", text)
    e003 = [d for d in server.diagnostics(uri) if "nope" in d["message"]]
    assert e003 and e003[0]["range"] == {"start": at(2, 16), "end": at(2, 20)}  # 𝑥 is two units


def test_change_recompiles_and_close_clears(server, folder):
    uri = server.open(folder / "changed.plan", PLAN)
    assert any(d["code"] == "E005" for d in server.diagnostics(uri))
    fixed = PLAN.replace("乙 = 30M", "乙 = 20M")
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    published = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri)["params"]
    assert published["version"] == 2 and not any(d["code"] == "E005" for d in published["diagnostics"])
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []


def test_problems_in_an_imported_file_are_shown_at_the_top(server, folder):
    (folder / "lib.plan").write_text("target base = 10M\nsplit base by team { a = 8M; b = 3M }\n",
                                     encoding="utf-8")
    text = 'plan "M" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }\nimport "./lib.plan"\ntarget y = base\n'
    uri = server.open(folder / "uses_lib.plan", text)
    e005 = next(d for d in server.diagnostics(uri) if d["code"] == "E005")
    assert e005["range"] == {"start": at(0, 0), "end": at(0, 0)}
    assert e005["message"].startswith("lib.plan:2:34: split of base")
    # fixed and saved: the plans that import it are checked again
    (folder / "lib.plan").write_text("target base = 10M\nsplit base by team { a = 8M; b = 2M }\n",
                                     encoding="utf-8")
    server.notify("textDocument/didSave", {"textDocument": {"uri": (folder / "lib.plan").as_uri()}})
    assert not any(d["code"] == "E005" for d in server.diagnostics(uri))


def test_hover_on_a_child_name(server, main_uri):
    reply = server.request("textDocument/hover", {"textDocument": {"uri": main_uri}, "position": at(3, 3)})
    hover = reply["result"]
    assert hover["contents"]["kind"] == "markdown"
    text = hover["contents"]["value"]
    assert "**year.华东**" in text and "East" in text
    assert "45,000,000" in text and "CNY" in text
    assert "share of year: 37.5%" in text and "fixed" in text
    assert "owner: Li Na" in text and "status: agreed" in text
    assert hover["range"] == {"start": at(3, 2), "end": at(3, 4)}


def test_hover_on_a_reference(server, main_uri):
    line = PLAN.splitlines().index("target extra = 华东 * 2")
    text = server.request("textDocument/hover", {"textDocument": {"uri": main_uri},
                                                 "position": at(line, 16)})["result"]["contents"]["value"]
    assert "**year.华东**" in text and "45,000,000" in text
    # the root, with its derivation
    text = server.request("textDocument/hover", {"textDocument": {"uri": main_uri},
                                                 "position": at(line, 8)})["result"]["contents"]["value"]
    assert "**extra**" in text and "90,000,000" in text and "computed: `华东 * 2`" in text
    # nothing there: null
    nothing = server.request("textDocument/hover", {"textDocument": {"uri": main_uri}, "position": at(line, 0)})
    assert nothing["result"] is None


def test_hover_shows_the_whole_record_of_how_the_amount_was_made(server, folder):
    text = textwrap.dedent("""\
        plan "H" { currency: CNY; round: 1000 }
        table history { east = 2; west = 1 }
        target y = 1M
        split y by region using weight(history) { east max 600k; west }
        target z = 1M
        split z by q using weight(history) { east; west }
        """)
    uri = server.open(folder / "record.plan", text)
    server.diagnostics(uri)

    def hover(line, character):
        return server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": at(line, character)})["result"]["contents"]["value"]

    east = hover(3, 43)  # `east` in the region split: held at its max
    assert "- computed: `weight(history)`" in east
    assert "- inputs: parent `y` = 1,000,000; left to share 1,000,000; scores add up to 1" in east
    assert "- weight `history` 100%: 2 of 3 → 0.6667" in east
    assert "- max `600k` = 600,000: held it" in east
    rounded = hover(5, 38)  # `east` in the q split: rounded up
    assert "- exact before rounding: 666,666.666667; rounded: 667,000 (adjustment +333.333333)" in rounded
    assert "- exact share of the total shared: 66.6667%" in rounded


def test_hover_and_definition_of_tables(server, folder):
    text = textwrap.dedent("""\
        plan "M" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }
        import "std/seasonality"
        table history { east = 28M; west = 12M }
        target y = history.east + 1M
        split y by region using weight(history) { east; west }
        split y by quarter using weight(history: 0%, b2b_quarterly: 100%) { Q1; Q2; Q3; Q4 }
        """)
    uri = server.open(folder / "tables.plan", text)
    server.diagnostics(uri)

    def ask(method, line, character):
        return server.request(f"textDocument/{method}", {"textDocument": {"uri": uri},
                                                         "position": at(line, character)})["result"]

    value = ask("hover", 3, 14)
    assert "**history.east** = **28,000,000**" in value["contents"]["value"]
    assert value["range"] == {"start": at(3, 11), "end": at(3, 23)}
    assert "table **history** (2 values)" in ask("hover", 4, 35)["contents"]["value"]
    weight = ask("hover", 5, 50)  # `b2b_quarterly: 100%`: the table name
    assert "table **b2b\\_quarterly** (4 values)" in weight["contents"]["value"]
    assert weight["range"] == {"start": at(5, 45), "end": at(5, 58)}
    assert ask("definition", 3, 14) == {"uri": uri, "range": {"start": at(2, 6), "end": at(2, 13)}}
    shipped = ask("definition", 5, 50)  # into the standard library
    assert shipped["uri"].startswith("file://") and shipped["uri"].endswith("/seasonality.plan")


def test_definition_goes_to_the_name(server, main_uri, folder):
    line = PLAN.splitlines().index("target extra = 华东 * 2")
    reply = server.request("textDocument/definition", {"textDocument": {"uri": main_uri},
                                                       "position": at(line, 15)})
    assert reply["result"] == {"uri": main_uri, "range": {"start": at(3, 2), "end": at(3, 4)}}
    # `split year by …`: the parent is a reference too
    reply = server.request("textDocument/definition", {"textDocument": {"uri": main_uri}, "position": at(2, 7)})
    assert reply["result"]["range"] == {"start": at(1, 7), "end": at(1, 11)}


def test_definition_in_an_imported_file(server, folder):
    (folder / "lib2.plan").write_text("target base = 10M\n", encoding="utf-8")
    text = 'plan "M" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }\nimport "./lib2.plan"\ntarget y = base\n'
    uri = server.open(folder / "uses_lib2.plan", text)
    server.diagnostics(uri)
    reply = server.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": at(2, 12)})
    assert reply["result"] == {"uri": (folder / "lib2.plan").resolve().as_uri(),
                               "range": {"start": at(0, 7), "end": at(0, 11)}}


def test_formatting_matches_planc_fmt(server, folder):
    messy = 'plan "T" {currency: CNY; period: 2027-01-01 .. 2027-12-31}\ntarget   year=120M\n' \
            'split year by region {\n east=60%\n   west =rest  # the rest\n}\n'
    uri = server.open(folder / "messy.plan", messy)
    server.diagnostics(uri)
    edits = server.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                       "options": {"tabSize": 4, "insertSpaces": True}})["result"]
    expected = run_planc("fmt", "-", input=messy).stdout
    assert len(edits) == 1 and edits[0]["newText"] == expected != messy
    assert edits[0]["range"] == {"start": at(0, 0), "end": at(6, 0)}
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": expected}]})
    server.diagnostics(uri)
    again = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {}})
    assert again["result"] == []


def test_document_symbols_are_the_target_tree(server, main_uri):
    symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": main_uri}})["result"]
    assert [s["name"] for s in symbols] == ["year", "extra"]
    year = symbols[0]
    assert year["detail"] == "120,000,000 CNY" and year["kind"] == 16
    assert [c["name"] for c in year["children"]] == ["华东", "north", "甲", "乙"]
    east = year["children"][0]
    assert east["detail"] == "45,000,000 CNY"
    assert east["selectionRange"] == {"start": at(3, 2), "end": at(3, 4)}
    assert east["range"]["start"] == at(3, 2)
    assert year["children"][2]["kind"] == 13 and year["children"][2]["detail"] == ""  # not evaluated: E005


def test_malformed_input_does_not_stop_the_server(tmp_path):
    client = Client(tmp_path)
    try:
        early = client.request("textDocument/hover", {})
        assert early["error"]["code"] == -32002  # not initialized yet
        client.initialize()
        body = b"{this is not json"
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        client.send_raw(b"Content-Type: nonsense\r\n\r\n")  # no length at all
        bad = b"\xff\xfe"
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(bad) + bad)
        client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"nothing": 1}})
        client.send([1, 2, 3])  # type: ignore[arg-type]
        unknown = client.request("workspace/frobnicate", {})
        assert unknown["error"]["code"] == -32601
        missing = client.request("textDocument/hover", {"position": at(0, 0)})
        assert missing["error"]["code"] == -32602
        assert client.request("textDocument/documentSymbol",
                              {"textDocument": {"uri": "file:///nowhere.plan"}})["result"] == []
        logs = [m for m in client.backlog if m.get("method") == "window/logMessage"]
        assert len(logs) >= 4 and all(m["params"]["type"] == 2 for m in logs)
    finally:
        assert client.close() == 0
    assert b"Traceback" not in client.stderr and b"cannot be read" in client.stderr


def test_exit_without_shutdown_is_exit_code_1(tmp_path):
    client = Client(tmp_path)
    client.initialize()
    client.notify("exit")
    assert client.close() == 1


def test_shutdown_then_exit_is_exit_code_0(tmp_path):
    client = Client(tmp_path)
    client.initialize()
    assert client.request("shutdown")["result"] is None
    assert client.request("textDocument/hover", {})["error"]["code"] == -32600
    client.notify("exit")
    assert client.close() == 0


def test_hover_shows_the_dates_and_last_year(server, folder):
    # The plan concepts (planc.semantics): a time child's dates, the history tables' figure.
    text = textwrap.dedent("""\
        plan "M" { currency: CNY; period: 2027-04-01 .. 2028-03-31 }
        table history { east = 20M }
        target y = 100M
        split y by region { east = 25M; west = rest }
        split y by 季度 { 一季度 = 20%; 二季度 = 30%; 三季度 = 30%; 四季度 = rest }
        """)
    uri = server.open(folder / "concepts.plan", text)
    server.diagnostics(uri)

    def hover(line, character):
        return server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": at(line, character)})["result"]["contents"]["value"]

    assert "covers 2027-07-01 – 2027-09-30" in hover(4, text.splitlines()[4].index("二季度") + 1)
    assert "last year: 20,000,000 (+25%)" in hover(3, text.splitlines()[3].index("east") + 1)
