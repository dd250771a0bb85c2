// Loads extension.js with stand-ins for `vscode` and `vscode-languageclient/node`,
// activates it, and prints what it would start: the command, its arguments and the
// documents it serves. Settings come as JSON in argv[2]. Run by tests/test_vscode_extension.py.
"use strict";

const Module = require("module");
const path = require("path");

const settings = JSON.parse(process.argv[2] || "{}");
const started = [];

const vscode = {
  workspace: {
    getConfiguration: () => ({ get: (key, fallback) => (key in settings ? settings[key] : fallback) }),
    createFileSystemWatcher: (glob) => ({ glob }),
  },
  commands: { registerCommand: (name) => ({ name, dispose() {} }) },
  window: { showErrorMessage: (message) => started.push({ error: message }) },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    started.push({ id, serverOptions, clientOptions });
  }
  async start() {}
  async stop() {}
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient };
  return load.call(this, request, parent, isMain);
};

const extension = require(path.resolve(__dirname, "..", "extension.js"));
extension.activate({ subscriptions: [] }).then(() => {
  const { serverOptions, clientOptions } = started[0];
  process.stdout.write(JSON.stringify({
    command: serverOptions.command,
    args: serverOptions.args,
    transport: serverOptions.transport === undefined ? null : serverOptions.transport,
    documentSelector: clientOptions.documentSelector,
    watched: clientOptions.synchronize.fileEvents.map((w) => w.glob),
    count: started.length,
  }));
});
