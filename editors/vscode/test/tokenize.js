// Tokenizes plan texts with the extension's TextMate grammar, as VS Code does
// (vscode-textmate on the Oniguruma regex engine compiled to WebAssembly).
// Input on stdin: {"texts": ["...", ...], "scope": "source.plan"}; with the scope
// "text.html.markdown" the texts are Markdown (a bare stand-in for VS Code's own
// Markdown grammar) into which the extension injects ```plan blocks. Output on stdout: for each text, for
// each line, a list of [token text, [scopes...]]. Run by tests/test_vscode_extension.py.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = path.resolve(__dirname, "..");
const grammars = {
  "source.plan": path.join(here, "syntaxes", "plan.tmLanguage.json"),
  "markdown.plan.codeblock": path.join(here, "syntaxes", "plan.markdown.tmLanguage.json"),
};
const MARKDOWN = { scopeName: "text.html.markdown", patterns: [] };

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    getInjections: (scopeName) => (scopeName === "text.html.markdown" ? ["markdown.plan.codeblock"] : undefined),
    loadGrammar: async (scopeName) => {
      if (scopeName === MARKDOWN.scopeName) return vsctm.parseRawGrammar(JSON.stringify(MARKDOWN), "markdown.json");
      const file = grammars[scopeName];
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const grammar = await registry.loadGrammar(input.scope || "source.plan");
  const out = input.texts.map((text) => {
    let state = vsctm.INITIAL;
    return text.split(/\r?\n/).map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
    });
  });
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
