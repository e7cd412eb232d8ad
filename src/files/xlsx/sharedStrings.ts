/** The shared string table (xl/sharedStrings.xml) and the text of string items (<si>, inline <is>). */
import {
  XmlError,
  decodeEntities,
  decodeXstring,
  elementAt,
  elementEnd,
  hasMarkupDeclarations,
  nextTag,
  q,
  XML_DECLARATION,
  encodeXstring,
  escapeText,
  readStartTag,
  rootElement,
  setAttr,
  snippet,
  textContent,
} from "./xml";

/**
 * The items of a shared string table, in order. `rich`, when given, gets the index of every item that is
 * more than one plain <t> (rich-text runs, phonetic guides, comments, CDATA): a new plain cell of the same
 * text must not take such an item, which shows formatting the cell does not have.
 */
export function parseSharedStrings(xml: string, rich?: Set<number>): string[] {
  const root = rootElement(xml);
  const p = root.prefix;
  const siQ = q(p, "si");
  const siOpen = `<${siQ}`;
  const siClose = `</${siQ}>`;
  // With comments or CDATA in the table, items are found tag by tag (a comment may hold "<si>").
  const careful = hasMarkupDeclarations(xml, root.openEnd, root.contentEnd);
  const out: string[] = [];
  let i = root.openEnd;
  for (;;) {
    const s = careful ? nextTag(xml, i, root.contentEnd) : xml.indexOf("<", i);
    if (s < 0 || s >= root.contentEnd) break;
    const after = xml.charCodeAt(s + siOpen.length);
    if (
      !xml.startsWith(siOpen, s) ||
      !(after === 62 || after === 32 || after === 47 || after === 9 || after === 10 || after === 13)
    ) {
      if (xml.charCodeAt(s + 1) === 47)
        throw new XmlError(`unexpected end tag "${snippet(xml, s)}"`);
      i = elementAt(xml, s).end; // some other element (extLst)
      continue;
    }
    const tag = readStartTag(xml, s);
    if (tag.selfClosing) {
      out.push("");
      i = tag.openEnd;
      continue;
    }
    const e = careful
      ? elementEnd(xml, siQ, tag.openEnd, root.contentEnd).contentEnd
      : xml.indexOf(siClose, tag.openEnd);
    if (e < 0 || e > root.contentEnd)
      throw new XmlError(`shared string ${out.length} is not closed (no </si>)`);
    if (rich && !isPlainItem(xml, tag.openEnd, e, p)) rich.add(out.length);
    out.push(stringItemText(xml, tag.openEnd, e, p));
    i = xml.indexOf(">", e) + 1;
  }
  return out;
}

/** Whether a string item's content [from, to) is a single <t> element holding only text. */
function isPlainItem(xml: string, from: number, to: number, prefix: string): boolean {
  const tQ = q(prefix, "t");
  if (!xml.startsWith(`<${tQ}`, from)) return false;
  const after = xml.charCodeAt(from + tQ.length + 1);
  if (after !== 62 && after !== 32) return false; // <t> or <t xml:space="preserve">, not <tx>
  const gt = xml.indexOf(">", from);
  const lt = xml.indexOf("<", gt);
  return (
    lt === to - tQ.length - 3 && xml.startsWith(`</${tQ}>`, lt) && xml.charCodeAt(gt - 1) !== 47
  );
}

/**
 * The text of a string item's content [from, to): its <t> elements, directly or in rich-text runs <r>,
 * but not the phonetic guides (<rPh>), which Excel does not show as cell text. Read as an XML parser
 * gives it: entities decoded, CDATA as written, comments skipped.
 */
export function stringItemText(xml: string, from: number, to: number, prefix: string): string {
  const tQ = q(prefix, "t");
  const tOpen = `<${tQ}`;
  const tClose = `</${tQ}>`;
  // Fast path: a single plain <t> (no other markup inside).
  if (
    xml.startsWith(`${tOpen}>`, from) &&
    to - from >= tOpen.length + 1 + tClose.length &&
    xml.startsWith(tClose, to - tClose.length)
  ) {
    const ts = from + tOpen.length + 1;
    const lt = xml.indexOf("<", ts);
    if (lt === to - tClose.length) return decodeXstring(decodeEntities(xml.slice(ts, lt)));
  }
  const rPhQ = q(prefix, "rPh");
  let text = "";
  let i = from;
  for (;;) {
    const lt = nextTag(xml, i, to);
    if (lt < 0) break;
    if (xml.charCodeAt(lt + 1) === 47) {
      // the end tag of a run (</r>)
      const gt = xml.indexOf(">", lt);
      if (gt < 0 || gt >= to) throw new XmlError(`malformed end tag "${snippet(xml, lt)}"`);
      i = gt + 1;
      continue;
    }
    const tag = readStartTag(xml, lt);
    if (tag.qname === rPhQ) {
      i = elementAt(xml, lt).end; // the whole phonetic run
      continue;
    }
    if (tag.qname === tQ) {
      if (tag.selfClosing) {
        i = tag.openEnd;
        continue;
      }
      const { contentEnd, end } = elementEnd(xml, tQ, tag.openEnd, to);
      text += textContent(xml, tag.openEnd, contentEnd);
      i = end;
      continue;
    }
    i = tag.openEnd; // <r>, <rPr> and its children: go inside
  }
  return decodeXstring(text);
}

