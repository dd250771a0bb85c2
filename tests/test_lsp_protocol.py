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
from hypothesis import given
from hypothesis import strategies as st

from helpers import run_planc
from planc.lsp.positions import Lines, path_to_uri, uri_to_path, units as utf16_units

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


def loads(text: str):
    """json.loads, also for the symbols of thousands of nested splits (as an editor parses them)."""
    try:
        return json.loads(text)
    except RecursionError:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(100_000)
        try:
            return json.loads(text)
        finally:
            sys.setrecursionlimit(limit)


class Client:
    """A minimal LSP client: framed messages in, a reader thread out."""

    def __init__(self, cwd) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PLANC_NO_CACHE="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "planc", "lsp"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.backlog: list[dict] = []
        self.next_id = 0
        self.timeout = TIMEOUT
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
            self.inbox.put(loads(out.read(length).decode("utf-8")))


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
                msg = self.inbox.get(timeout=self.timeout)
            except queue.Empty:
                raise AssertionError(f"no answer within {self.timeout}s; got {self.backlog}") from None
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
    from lsprotocol.types import Position

    text = "a😀b\n华东 𝑥y\r\nlast"
    lines = Lines(text)
    assert utf16_units("😀") == 2 and utf16_units("华东") == 2
    assert lines.position(2) == Position(0, 3)  # `b` comes after a surrogate pair
    assert lines.position(4) == Position(1, 0)
    assert lines.position(text.index("y")) == Position(1, 5)  # 华, 东, space: 1 unit each; 𝑥: 2
    assert lines.position(len(text)) == Position(2, 4)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset] not in ("\r",):
            assert lines.offset(lines.position(offset)) == offset
    assert lines.offset(Position(0, 2)) == 2  # inside the pair: after the character
    assert lines.offset(Position(1, 99)) == text.index("\r")  # past the end: the end of the line
    assert lines.offset(Position(9, 0)) == len(text)


def test_positions_in_the_other_encodings_a_client_may_choose():
    from lsprotocol.types import Position

    text = "华😀y"
    assert Lines(text, "utf-8").position(2) == Position(0, 7)  # 3 bytes + 4 bytes
    assert Lines(text, "utf-32").position(2) == Position(0, 2)
    assert Lines(text, "utf-8").offset(Position(0, 7)) == 2


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
    assert caps["textDocumentSync"]["change"] == 2 and caps["textDocumentSync"]["openClose"]  # 2: incremental
    assert caps["positionEncoding"] == "utf-16"
    assert caps["inlayHintProvider"] and caps["completionProvider"] and caps["referencesProvider"]
    assert caps["renameProvider"] and caps["codeActionProvider"]
    assert caps["semanticTokensProvider"]["full"] == {"delta": True} and caps["documentLinkProvider"]
    assert caps["documentRangeFormattingProvider"] and caps["workspaceSymbolProvider"]
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
    assert e005["range"] == {"start": at(1, 0), "end": at(1, 19)}  # the import that leads there
    assert e005["message"].startswith("lib.plan:2:34: split of base")
    (there,) = e005["relatedInformation"]
    assert there["location"]["uri"] == (folder / "lib.plan").resolve().as_uri()
    assert there["location"]["range"]["start"] == at(1, 33)
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
    assert "exact share of the total shared: 37.5000%" in text and "fixed" in text
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
    assert ask("definition", 3, 14) == {"uri": uri, "range": {"start": at(2, 16), "end": at(2, 20)}}  # its entry
    assert ask("definition", 4, 35) == {"uri": uri, "range": {"start": at(2, 6), "end": at(2, 13)}}
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
    again = server.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                       "options": {"tabSize": 2, "insertSpaces": True}})
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
        early = client.request("textDocument/hover", hover_params())
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
        assert logs and all(m["params"]["type"] == 2 for m in logs)
    finally:
        assert client.close() == 0
    assert b"Traceback" not in client.stderr and b"planc lsp: Unable to handle message" in client.stderr


def test_exit_without_shutdown_is_exit_code_1(tmp_path):
    client = Client(tmp_path)
    client.initialize()
    client.notify("exit")
    assert client.close() == 1


def test_shutdown_then_exit_is_exit_code_0(tmp_path):
    client = Client(tmp_path)
    client.initialize()
    assert client.request("shutdown")["result"] is None
    assert client.request("textDocument/hover", hover_params())["error"]["code"] == -32600
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


# ---- hostile input: the server logs, skips and answers the next request -----------------


def hover_params(uri: str = "file:///nowhere.plan", **position) -> dict:
    return {"textDocument": {"uri": uri}, "position": position or at(0, 0)}


