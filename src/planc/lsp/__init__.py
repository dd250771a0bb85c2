"""`planc lsp`: the language server (docs/lsp.md), built on pygls and lsprotocol.

Only `planc lsp` imports this package's modules, so no other command pays
for pygls at start-up. The modules:

| module | job |
| --- | --- |
| `server.py` | pygls wiring: each LSP method to the function that answers it |
| `workspace.py` | the open documents, debounced checks, watched files, settings |
| `documents.py` | one document: its compilations (the latest and the last good one), diagnostics |
| `positions.py` | offsets <-> LSP positions (UTF-16 by default), URIs |
| `index.py` | every name of a compilation, for look-ups by position and by key |
| `hover.py` | hover: the evaluator's record of each amount, tables, assertions, crosses |
| `inlay.py` | inlay hints: computed amounts and shares after children and cross cells |
| `completion.py` | completion |
| `navigate.py` | definition (into CSV rows too), references, rename, document links |
| `actions.py` | quick fixes from diagnostics |
| `tokens.py` | semantic tokens (full and delta) |
| `symbols.py` | document and workspace symbols, formatting and range formatting |
"""
