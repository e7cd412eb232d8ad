/**
 * dist/help.html: the README's user sections (HELP_SECTIONS, by heading) as a page shipped with the add-in,
 * which the manifest's SupportUrl and the task pane's Help link point at. A tiny Markdown subset (headings,
 * paragraphs, lists, code blocks, tables, inline code/bold/italic/links); images are left out (the page ships
 * without docs/). Inside a section, `<!-- help:stop -->` ends what the page takes of it (developer notes).
 */
const fs = require("fs");
const path = require("path");

const HELP_SECTIONS = [
  "What a run does",
  "Getting data out of Business Central",
  "Excel add-in",
  "Custom functions",
  "Reconciliation and trace",
  "Undo the last run",
];

const esc = (s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function inline(text) {
  const codes = [];
  let s = text.replace(/`([^`]+)`/g, (_, c) => `\u0000${codes.push(c) - 1}\u0000`);
  s = esc(s)
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, t, href) => `<a href="${href}">${t}</a>`)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w*])\*([^*\s][^*]*?)\*(?!\w)/g, "$1<em>$2</em>");
  // eslint-disable-next-line no-control-regex -- NUL marks a code span's placeholder: it cannot occur in the README's text
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => `<code>${esc(codes[Number(i)])}</code>`);
}

const cells = (line) =>
  line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());

/** Markdown (the subset above) to HTML. */
function markdownToHtml(md) {
  const lines = md.replace(/\r\n/g, "\n").split("\n");
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "" || /^---+\s*$/.test(line) || /^<!--.*-->\s*$/.test(line.trim())) {
      i++;
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const id = h[2]
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
      out.push(`<h${h[1].length} id="${id}">${inline(h[2])}</h${h[1].length}>`);
      i++;
      continue;
    }
    if (/^```/.test(line)) {
      const code = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) code.push(lines[i]);
      i++;
      out.push(`<pre><code>${esc(code.join("\n"))}</code></pre>`);
      continue;
    }
    if (/^ {4}/.test(line)) {
      const code = [];
      while (
        i < lines.length &&
        (/^ {4}/.test(lines[i]) || (lines[i].trim() === "" && /^ {4}/.test(lines[i + 1] ?? "")))
      )
        code.push(lines[i++].slice(4));
      out.push(`<pre><code>${esc(code.join("\n"))}</code></pre>`);
      continue;
    }
    if (/^\|/.test(line) && /^\|?\s*:?-{3,}/.test(lines[i + 1] ?? "")) {
      const head = cells(line);
      i += 2;
      const body = [];
      while (i < lines.length && /^\|/.test(lines[i])) body.push(cells(lines[i++]));
      out.push(
        `<table><thead><tr>${head.map((c) => `<th scope="col">${inline(c)}</th>`).join("")}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`
      );
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items = [];
      while (i < lines.length && lines[i].trim() !== "") {
        if (item.test(lines[i])) items.push(lines[i].replace(item, ""));
        else items[items.length - 1] += " " + lines[i].trim();
        i++;
      }
      const tag = ordered ? "ol" : "ul";
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t)}</li>`).join("")}</${tag}>`);
      continue;
    }
    const para = [];
    while (
      i < lines.length &&
      lines[i].trim() !== "" &&
      !/^(#{1,6}\s|```|\||\s*([-*]|\d+\.)\s)/.test(lines[i]) &&
      !/^ {4}/.test(lines[i])
    )
      para.push(lines[i++].trim());
    if (para.length === 0) para.push(lines[i++].trim());
    out.push(`<p>${inline(para.join(" "))}</p>`);
  }
  return out.join("\n");
}

/** The README's sections with these `## ` headings (each up to the next `## `, or its help:stop marker), in README order. */
function readmeSections(md, headings) {
  const parts = md.replace(/\r\n/g, "\n").split(/^(?=## )/m);
  const found = parts.filter((p) =>
    headings.includes(
      p
        .split("\n")[0]
        .replace(/^##\s+/, "")
        .trim()
    )
  );
  const missing = headings.filter((h) => !found.some((p) => p.startsWith(`## ${h}\n`)));
  if (missing.length)
    throw new Error(
      `README.md has no section ${missing.map((h) => `"## ${h}"`).join(", ")} for help.html`
    );
  return found.map((p) => p.split("<!-- help:stop -->")[0].trimEnd()).join("\n\n");
}

function helpHtml(readme) {
  const body = markdownToHtml(readmeSections(readme, HELP_SECTIONS));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Help: Post Inventory Cost to G/L</title>
<style>
:root { color-scheme: light dark; }
body { font-family: 'Segoe UI', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif; font-size: 14px; line-height: 1.5; max-width: 52rem; margin: 0 auto; padding: 12px 16px; overflow-wrap: anywhere; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 15px; }
code { font-family: Consolas, 'Courier New', monospace; font-size: 13px; }
pre { padding: 8px 12px; overflow-x: auto; border: 1px solid #8884; border-radius: 4px; }
table { border-collapse: collapse; display: block; overflow-x: auto; margin: 8px 0; }
th, td { border: 1px solid #8886; padding: 4px 8px; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<main>
<h1>Post Inventory Cost to G/L: help</h1>
${body}
</main>
</body>
</html>
`;
}

module.exports = { HELP_SECTIONS, markdownToHtml, readmeSections, helpHtml };

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const target = process.argv[2] ?? path.join(root, "dist", "help.html");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, helpHtml(fs.readFileSync(path.join(root, "README.md"), "utf8")));
  console.log(`wrote ${target}`);
}