HOSTILE_FRAMES = {
    "a length of 2**63": b"Content-Length: 9223372036854775808\r\n\r\n{}",
    "a length of 10**12": b'Content-Length: 1000000000000\r\n\r\n{"jsonrpc":"2.0","id":99,"method":"shutdown"}',
    "a length of 10**40": b"Content-Length: " + b"9" * 40 + b"\r\n\r\n",
    "a negative length": b"Content-Length: -5\r\n\r\nhello",
    "a length that is not a number": b"Content-Length: 12abc\r\n\r\n{}",
    "no length": b"Content-Type: application/json\r\n\r\n",
    "a header line of 1 MB": b"X-Junk: " + b"x" * 1_000_000 + b"\r\n\r\n",
    "a body that is not UTF-8": b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc",
    "a body that is not JSON": b"Content-Length: 5\r\n\r\n{nope",
    "JSON nested 100,000 deep": b"Content-Length: 200000\r\n\r\n" + b"[" * 100_000 + b"]" * 100_000,
    "a request nested 100,000 deep": (lambda body: b"Content-Length: %d\r\n\r\n" % len(body) + body)(
        b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    "a 2 MB body of garbage": b"Content-Length: 2000000\r\n\r\n" + b"\x00garbage" * 250_000,
    "a JSON array": b"Content-Length: 9\r\n\r\n[1, 2, 3]",
}


@pytest.mark.parametrize("frame", HOSTILE_FRAMES.values(), ids=HOSTILE_FRAMES.keys())
def test_a_hostile_frame_is_skipped_and_the_next_request_answered(tmp_path, frame):
    client = Client(tmp_path)
    try:
        client.initialize()
        client.send_raw(frame)
        reply = client.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///nowhere.plan"}})
        assert reply["result"] == []
        assert client.proc.poll() is None
    finally:
        assert client.close() == 0  # still there to shut down cleanly
    assert b"Traceback" not in client.stderr


def test_the_limit_on_a_message_is_64_mib(tmp_path):
    from planc.lsp.server import MAX_CONTENT_LENGTH

    assert MAX_CONTENT_LENGTH == 64 * 1024 * 1024
    client = Client(tmp_path)
    try:
        client.initialize()
        client.send_raw(b"Content-Length: %d\r\n\r\n" % (MAX_CONTENT_LENGTH + 1))
        assert client.request("shutdown")["result"] is None
    finally:
        client.notify("exit")
        assert client.close() == 0
    assert b"67,108,865 bytes, over the limit of 67,108,864" in client.stderr


WRONG_PARAMS = {
    "params that are an array": ("textDocument/hover", [1, 2]),
    "params that are a number": ("textDocument/hover", 7),
    "a textDocument that is a string": ("textDocument/hover", {"textDocument": "x", "position": at(0, 0)}),
    "a uri that is an array": ("textDocument/hover", {"textDocument": {"uri": []}, "position": at(0, 0)}),
    "a uri that is an object": ("textDocument/documentSymbol", {"textDocument": {"uri": {"a": 1}}}),
    "a position that is a string": ("textDocument/hover", {"textDocument": {"uri": "file:///x"}, "position": "0:0"}),
    "a line that is a string": ("textDocument/definition", hover_params(line="1", character=0)),
    "a character that is null": ("textDocument/hover", hover_params(line=0, character=None)),
    "a line that is a fraction": ("textDocument/hover", hover_params(line=1.5, character=0)),
    "a line that is true": ("textDocument/hover", hover_params(line=True, character=0)),
    "a negative character": ("textDocument/hover", hover_params(line=0, character=-1)),
    "formatting with no document": ("textDocument/formatting", {"options": {}}),
}


@pytest.mark.parametrize("method, params", WRONG_PARAMS.values(), ids=WRONG_PARAMS.keys())
def test_wrongly_typed_params_are_invalid_params(server, main_uri, method, params):
    reply = server.request(method, params)
    if "error" not in reply:  # lsprotocol reads 1.5 and true as 1, a number or an object as a URI
        assert reply["result"] in (None, [])
    else:
        error = reply["error"]
        assert error["code"] == -32602
        assert "\n" not in error["message"] and "Traceback" not in error["message"]
        assert error["message"].startswith(f"{method}: ") and " @ $.params" in error["message"]
    # the open document is still served
    hover = server.request("textDocument/hover", {"textDocument": {"uri": main_uri}, "position": at(3, 3)})
    assert "**year.华东**" in hover["result"]["contents"]["value"]


def test_wrongly_typed_notifications_are_logged_and_skipped(server, folder):
    def logged(message: str) -> dict:
        return server.wait(lambda m: m.get("method") == "window/logMessage"
                           and m["params"]["message"] == f"planc: {message}")["params"]

    uri = (folder / "typed.plan").resolve().as_uri()
    item = {"uri": uri, "languageId": "plan", "version": 1}
    server.notify("textDocument/didOpen", {"textDocument": {**item, "version": "one", "text": "target y = 1M\n"}})
    assert logged("ignored textDocument/didOpen: invalid value for type, expected int "
                  "@ $.params.text_document.version")["type"] == 2
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "text": "target y = 1M\n"}})
    logged("ignored textDocument/didOpen: required field missing @ $.params.text_document.language_id")
    server.open(folder / "typed.plan", "target y = 1M\n")
    server.diagnostics(uri)
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": "abc"})
    logged("ignored textDocument/didChange: invalid value for type, expected Union @ $.params.content_changes[0]")
    server.notify("textDocument/didSave", {"textDocument": 5})
    logged("ignored textDocument/didSave: invalid value for type, expected str @ $.params.text_document.uri")
    symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
    assert [s["name"] for s in symbols] == ["y"]


