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
  readStartTag,
  rootElement,
  snippet,
  textContent,
} from "./xml";

export function parseSharedStrings(xml: string): string[] {
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
    out.push(stringItemText(xml, tag.openEnd, e, p));
    i = xml.indexOf(">", e) + 1;
  }
  return out;
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
