/** The shared string table (xl/sharedStrings.xml) and the text of string items (<si>, inline <is>). */
import { decodeEntities, decodeXstring, q, rootElement } from './xml';

export function parseSharedStrings(xml: string): string[] {
  const root = rootElement(xml);
  const p = root.prefix;
  const siOpen = `<${q(p, 'si')}`;
  const siClose = `</${q(p, 'si')}>`;
  const out: string[] = [];
  let i = root.openEnd;
  for (;;) {
    const s = xml.indexOf(siOpen, i);
    if (s < 0 || s >= root.contentEnd) break;
    const after = xml.charCodeAt(s + siOpen.length);
    const gt = xml.indexOf('>', s);
    if (after !== 62 && after !== 32 && after !== 47 && after !== 9 && after !== 10 && after !== 13) {
      i = gt + 1; // some other element whose name starts with "si"
      continue;
    }
    if (xml.charCodeAt(gt - 1) === 47) {
      out.push('');
      i = gt + 1;
      continue;
    }
    const e = xml.indexOf(siClose, gt);
    if (e < 0) throw new Error('unterminated <si>');
    out.push(stringItemText(xml, gt + 1, e, p));
    i = e + siClose.length;
  }
  return out;
}

/**
 * The text of a string item's content [from, to): its <t> elements, directly or in rich-text runs <r>,
 * but not the phonetic guides (<rPh>), which Excel does not show as cell text.
 */
export function stringItemText(xml: string, from: number, to: number, prefix: string): string {
  // Work on the item alone so that no search runs past its end (a big sheet would make that quadratic).
  const item = xml.slice(from, to);
  const tOpen = `<${q(prefix, 't')}`;
  const tClose = `</${q(prefix, 't')}>`;
  // Fast path: a single plain <t>.
  if (item.startsWith(`${tOpen}>`) && item.endsWith(tClose) && item.indexOf('<', tOpen.length + 1) === item.length - tClose.length) {
    return decodeXstring(decodeEntities(item.slice(tOpen.length + 1, item.length - tClose.length)));
  }
  const rPhOpen = `<${q(prefix, 'rPh')}`;
  const rPhClose = `</${q(prefix, 'rPh')}>`;
  let text = '';
  let i = 0;
  let nextRph = item.indexOf(rPhOpen);
  for (;;) {
    const s = item.indexOf(tOpen, i);
    if (s < 0) break;
    if (nextRph >= 0 && nextRph < s) {
      // skip the whole phonetic run
      const e = item.indexOf(rPhClose, nextRph);
      if (e < 0) break;
      i = e + rPhClose.length;
      nextRph = item.indexOf(rPhOpen, i);
      continue;
    }
    const after = item.charCodeAt(s + tOpen.length);
    const gt = item.indexOf('>', s);
    if (gt < 0) break;
    if (after !== 62 && after !== 32 && after !== 47 && after !== 9 && after !== 10 && after !== 13) {
      i = gt + 1;
      continue;
    }
    if (item.charCodeAt(gt - 1) === 47) {
      i = gt + 1; // <t/>
      continue;
    }
    const e = item.indexOf(tClose, gt);
    if (e < 0) break;
    text += item.slice(gt + 1, e);
    i = e + tClose.length;
  }
  return decodeXstring(decodeEntities(text));
}