def test_a_request_id_of_the_wrong_type_is_an_invalid_request(tmp_path):
    client = Client(tmp_path)
    try:
        client.initialize()
        client.send({"jsonrpc": "2.0", "id": {"nested": [1]}, "method": "shutdown"})
        reply = client.wait(lambda m: "error" in m)
        assert reply["id"] is None and reply["error"]["code"] == -32600
    finally:
        assert client.close() == 0


def test_text_with_a_lone_surrogate_is_answered(tmp_path):
    client = Client(tmp_path)
    try:
        client.initialize()
        uri = "untitled:\ud800"
        body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen",  # \ud800 escaped: valid JSON
                           "params": {"textDocument": {"uri": uri, "languageId": "plan", "version": 1,
                                                       "text": "target \ud800y = 1M\n"}}}).encode()
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert published["params"]["uri"] == uri
    finally:
        assert client.close() == 0


def test_an_internal_error_is_one_line_to_the_client_and_a_traceback_to_stderr(monkeypatch, capsys):
    import io

    from planc.lsp import hover, server

    def broken(doc, position):
        raise ValueError("boom\nsecond line of the message")

    class Kept(io.BytesIO):
        def close(self) -> None:  # the server closes its output on `exit`
            pass

    monkeypatch.setattr(hover, "hover", broken)
    uri = "untitled:broken"
    requests = [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
                {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": uri, "languageId": "plan", "version": 1, "text": "target y = 1M\n"}}},
                {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": hover_params(uri)},
                {"jsonrpc": "2.0", "id": 3, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    stdin, stdout = io.BytesIO(), Kept()
    for message in requests:
        body = json.dumps(message).encode()
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stdin.seek(0)
    assert server.serve(stdin, stdout) == 0
    replies = [json.loads(part.split(b"\r\n\r\n", 1)[1]) for part in stdout.getvalue().split(b"Content-Length")[1:]]
    failed = next(m for m in replies if m.get("id") == 2)
    assert failed["error"]["code"] == -32603
    assert failed["error"]["message"] == "planc failed on textDocument/hover: ValueError: boom"
    assert next(m for m in replies if m.get("id") == 3)["result"] is None
    assert "Traceback" in capsys.readouterr().err


DEPTH = 5000


def test_document_symbols_of_5000_nested_splits(tmp_path):
    lines = ['plan "D" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }', "target t0 = 100M"]
    lines += [f"split t{i} by d{i} {{ t{i + 1} = 60%; o{i} = rest }}" for i in range(DEPTH)]
    text = "\n".join(lines) + "\n"
    client = Client(tmp_path)
    try:
        client.initialize()
        uri = client.open(tmp_path / "deep.plan", text)
        client.timeout = 300  # linking a 5,000-deep chain is slow (issue 14, class 4)
        symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
        depth, node = 0, symbols[0]
        while depth < 63:  # nested as the tree is down to 64 levels
            assert [c["name"] for c in node["children"]] == [f"t{depth + 1}", f"o{depth}"]
            depth, node = depth + 1, node["children"][0]
        flat = [c["name"] for c in node["children"]]  # below: listed flat, in tree order
        assert flat[:4] == ["t64", "t65", "t66", "t67"] and flat[-3:] == ["o65", "o64", "o63"]
        assert len(flat) == 2 * (DEPTH - 63) and not any("children" in c for c in node["children"])
        line = DEPTH + 1  # the last split: hover and definition deep down
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": at(line, 7)})
        assert f"t{DEPTH - 1}" in hover["result"]["contents"]["value"]
        definition = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                               "position": at(line, 7)})
        assert definition["result"]["range"]["start"] == at(line - 1, len(f"split t{DEPTH - 2} by d{DEPTH - 2} {{ "))
    finally:
        assert client.close() == 0


@given(st.lists(st.integers(0, 3), max_size=12), st.lists(st.integers(0, 3), max_size=12))
def test_common_ends_leave_only_the_middle_to_edit(a, b):
    """What an edit from `a` to `b` leaves alone: their shared start and end, never
    overlapping; replacing `a`'s middle with `b`'s gives `b`, and neither end can grow."""
    from planc.lsp.positions import common_ends

    head, tail = common_ends(a, b)
    assert head + tail <= min(len(a), len(b))
    assert a[:head] + b[head:len(b) - tail] + a[len(a) - tail:] == b
    assert head == min(len(a), len(b)) or a[head] != b[head]
    assert head + tail == min(len(a), len(b)) or a[len(a) - 1 - tail] != b[len(b) - 1 - tail]
