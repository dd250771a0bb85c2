// Parse every ```mermaid block of the Markdown files named on the command line
// with Mermaid's own parser (in a jsdom window, as Mermaid needs a DOM).
// Prints one line per failing block and exits 1 if any failed.
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await import("mermaid")).default;
mermaid.initialize({ startOnLoad: false });

let blocks = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/```mermaid\n([\s\S]*?)```/g)) {
    blocks++;
    try {
      await mermaid.parse(match[1]);
    } catch (error) {
      failed++;
      const reason = String(error.message || error).split("\n").slice(0, 3).join(" | ");
      console.log(`${file}: ${reason}\n${match[1]}`);
    }
  }
}
console.log(`${blocks} blocks, ${failed} failed`);
process.exit(failed ? 1 : 0);