/** Whether a text needs xml:space="preserve" on its <t> (leading, trailing or doubled spaces, tabs, newlines). */
export function needsPreserve(text: string): boolean {
  return /^\s|\s$|\s\s|[\t\n]/.test(text);
}

/** A string item <si><t>text</t></si> (prefixed like the table it goes into). */
export function stringItem(prefix: string, text: string): string {
  const t = q(prefix, "t");
  const space = needsPreserve(text) ? ' xml:space="preserve"' : "";
  return `<${q(prefix, "si")}><${t}${space}>${escapeText(encodeXstring(text))}</${t}></${q(prefix, "si")}>`;
}

/**
 * The shared string table of a write: the workbook's items, kept at their indices, and the texts the
 * write's cells add, appended. A text already in the table as a plain item is referred to there.
 */
export class SharedStringsOut {
  private index?: Map<string, number>;
  private all?: string[];
  private addedFrom = 0;

  constructor(
    private readonly base: () => readonly string[],
    private readonly rich: () => ReadonlySet<number>
  ) {}

  /** The index of `text` (non-empty), appending it when the table does not have it. */
  indexOf = (text: string): number => {
    const index = this.index ?? this.load();
    let i = index.get(text);
    if (i === undefined) {
      i = this.all!.length;
      this.all!.push(text);
      index.set(text, i);
    }
    return i;
  };

  /** Every item after the write's additions so far (for reading written cells back). */
  strings = (): readonly string[] => {
    if (!this.all) this.load();
    return this.all!;
  };

  /** The texts appended, in index order. */
  get added(): readonly string[] {
    return this.all ? this.all.slice(this.addedFrom) : [];
  }

  private load(): Map<string, number> {
    const base = this.base();
    const rich = this.rich();
    const index = new Map<string, number>();
    for (let i = 0; i < base.length; i++)
      if (!rich.has(i) && !index.has(base[i])) index.set(base[i], i);
    this.all = base.slice();
    this.addedFrom = base.length;
    this.index = index;
    return index;
  }
}

/**
 * The shared string part with `added` appended after its `count` items (before an extLst), in pieces: the
 * existing items are copied as they are (their indices and formatting unchanged). uniqueCount is set to
 * the number of items; count (the number of cells referring to the table, optional) is dropped, as the
 * write does not count the references it replaces. Without a part (`xml` undefined), a new one.
 */
export function* sharedStringsPart(
  xml: string | undefined,
  mainNs: string,
  count: number,
  added: readonly string[]
): Generator<string, void, undefined> {
  let p = "";
  let tail = "</sst>";
  if (xml === undefined)
    yield `${XML_DECLARATION}<sst xmlns="${mainNs}" uniqueCount="${added.length}">`;
  else {
    const root = rootElement(xml);
    p = root.prefix;
    let at = root.contentEnd;
    if (!root.selfClosing) {
      const ext = xml.indexOf(`<${q(p, "extLst")}`, root.openEnd);
      if (ext >= 0 && ext < root.contentEnd) at = ext;
    }
    let tag = xml.slice(root.start, root.openEnd);
    tag = setAttr(setAttr(tag, "count", null), "uniqueCount", String(count + added.length));
    if (root.selfClosing) {
      yield xml.slice(0, root.start) + tag.replace(/\s*\/>$/, ">");
      tail = `</${root.qname}>` + xml.slice(root.end);
    } else {
      yield xml.slice(0, root.start) + tag;
      yield xml.slice(root.openEnd, at);
      tail = xml.slice(at);
    }
  }
  let piece = "";
  for (const text of added) {
    piece += stringItem(p, text);
    if (piece.length >= 1 << 16) {
      yield piece;
      piece = "";
    }
  }
  yield piece + tail;
}
