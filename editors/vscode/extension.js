// The planc extension: starts `planc lsp --stdio` for .plan files and hands it to
// VS Code's language client. Highlighting needs no code: it is the TextMate grammar
// in syntaxes/, declared in package.json.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("planc");
  const command = config.get("path", "planc");
  // `planc lsp --stdio`: the flag every language client passes, written out here (with no
  // `transport`, vscode-languageclient talks over stdio and adds nothing to the arguments).
  const args = [...config.get("args", []), "lsp", "--stdio"];
  return { command, args };
}

async function start(context) {
  client = new LanguageClient(
    "planc",
    "planc",
    serverOptions(),
    {
      documentSelector: [{ language: "plan" }],
      synchronize: {
        fileEvents: [
          vscode.workspace.createFileSystemWatcher("**/*.plan"),
          vscode.workspace.createFileSystemWatcher("**/*.csv"),
          vscode.workspace.createFileSystemWatcher("**/{planc.toml,pyproject.toml}"),
        ],
      },
    },
  );
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("planc.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      await start(context);
    }),
  );
  try {
    await start(context);
  } catch (err) {
    vscode.window.showErrorMessage(
      `planc: could not start \`planc lsp\` (${err.message}). Set "planc.path" to the planc executable.`,
    );
  }
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate };
