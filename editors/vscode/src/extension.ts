// The VS Code extension: starts `codetable lsp` (found by ./server.ts) with the settings of
// ./settings.ts as initializationOptions, sends them again on every change of the `codetable`
// section, and restarts the server when its path changes. Everything the user sees (diagnostics,
// hovers, quick fixes, the explanation command) is the server's.

import * as fs from "fs";
import * as os from "os";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { resolveServer } from "./server";
import { needsRestart, serverSettings } from "./settings";

const LANGUAGES = [
  "python",
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
  "java",
  "kotlin",
  "go",
  "rust",
  "c",
  "cpp",
];

let client: LanguageClient | undefined;

function settings() {
  const section = vscode.workspace.getConfiguration("codetable");
  return serverSettings(<T>(key: string) => section.get<T>(key), os.homedir());
}

async function start(context: vscode.ExtensionContext, output: vscode.OutputChannel) {
  const machine = {
    platform: process.platform,
    arch: process.arch,
    isFile: (file: string) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    },
    pathVariable: process.env.PATH,
  };
  const configured = vscode.workspace.getConfiguration("codetable").get<string>("server.path", "");
  let server;
  try {
    server = resolveServer(configured, context.extensionPath, machine, os.homedir());
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(message);
    output.appendLine(message);
    return;
  }
  output.appendLine(`codetable: starting ${server.command} (${server.source})`);
  const run = { command: server.command, args: server.args, transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ language })),
    initializationOptions: settings(),
    outputChannel: output,
  };
  client = new LanguageClient("codetable", "codetable", serverOptions, clientOptions);
  await client.start();
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("codetable");
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand("codetable.restartServer", async () => {
      await stop();
      await start(context, output);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("codetable")) {
        return;
      }
      if (needsRestart((s) => event.affectsConfiguration(s)) || !client) {
        await stop();
        await start(context, output);
      } else {
        await client.sendNotification("workspace/didChangeConfiguration", {
          settings: { codetable: settings() },
        });
      }
    }),
  );
  await start(context, output);
}

export async function deactivate(): Promise<void> {
  await stop();
}
