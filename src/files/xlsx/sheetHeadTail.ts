/**
 * The text of an edited worksheet before and after its rows: the <dimension> widened to the written
 * cells, new <tablePart> entries, and the relationships namespace prefix they need on <worksheet>.
 */
import { RangeRef, formatRange, parseRange } from "./cellRef";
import type { SheetXml } from "./sheetScan";
import { escapeRegExp, q, setAttr } from "./xml";

/** `head` with the <dimension> ref widened to `bounds` (the written cells with content), when there are any. */
export function updateDimension(sheet: SheetXml, head: string, bounds: RangeRef | null): string {
  if (!bounds) return head;
  const re = new RegExp(`<${escapeRegExp(q(sheet.prefix, "dimension"))}\\b[^>]*>`);
  const m = re.exec(head);
  if (!m) return head;
  const refMatch = /\bref\s*=\s*["']([^"']*)["']/.exec(m[0]);
  const old = refMatch ? parseRange(refMatch[1]) : null;
  const b = bounds;
  const r: RangeRef = old
    ? {
        c0: Math.min(old.c0, b.c0),
        r0: Math.min(old.r0, b.r0),
        c1: Math.max(old.c1, b.c1),
        r1: Math.max(old.r1, b.r1),
      }
    : b;
  return (
    head.slice(0, m.index) +
    setAttr(m[0], "ref", formatRange(r)) +
    head.slice(m.index + m[0].length)
  );
}

/** Adds <tablePart> entries: into an existing <tableParts>, else a new one before <extLst> (schema order). */
export function addTablePartsTo(
  sheet: SheetXml,
  tail: string,
  tableParts: readonly string[],
  rPrefix: string
): string {
  const p = sheet.prefix;
  const items = tableParts.map((id) => `<${q(p, "tablePart")} ${rPrefix}:id="${id}"/>`).join("");
  const tpRe = new RegExp(`<${escapeRegExp(q(p, "tableParts"))}\\b[^>]*?(/?)>`);
  const m = tpRe.exec(tail);
  if (m) {
    const countMatch = /\bcount\s*=\s*["'](\d+)["']/.exec(m[0]);
    const count = (countMatch ? parseInt(countMatch[1], 10) : 0) + tableParts.length;
    let tag = setAttr(m[0], "count", String(count));
    if (m[1]) {
      tag = tag.slice(0, -2).replace(/\s+$/, "") + ">";
      return (
        tail.slice(0, m.index) +
        tag +
        items +
        `</${q(p, "tableParts")}>` +
        tail.slice(m.index + m[0].length)
      );
    }
    const close = tail.indexOf(`</${q(p, "tableParts")}>`, m.index);
    return (
      tail.slice(0, m.index) +
      tag +
      tail.slice(m.index + m[0].length, close) +
      items +
      tail.slice(close)
    );
  }
  const block = `<${q(p, "tableParts")} count="${tableParts.length}">${items}</${q(p, "tableParts")}>`;
  const ext = new RegExp(`<${escapeRegExp(q(p, "extLst"))}[\\s>]`).exec(tail);
  const at = ext ? ext.index : tail.lastIndexOf(`</${sheet.root.qname}`);
  return tail.slice(0, at) + block + tail.slice(at);
}

/** The prefix bound to the relationships namespace on <worksheet>, declaring r (or r1...) when missing. */
export function relPrefix(sheet: SheetXml, head: string): { head: string; prefix: string } {
  const root = sheet.root;
  const rootTag = head.slice(root.start, root.openEnd);
  const m =
    /\sxmlns:([\w.-]+)\s*=\s*["']http:\/\/(?:schemas\.openxmlformats\.org\/officeDocument\/2006|purl\.oclc\.org\/ooxml\/officeDocument)\/relationships["']/.exec(
      rootTag
    );
  if (m) return { head, prefix: m[1] };
  const strict = /purl\.oclc\.org/.test(rootTag);
  const uri = strict
    ? "http://purl.oclc.org/ooxml/officeDocument/relationships"
    : "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  let prefix = "r";
  for (let n = 1; new RegExp(`\\sxmlns:${prefix}\\s*=`).test(rootTag); n++) prefix = `r${n}`;
  const tag = setAttr(rootTag, `xmlns:${prefix}`, uri);
  return { head: head.slice(0, root.start) + tag + head.slice(root.openEnd), prefix };
}
