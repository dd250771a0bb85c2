"""`planc build --format xlsx`: the workbook read back with openpyxl (issue 13)."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import openpyxl
import pytest

from report_helpers import EPOCH, EXAMPLE, run_build

from planc.report.xlsx import _sheet_name


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example's workbook (en and zh) and its JSON report, for the numbers to compare with."""
    out = tmp_path_factory.mktemp("xlsx")
    code, _, err = run_build([EXAMPLE], out / "en", "xlsx,json")
    assert code == 0, err
    code, _, err = run_build([EXAMPLE], out / "zh", "xlsx", lang="zh")
    assert code == 0, err
    report = json.loads((out / "en" / "fy2027.json").read_text(encoding="utf-8"))
    return out, report


def book(path, values: bool = False):
    return openpyxl.load_workbook(path, data_only=values)


def table(ws) -> list[tuple]:
    """A sheet's own table: the rows below its header, up to the first empty row (the blocks
    below it, review figures and actions, come after one)."""
    rows = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def test_targets_sheet_is_the_tree_as_an_outline(built):
    out, report = built
    ws = book(out / "en" / "fy2027.xlsx")["Target tree"]
    assert [c.value for c in ws[1]] == ["Path", "Name", "Label", "Level", "Parent", "Amount", "Share", "Growth",
                                        "Owner", "Status"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(report["targets"])  # every target, parents first
    assert {r[0]: r[5] for r in rows} == report["targets"]  # the plan's amounts, exactly
    details = report["details"]
    for i, r in enumerate(rows, start=2):
        path = r[0]
        assert r[1] == details[path]["name"] and r[4] == details[path]["parent"]
        assert r[3] == path.count(".") and ws.row_dimensions[i].outline_level == min(path.count("."), 7)
    year = rows[0]
    assert year[:2] == ("year", "year") and year[8:] == ("Wang Fang", "agreed")
    assert ws.sheet_properties.outlinePr.summaryBelow is False  # parents above their children fold them
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:J{len(rows) + 1}"
    q1 = next(i for i, r in enumerate(rows, start=2) if r[0] == "year.Q1")
    assert ws.cell(q1, 6).number_format == "#,##0" and ws.cell(q1, 7).number_format == "0.0%"
    assert ws.cell(q1, 7).value == pytest.approx(details["year.Q1"]["share"], abs=1e-6)
    assert ws.cell(2, 8).number_format == "0.0%" and ws.cell(2, 8).value == pytest.approx(details["year"]["growth"], abs=1e-6)


def test_a_sheet_per_split_with_sum_formulas_that_give_the_exact_totals(built):
    out, report = built
    formulas, values = book(out / "en" / "fy2027.xlsx"), book(out / "en" / "fy2027.xlsx", values=True)
    split_sheets = [n for n in formulas.sheetnames if n.split(" ")[0].isdigit()]
    assert len(split_sheets) == len(report["splits"])
    for name, split in zip(split_sheets, report["splits"]):
        ws, cached = formulas[name], values[name]
        n = len(split["children"])
        assert [ws.cell(r, 1).value for r in range(2, n + 2)] == [report["details"][p]["name"] for p in split["children"]]
        assert [ws.cell(r, 5).value for r in range(2, n + 2)] == [report["targets"][p] for p in split["children"]]
        assert ws.cell(n + 2, 1).value == "Total"
        assert ws.cell(n + 2, 5).value == f"=SUM(E2:E{n + 1})" and ws.cell(n + 2, 5).number_format == "#,##0"
        parent = report["targets"][split["parent"]]
        total = sum(report["targets"][p] for p in split["children"])
        assert cached.cell(n + 2, 5).value == total
        assert total == parent or split["overassign"]  # `overassign 110%`: the children add up to more
        assert ws.cell(n + 2, 4).value == f"=SUM(D2:D{n + 1})"
        assert cached.cell(n + 2, 4).value == pytest.approx(total / parent)
        assert (ws.cell(n + 3, 1).value, ws.cell(n + 3, 5).value) == (report["details"][split["parent"]]["name"], parent)
    assert formulas.sheetnames[1:3] == ["1 year by quarter", "2 year by region"]
    region = formulas["2 year by region"]  # how each amount was made, in the report's words
    assert [region.cell(r, 3).value for r in (3, 4, 5)] == [
        "weighted: history 60% · potential 40%", "fixed 36M", "weighted: history 60% · potential 40% · capped at max 24M"]


def test_a_matrix_sheet_per_cross_with_row_and_column_totals(built):
    out, report = built
    formulas, values = book(out / "en" / "fy2027.xlsx"), book(out / "en" / "fy2027.xlsx", values=True)
    (cross,) = report["crosses"]
    ws, cached = formulas["X1 region×quarter"], values["X1 region×quarter"]
    rows, cols = cross["row_names"], cross["column_names"]
    assert [c.value for c in ws[1]] == ["region \\ quarter", *cols, "Total"]
    for i, (name, line) in enumerate(zip(rows, cross["cells"]), start=2):
        assert [c.value for c in ws[i]][:-1] == [name, *line]
        assert ws.cell(i, len(cols) + 2).value == f"=SUM(B{i}:E{i})"
        assert cached.cell(i, len(cols) + 2).value == report["targets"][f"year.{name}"] == sum(line)
    last = len(rows) + 2
    assert [c.value for c in ws[last]] == ["Total", "=SUM(B2:B5)", "=SUM(C2:C5)", "=SUM(D2:D5)", "=SUM(E2:E5)",
                                           "=SUM(B2:E5)"]
    assert [c.value for c in cached[last]][1:] == [*(report["targets"][f"year.{q}"] for q in cols),
                                                   report["targets"]["year"]]
    assert ws.cell(2, 2).number_format == "#,##0"


def test_open_items_and_one_sheet_per_owner(built):
    out, report = built
    wb = book(out / "en" / "fy2027.xlsx")
    ws = wb["Open items"]
    assert [r[0] for r in table(ws)] == report["open_items"]
    assert ws.cell(2, 5).value == "disputed"
    owners = wb.sheetnames[wb.sheetnames.index("Open items") + 1:]
    assert owners == list(report["owners"])
    for owner in owners:
        paths = [r[0] for r in table(wb[owner]) if r[0] != "Total"]
        assert paths == report["owners"][owner]
    li = wb["Li Na"]
    head = [c.value for c in li[1]]
    assert head[:9] == ["Path", "Label", "Amount", "Share", "How computed", "Status", "Due", "Note", "Time profile"]
    assert head[9:] == ["Q1", "Q2", "Q3", "Q4"]
    east = next(r for r in li.iter_rows(min_row=2, values_only=True) if r[0] == "year.华东")
    assert east[8] == "cross table" and list(east[9:]) == report["crosses"][0]["cells"][0]


def test_chinese_sheet_names_and_headers(built):
    out, _ = built
    wb = book(out / "zh" / "fy2027.xlsx")
    assert wb.sheetnames[:3] == ["目标树", "1 year·季度", "2 year·区域"]
    assert "交叉1 区域×季度" in wb.sheetnames and "待决事项" in wb.sheetnames and "张伟" in wb.sheetnames
    assert [c.value for c in wb["目标树"][1]][:6] == ["路径", "名称", "说明", "层级", "上级", "金额"]
    assert wb["目标树"].cell(2, 10).value == "已确认"
    assert wb["2 year·区域"].cell(4, 3).value == "固定 36M"
    split = wb["1 year·季度"]
    assert split.cell(6, 1).value == "合计" and split.cell(6, 5).value == "=SUM(E2:E5)"
    # amounts in 万 where that is exact (whole thousands), as the report writes them; the value stays in yuan
    assert (split.cell(2, 5).value, split.cell(2, 5).number_format) == (31_548_000, '0"."0,"万"')
    assert split.cell(6, 5).number_format == '0"."0,"万"'
    tree = {r[0].value: r[5] for r in wb["目标树"].iter_rows(min_row=2)}
    # the over-assigned 华北 is shared on the grid, so a rep's target is in 万 too
    assert (tree["year.华北.赵磊"].value, tree["year.华北.赵磊"].number_format) == (12_606_000, '0"."0,"万"')


def test_amounts_not_whole_thousands_keep_yuan_in_chinese(tmp_path):
    plan = tmp_path / "odd.plan"
    plan.write_text('plan "Odd" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }\n'
                    "target year = 1234567\nsplit year by region { east = 1000000; west = rest }\n", encoding="utf-8")
    code, _, err = run_build([plan], tmp_path / "out", "xlsx", lang="zh")
    assert code == 0, err
    tree = {r[0].value: r[5] for r in book(tmp_path / "out" / "odd.xlsx")["目标树"].iter_rows(min_row=2)}
    assert (tree["year"].value, tree["year"].number_format) == (1_234_567, "#,##0")
    assert (tree["year.east"].value, tree["year.east"].number_format) == (1_000_000, '0"."0,"万"')


def test_reproducible_byte_for_byte(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_build([EXAMPLE], a, "xlsx")[0] == 0 and run_build([EXAMPLE], b, "xlsx")[0] == 0
    assert (a / "fy2027.xlsx").read_bytes() == (b / "fy2027.xlsx").read_bytes()
    created = book(a / "fy2027.xlsx").properties.created
    assert created == datetime.datetime.fromtimestamp(int(EPOCH), datetime.timezone.utc).replace(tzinfo=None)
    other = tmp_path / "c"
    assert run_build([EXAMPLE], other, "xlsx", environ={"SOURCE_DATE_EPOCH": "0"})[0] == 0
    assert (other / "fy2027.xlsx").read_bytes() != (a / "fy2027.xlsx").read_bytes()


def test_constant_memory_mode_writes_the_same_workbook(tmp_path, monkeypatch):
    """Big plans stream their sheets (constant memory): same cells, formulas and outline, still reproducible."""
    from planc.report import xlsx

    assert run_build([EXAMPLE], tmp_path / "memory", "xlsx")[0] == 0
    monkeypatch.setattr(xlsx, "CONSTANT_MEMORY_FROM", 1)
    assert run_build([EXAMPLE], tmp_path / "stream", "xlsx")[0] == 0
    assert run_build([EXAMPLE], tmp_path / "again", "xlsx")[0] == 0
    streamed = (tmp_path / "stream" / "fy2027.xlsx").read_bytes()
    assert streamed == (tmp_path / "again" / "fy2027.xlsx").read_bytes()
    assert streamed != (tmp_path / "memory" / "fy2027.xlsx").read_bytes()  # inline strings, not a shared table
    for values in (False, True):
        a, b = book(tmp_path / "memory" / "fy2027.xlsx", values), book(tmp_path / "stream" / "fy2027.xlsx", values)
        assert a.sheetnames == b.sheetnames
        for name in a.sheetnames:
            assert list(a[name].values) == list(b[name].values), name
    a, b = book(tmp_path / "memory" / "fy2027.xlsx")["Target tree"], book(tmp_path / "stream" / "fy2027.xlsx")["Target tree"]
    assert [a.row_dimensions[i].outline_level for i in range(1, 60)] == [b.row_dimensions[i].outline_level for i in range(1, 60)]


def test_amount_format_follows_the_rounding_unit(tmp_path, write_plan):
    plan = write_plan('plan "p" { currency: CNY; round: 0.01 }\ntarget year = 100\n'
                      "split year by q using even { a; b; c }\n")
    assert run_build([plan], tmp_path / "o", "xlsx")[0] == 0
    ws = book(tmp_path / "o" / "plan.xlsx")["1 year by q"]
    assert [ws.cell(r, 5).value for r in (2, 3, 4)] == [33.34, 33.33, 33.33]
    assert ws.cell(2, 5).number_format == "#,##0.00" and ws.cell(5, 5).number_format == "#,##0.00"
    assert book(tmp_path / "o" / "plan.xlsx", values=True)["1 year by q"].cell(5, 5).value == 100


def test_without_xlsxwriter_a_usage_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # as if it were not installed
    code, _, err = run_build([EXAMPLE], tmp_path / "o", "html,xlsx")
    assert code == 2 and "needs XlsxWriter" in err and "pip install 'planc[xlsx]'" in err
    assert not (tmp_path / "o").exists()
    assert run_build([EXAMPLE], tmp_path / "p", "all")[0] == 0  # `all`: the formats that need no extra


def test_all_does_not_include_xlsx(tmp_path):
    assert run_build([EXAMPLE], tmp_path / "o", "all")[0] == 0
    assert not list((tmp_path / "o").glob("*.xlsx")) and (tmp_path / "o" / "fy2027.csv").is_file()


def test_sheet_names_follow_excels_rules():
    taken: set[str] = set()
    assert _sheet_name("a/b:c*d?[e]\\f", taken) == "a_b_c_d__e__f"
    long = "x" * 40
    assert _sheet_name(long, taken) == "x" * 31
    assert _sheet_name(long, taken) == "x" * 27 + " (2)"
    assert _sheet_name("A_B_C_D__E__F", taken) == "A_B_C_D__E__F (2)"  # unique regardless of case
    assert _sheet_name("History", taken) == "History (2)"  # reserved by Excel
    # Excel counts UTF-16 units: an emoji is two; a cut never leaves an apostrophe at the end.
    assert _sheet_name("😀" * 20, taken) == "😀" * 15
    assert _sheet_name("😀" * 20, taken) == "😀" * 13 + " (2)"
    assert _sheet_name("x" * 30 + "'s", taken) == "x" * 30


def test_an_owner_named_in_emoji_gets_a_sheet(tmp_path, write_plan):
    plan = write_plan('plan "E" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }\n'
                      'target year = 1000 [owner: "' + "😀" * 30 + '"]\n')
    code, _, err = run_build([plan], tmp_path, "xlsx")
    assert code == 0, err
    assert book(tmp_path / f"{plan.stem}.xlsx").sheetnames[-1] == "😀" * 15


@pytest.mark.slow
def test_libreoffice_reads_the_workbook(built, tmp_path):
    """LibreOffice (where installed) opens the Chinese workbook: every sheet, by its Chinese name, with the totals."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out, report = built
    (tmp_path / "zh.xlsx").write_bytes((out / "zh" / "fy2027.xlsx").read_bytes())
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"  # as shown
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", every_sheet, "zh.xlsx"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    sheets = {p.name.removeprefix("zh-").removesuffix(".csv") for p in tmp_path.glob("zh-*.csv")}
    assert {"目标树", "1 year·季度", "交叉1 区域×季度", "待决事项", "张伟"} <= sheets
    assert len(sheets) == len(book(out / "zh" / "fy2027.xlsx").sheetnames)
    cross = (tmp_path / "zh-交叉1 区域×季度.csv").read_text(encoding="utf-8").splitlines()
    wan = [f"{report['targets'][p] / 10_000:.1f}万" for p in ("year.Q1", "year.Q2", "year.Q3", "year.Q4", "year")]
    assert cross[-1] == ",".join(["合计", *wan])  # 3154.8万: the 万 format as LibreOffice draws it


def test_constant_memory_mode_leaves_no_temporary_files(tmp_path, monkeypatch):
    from planc.report import xlsx

    root = tmp_path / "tmp"
    root.mkdir()
    made = []
    real = xlsx._render

    def spy(writer, report, lang, review, options):
        made.append(options["tmpdir"])
        assert list(root.iterdir()) == [Path(options["tmpdir"])]  # its own folder, in root
        return real(writer, report, lang, review, options)

    monkeypatch.setattr(xlsx, "CONSTANT_MEMORY_FROM", 1)
    monkeypatch.setattr(xlsx, "temp_root", lambda: str(root))
    monkeypatch.setattr(xlsx, "_render", spy)
    assert run_build([EXAMPLE], tmp_path / "o", "xlsx")[0] == 0
    assert len(made) == 1 and list(root.iterdir()) == []  # removed with everything in it


def test_temporary_files_go_to_tmpdir_or_a_memory_backed_folder_with_room(tmp_path, monkeypatch):
    from planc.report import xlsx

    shm = tmp_path / "shm"
    shm.mkdir()
    monkeypatch.setattr(xlsx, "SHM", str(shm))
    monkeypatch.delenv("TMPDIR", raising=False)
    assert xlsx.temp_root() == str(shm)
    monkeypatch.setattr(xlsx, "SHM_ROOM", 1 << 62)  # not that much room
    assert xlsx.temp_root() is None
    monkeypatch.setattr(xlsx, "SHM_ROOM", 1)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the user's choice wins
    assert xlsx.temp_root() is None
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(xlsx, "SHM", str(tmp_path / "absent"))
    assert xlsx.temp_root() is None


ACTUALS = EXAMPLE.parent / "data" / "actuals_2027.csv"


def build_with_review(out, lang: str) -> None:
    """`planc build fy2027.plan --format xlsx,json --actuals data/actuals_2027.csv --as-of 2027-04-30`."""
    import argparse
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from planc.cli.build import run

    args = argparse.Namespace(plans=[str(EXAMPLE)], output=str(out), format="xlsx,json", lang=lang,
                              actuals=[str(ACTUALS)], encoding="utf-8", as_of="2027-04-30")
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        assert run(args, environ={"SOURCE_DATE_EPOCH": "1798761600"}) == 0, err.getvalue()


def block(ws, title: str) -> list[tuple]:
    """The rows of the block titled `title` (below its header), up to the next empty row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    out = []
    for r in rows[start + 2:]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


def review_owners() -> dict[str, list[str]]:
    """The review's own list, computed here: each owner's targets with an actual as of 2027-04-30."""
    from planc.pipeline import compile_plan
    from planc.report.review import build_review
    from planc.review import track as tracking

    result = compile_plan(str(EXAMPLE))
    as_of = datetime.date(2027, 4, 30)
    actuals, _ = tracking.load_actuals(result, str(EXAMPLE), [str(ACTUALS)], "utf-8", (), as_of)
    review = build_review(result, actuals, as_of)
    assert review is not None
    return {owner: [r.path for r in rows if r.figures is not None] for owner, rows in review.owners.items()}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    build_with_review(out / "en", "en")
    build_with_review(out / "zh", "zh")
    return out, json.loads((out / "en" / "fy2027.json").read_text(encoding="utf-8"))


def test_owner_sheets_have_the_review_figures(reviewed):
    """Each owner's targets with an actual: the review's own figures (as in the JSON), exactly."""
    out, report = reviewed
    wb = book(out / "en" / "fy2027.xlsx")
    figures = {f["path"]: f for f in report["review"]["targets"]}
    owners = review_owners()  # owner -> the paths of their targets with an actual
    assert len(owners) >= 3
    checked = 0
    for owner in owners:
        ws = wb[owner]
        title = "Your attainment as of 2027-04-30"
        rows = list(ws.iter_rows(values_only=True))
        head_at = next(i for i, r in enumerate(rows) if r[0] == title) + 1
        head = [v for v in rows[head_at] if v is not None]
        assert head[:7] == ["Target", "Plan", "Actual", "Expected", "Attained", "Pace", "Status"]
        months = head[7:]
        assert rows[head_at - 1][7] == "What each remaining month needs"
        mine = [figures[path] for path in owners[owner]]
        got = block(ws, title)
        assert [r[0] for r in got] == [f["path"] for f in mine]
        for r, f in zip(got, mine):
            # numbers are stored to 16 significant digits (XlsxWriter's `%.16G`)
            assert r[1:4] == pytest.approx((f["plan"], f["actual"], f["expected"]), rel=1e-15)
            assert r[4] == pytest.approx(f["attainment"], abs=1e-12) and r[5] == pytest.approx(f["pace"], abs=1e-12)
            assert r[6] == f["status"]
            needs = {m: v for m, v in zip(months, r[7:]) if v is not None}
            assert needs == pytest.approx({n["month"]: n["amount"] for n in f["needs"]}, rel=1e-15)
            checked += 1
    assert checked == sum(len(paths) for paths in owners.values()) >= 5
    title_at = next(i for i, r in enumerate(wb["张伟"].iter_rows(values_only=True), start=1)
                    if r[0] == "Your attainment as of 2027-04-30")
    cells = wb["张伟"][title_at + 2]  # below the title and the header
    assert cells[0].value == block(wb["张伟"], "Your attainment as of 2027-04-30")[0][0]
    assert [c.number_format for c in cells[1:6]] == ["#,##0", "#,##0", "#,##0", "0.0%", "0.0%"]


def test_actions_on_the_owner_sheets_and_the_open_items(reviewed):
    out, report = reviewed
    wb = book(out / "en" / "fy2027.xlsx")
    actions = report["negotiation"]["actions"]
    assert len(actions) == 4
    listed = block(wb["Open items"], "Actions")
    assert listed == [(a["target"], a["text"], a["owner"], a["due"], a["status"], None, None) for a in actions]
    for a in actions:
        on_sheet = block(wb[a["owner"]], "Actions")
        assert (a["target"], a["text"], a["owner"], a["due"], a["status"]) in [r[:5] for r in on_sheet]
    assert [r[:5] for r in block(wb["Li Na"], "Actions")] == [
        ("year.华东", "深挖 TOP50 客户: quarterly business reviews", "Li Na", "2027-03-31", "open")]
    assert wb["Li Na"].cell(next(i for i, r in enumerate(wb["Li Na"].iter_rows(values_only=True), start=1)
                                 if r[0] == "Actions"), 1).font.b


def test_review_and_actions_in_chinese(reviewed):
    out, _ = reviewed
    wb = book(out / "zh" / "fy2027.xlsx")
    ws = wb["张伟"]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "截至 2027-04-30 您的达成情况")
    assert list(rows[at + 1][:7]) == ["目标", "计划", "实际", "应完成", "达成率", "进度", "状态"]
    assert rows[at][7] == "余下每月需完成"
    assert rows[at + 2][6] in ("领先", "正常", "落后", "高风险")
    listed = block(wb["待决事项"], "行动计划")
    assert [r[4] for r in listed] == ["进行中"] * 4
    heads = list(wb["待决事项"].iter_rows(values_only=True))
    assert list(heads[[r[0] for r in heads].index("行动计划") + 1][:5]) == ["目标", "行动", "负责人", "截止", "状态"]


def test_owner_sheets_have_the_weekly_activity_of_their_funnel_members(built):
    """张伟's funnel (deals, proposals, visits by week): a row per week, the year's counts below, the plan's numbers."""
    out, report = built
    ws = book(out / "en" / "fy2027.xlsx")["张伟"]
    rows = list(ws.iter_rows(values_only=True))
    member = "year.华东.key_accounts.张伟"
    at = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Weekly activity: "))
    assert rows[at][0] == f"Weekly activity: {member} — Funnel 大客户漏斗 for rep"
    steps = [h.split(" (")[0] for h in rows[at + 1][2:] if h]
    assert rows[at + 1][0] == "Week" and steps == ["deals", "proposals", "visits"]
    weeks = block(ws, rows[at][0])
    total = weeks.pop()
    assert total[0] == "Total"
    targets = report["targets"]
    assert len(weeks) >= 52 and weeks[1][:2] == ("W2027_01", "2027-01-04 – 2027-01-10")
    for r in weeks:
        assert list(r[2:2 + len(steps)]) == [targets[f"{member}.{s}.{r[0]}"] for s in steps]
    assert list(total[2:2 + len(steps)]) == [targets[f"{member}.{s}"] for s in steps]
    for i in range(len(steps)):  # the weeks add up to the year, exactly
        assert sum(r[2 + i] for r in weeks) == total[2 + i]
    zh = list(book(out / "zh" / "fy2027.xlsx")["张伟"].iter_rows(values_only=True))
    assert f"每周活动目标：{member} — 销售代表漏斗：大客户漏斗" in [r[0] for r in zh]


def test_owner_sheets_name_their_targets_without_actuals(reviewed):
    """The sentence of the HTML and Markdown owner sheets: the owner's targets with no
    actual yet, as the review lists them, in English and in Chinese."""
    from planc.pipeline import compile_plan
    from planc.report.review import build_review
    from planc.review import track as tracking

    out, _ = reviewed
    result = compile_plan(str(EXAMPLE))
    as_of = datetime.date(2027, 4, 30)
    actuals, _ = tracking.load_actuals(result, str(EXAMPLE), [str(ACTUALS)], "utf-8", (), as_of)
    review = build_review(result, actuals, as_of)
    quiet = {owner: review.unreported(owner) for owner in review.owners}
    quiet = {owner: paths for owner, paths in quiet.items() if paths}
    assert quiet, "the example should have an owner with a target not reported yet"
    en, zh = book(out / "en" / "fy2027.xlsx"), book(out / "zh" / "fy2027.xlsx")
    for owner, paths in quiet.items():
        first = [r[0] for r in en[owner].iter_rows(values_only=True) if str(r[0]).startswith("No actuals")]
        assert first == [f"No actuals reported as of 2027-04-30 for: {', '.join(paths)}."]
    owner, paths = next(iter(quiet.items()))
    sheet = next(ws for ws in zh.worksheets if any(r[0] and "尚无实际数据" in str(r[0]) for r in ws.iter_rows(values_only=True)))
    lines = [r[0] for r in sheet.iter_rows(values_only=True) if r[0] and "尚无实际数据" in str(r[0])]
    assert len(lines) == 1 and lines[0].startswith("截至 2027-04-30 尚无实际数据的目标")
