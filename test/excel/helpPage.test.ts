/**
 * dist/help.html (scripts/build-help.js, emitted by both webpack builds): the README's user sections rendered
 * with the tiny Markdown subset; the manifest's SupportUrl points at it.
 */
import * as fs from "fs";
import * as path from "path";

const {
  HELP_SECTIONS,
  helpHtml,
  markdownToHtml,
  readmeSections,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- build-help.js is the webpack config's CommonJS helper
} = require("../../scripts/build-help.js");

const ROOT = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("help.html", () => {
  test("holds each user section's heading of the README, and none of the developer sections", () => {
    const html: string = helpHtml(readme);
    for (const h of [
      "What a run does",
      "Getting data out of Business Central",
      "Excel add-in",
      "Custom functions",
      "Reconciliation and trace",
      "Undo the last run",
    ])
      expect(html).toMatch(new RegExp(`<h2 id="[a-z-]+">${h}</h2>`));
    expect(HELP_SECTIONS).toHaveLength(6);
    for (const h of ["Tests", "Benchmark", "Layout"]) expect(html).not.toContain(`>${h}</h2>`);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<img/);
    // The Excel add-in section stops at its help:stop marker: the build and sideload notes are the developer's.
    expect(html).toContain("Automatic Cost Posting");
    expect(html).not.toContain("npm run build");
  });

  test("a section missing from the README is an error naming it, not a page without it", () => {
    expect(() =>
      readmeSections("## What a run does\n\ntext\n", ["What a run does", "Undo the last run"])
    ).toThrow(/"## Undo the last run"/);
  });

  test("the Markdown subset: headings, paragraphs, lists, code blocks, tables, inline code, bold, italic, links", () => {
    const md = [
      "### A *small* heading",
      "",
      "One line",
      "and the next, with `a < b` and **bold**.",
      "",
      "- first",
      "- second with [a link](https://example.com/x)",
      "  continued",
      "",
      "    npm run build   # code",
      "    <tag>",
      "",
      "```",
      "fenced & kept",
      "```",
      "",
      "| A | B |",
      "|---|---|",
      "| 1 | *two* |",
    ].join("\n");
    expect(markdownToHtml(md).split("\n")).toEqual([
      '<h3 id="a-small-heading">A <em>small</em> heading</h3>',
      "<p>One line and the next, with <code>a &lt; b</code> and <strong>bold</strong>.</p>",
      '<ul><li>first</li><li>second with <a href="https://example.com/x">a link</a> continued</li></ul>',
      "<pre><code>npm run build   # code",
      "&lt;tag&gt;</code></pre>",
      "<pre><code>fenced &amp; kept</code></pre>",
      '<table><thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead><tbody><tr><td>1</td><td><em>two</em></td></tr></tbody></table>',
    ]);
  });

  test("the manifest's SupportUrl is the help page", () => {
    expect(fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8")).toContain(
      '<SupportUrl DefaultValue="https://localhost:3000/help.html"/>'
    );
  });
});
