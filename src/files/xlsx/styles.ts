/**
 * xl/styles.xml: looks up the number format of a cell style, and adds the few cell formats a write needs
 * (append only, so every existing style index keeps its meaning; counts updated).
 */
import {
  XML_DECLARATION,
  XmlElement,
  appendChildText,
  childElements,
  escapeAttr,
  insertChildInOrder,
  parseAttrs,
  q,
  rootElement,
  startTag,
} from "./xml";

const STYLESHEET_ORDER = [
  "numFmts",
  "fonts",
  "fills",
  "borders",
  "cellStyleXfs",
  "cellXfs",
  "cellStyles",
  "dxfs",
  "tableStyles",
  "colors",
  "extLst",
] as const;

/** Built-in number formats that show dates or times. */
const BUILTIN_DATE_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

// The formats every writer shares (the add-in writes the same ones): workbook/cellFormats.ts.
export { accountingFormat as moneyFormat, DATE_FORMAT } from "../../workbook/cellFormats";

/** Whether a format code shows a date or time (ignoring quoted text, escapes, colours and locales). */
export function isDateFormatCode(code: string): boolean {
  let s = code.split(";")[0];
  s = s
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/[_*]./g, "");
  s = s.replace(/\[(?![hms]+\])[^\]]*\]/gi, "");
  return /[dmyhs]/i.test(s);
}

export const MINIMAL_STYLES =
  XML_DECLARATION +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  "</styleSheet>";

interface Xf {
  attrs: Record<string, string>;
  /** Child elements (alignment, protection) as written. */
  inner: string;
}

export class Styles {
  private readonly numFmts = new Map<number, string>();
  private readonly xfs: Xf[] = [];
  private readonly newNumFmts: string[] = [];
  private readonly newXfs: string[] = [];
  private readonly cache = new Map<string, number>();

  constructor(private readonly xml: string) {
    const root = rootElement(xml);
    for (const el of childElements(xml, root)) {
      if (el.local === "numFmts") {
        for (const f of childElements(xml, el)) {
          const a = parseAttrs(startTag(xml, f));
          if (f.local === "numFmt" && a.numFmtId !== undefined)
            this.numFmts.set(parseInt(a.numFmtId, 10), a.formatCode ?? "");
        }
      } else if (el.local === "cellXfs") {
        for (const x of childElements(xml, el)) {
          if (x.local !== "xf") continue;
          this.xfs.push({
            attrs: parseAttrs(startTag(xml, x)),
            inner: xml.slice(x.openEnd, x.contentEnd),
          });
        }
      }
    }
  }

  get changed(): boolean {
    return this.newXfs.length > 0;
  }

  numFmtId(xf: number): number {
    const x = this.xfs[xf];
    return x ? parseInt(x.attrs.numFmtId ?? "0", 10) : 0;
  }

  isDateStyle(xf: number): boolean {
    const id = this.numFmtId(xf);
    if (BUILTIN_DATE_IDS.has(id)) return true;
    const code = this.numFmts.get(id);
    return code !== undefined && isDateFormatCode(code);
  }

  /**
   * A cell format showing `formatCode`: `base`'s font, fill, border and alignment with that number
   * format, or plain when there is no base. Reuses an identical existing format when there is one.
   */
  styleFor(formatCode: string, base = 0): number {
    const key = `${base}\u0000${formatCode}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const numFmtId = this.numFmtFor(formatCode);
    const baseXf = this.xfs[base] ?? { attrs: {}, inner: "" };
    const attrs: Record<string, string> = {
      numFmtId: String(numFmtId),
      fontId: baseXf.attrs.fontId ?? "0",
      fillId: baseXf.attrs.fillId ?? "0",
      borderId: baseXf.attrs.borderId ?? "0",
      xfId: baseXf.attrs.xfId ?? "0",
    };
    for (const [k, v] of Object.entries(baseXf.attrs)) if (!(k in attrs)) attrs[k] = v;
    attrs.applyNumberFormat = "1";
    const inner = baseXf.inner;
    const want = normalizeXf(attrs, inner);
    let index = this.xfs.findIndex((x) => normalizeXf(x.attrs, x.inner) === want);
    if (index < 0) {
      index = this.xfs.length;
      this.xfs.push({ attrs, inner });
      const attrText = Object.entries(attrs)
        .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
        .join("");
      this.newXfs.push(inner ? `<xf${attrText}>${inner}</xf>` : `<xf${attrText}/>`);
    }
    this.cache.set(key, index);
    return index;
  }

  private numFmtFor(code: string): number {
    if (code === "General") return 0;
    for (const [id, c] of this.numFmts) if (c === code) return id;
    let id = 164;
    for (const k of this.numFmts.keys()) id = Math.max(id, k + 1);
    this.numFmts.set(id, code);
    this.newNumFmts.push(`<numFmt numFmtId="${id}" formatCode="${escapeAttr(code)}"/>`);
    return id;
  }

  /** The stylesheet with the added formats, or undefined when nothing was added. */
  result(): string | undefined {
    if (!this.changed) return undefined;
    let xml = this.xml;
    const p = rootElement(xml).prefix;
    const pre = (s: string) => (p ? s.replace(/<(\/?)(numFmt|xf)\b/g, `<$1${p}:$2`) : s);
    xml = appendChildren(xml, "cellXfs", pre(this.newXfs.join("")), this.xfs.length);
    if (this.newNumFmts.length) {
      const count = this.numFmtsCountAfter();
      xml = appendChildren(xml, "numFmts", pre(this.newNumFmts.join("")), count);
    }
    return xml;
  }

  private numFmtsCountAfter(): number {
    const root = rootElement(this.xml);
    const el = childElements(this.xml, root).find((e) => e.local === "numFmts");
    const before = el ? childElements(this.xml, el).filter((e) => e.local === "numFmt").length : 0;
    return before + this.newNumFmts.length;
  }
}

function normalizeXf(attrs: Record<string, string>, inner: string): string {
  const a = Object.entries(attrs)
    .filter(([k, v]) => !(k.startsWith("apply") && v === "0"))
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `${a}|${inner.trim()}`;
}

/** Appends children to a top-level element of the stylesheet (creating it in schema order) and sets count. */
function appendChildren(xml: string, local: string, children: string, count: number): string {
  const root = rootElement(xml);
  const el: XmlElement | undefined = childElements(xml, root).find((e) => e.local === local);
  if (!el) {
    const qn = q(root.prefix, local);
    return insertChildInOrder(
      xml,
      root,
      local,
      `<${qn} count="${count}">${children}</${qn}>`,
      STYLESHEET_ORDER
    );
  }
  let tag = startTag(xml, el);
  tag = /\scount\s*=/.test(tag)
    ? tag.replace(/(\scount\s*=\s*)("[^"]*"|'[^']*')/, `$1"${count}"`)
    : tag.replace(/\s*(\/?)>$/, ` count="${count}"$1>`);
  return appendChildText(xml, el, children, tag);
}
