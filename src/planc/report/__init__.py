"""Target reports: `planc build` turns a compiled plan into HTML, Markdown,
JSON and CSV.

    view.py      Compilation -> a plain view-model (attrs classes), no formatting
    i18n.py      words and number formats for `--lang en|zh`
    render.py    the Jinja2 environment (built once) and the HTML/Markdown renderers
    charts.py    the y-axis of the Markdown bar charts (from 0, in M or 万)
    data.py      JSON and CSV (no templates)
    xlsx.py      the Excel workbook (XlsxWriter, imported only for --format xlsx)
    build.py     the command: compile, render everything in memory, write atomically

Only this package imports Jinja2, so `planc check` never loads it.
"""
