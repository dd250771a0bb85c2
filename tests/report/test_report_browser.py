"""The HTML report in a real headless Chromium (Debian's `chromium` package).

Skipped, with the reason, when no Chromium is installed. To measure the laid-out
charts the test loads a copy of the report with a measuring script appended
(the report itself has no script and a CSP that forbids one).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from report_helpers import EXAMPLE, run_build

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium: apt-get install chromium"),
]

MEASURE = """
<script>
const box = e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
const charts = [...document.querySelectorAll('svg.chart')].map(s => ({
  cls: s.getAttribute('class'), size: box(s), visible: getComputedStyle(s).display !== 'none',
  marks: [...s.querySelectorAll('rect')].filter(r => box(r)[0] > 0 && box(r)[1] > 0).length }));
const result = { charts, tables: document.querySelectorAll('table').length,
  pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
  h1: document.querySelector('h1').textContent };
document.body.insertAdjacentHTML('beforeend', '<pre id="meas' + 'ured">' + JSON.stringify(result) + '</pre>');
</script>
"""


def chromium(*args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
            capture_output=True, text=True, timeout=timeout)


def measure_layout(html_path: Path, script: str, width: int, stem: str) -> dict:
    """Lay the report out `width` px wide with a probe `script` added and read the JSON it
    writes into `<pre id="measured">`. Below 500 px (the narrowest window headless Chromium
    opens) the report is laid out in a frame that wide."""
    html = html_path.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = html.replace("</body>", script + "</body>")
    probe = html_path.with_name(f"{stem}-{width}.html")
    if width >= 500:
        probe.write_text(html, encoding="utf-8")
        proc = chromium(f"--window-size={width},1600", "--dump-dom", probe.as_uri())
    else:
        frame = html.replace("&", "&amp;").replace('"', "&quot;")
        probe.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe srcdoc="{frame}" '
                         f'style="width:{width}px;height:3000px;border:0"></iframe></body></html>', encoding="utf-8")
        proc = chromium("--window-size=800,3000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    code, _, err = run_build([EXAMPLE], out, "html")
    assert code == 0, err
    return out / "fy2027.html"


def measure(report: Path, width: int) -> dict:
    html = report.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = report.with_name(f"probe-{width}.html")
    probe.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    proc = chromium(f"--window-size={width},1400", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_report_renders_without_console_errors(report):
    proc = chromium("--window-size=1200,1600", "--dump-dom", report.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "<h1>FY2027 Sales Targets</h1>" in proc.stdout
    assert proc.stdout.count("<svg") > 15
    problems = [line for line in proc.stderr.splitlines()
                if "CONSOLE" in line or "Content Security Policy" in line or "Refused to" in line]
    assert not problems, problems


@pytest.mark.parametrize("width", [1200, 420])
def test_charts_are_visible_with_a_size(report, width):
    m = measure(report, width)
    assert m["h1"] == "FY2027 Sales Targets"
    assert m["tables"] > 10
    charts = m["charts"]
    assert len(charts) > 15
    for chart in charts:
        w, h = chart["size"]
        assert w > 100 and h > 5, chart
        assert chart["visible"] and chart["marks"] > 0, chart
    # a phone gets no sideways scrolling of the page (wide tables scroll inside their own box)
    assert m["pageWidth"] <= m["viewport"], m


def test_prints_on_a4(report, tmp_path):
    pdf = tmp_path / "report.pdf"
    proc = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    assert pdf.exists(), proc.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data))
    assert sizes and all(abs(float(w) - 595) < 1 and abs(float(h) - 842) < 1 for w, h in sizes), sizes
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 5
