/**
 * Just enough XML for patching OOXML parts: locate elements by local name (any namespace prefix), read
 * and edit start-tag attributes, escape and unescape text. Parts are edited as strings so everything we
 * do not understand (extensions, mc:AlternateContent, unknown attributes) is kept exactly as it was.
 */

export interface XmlElement {
  /** Qualified name as written, e.g. "x:row" or "row". */
  qname: string;
  local: string;
  prefix: string;
  /** Index of '<'. */
  start: number;
  /** Index just after the start tag's '>'. */
  openEnd: number;
  /** Content is [openEnd, contentEnd); equal for a self-closing element. */
  contentEnd: number;
  /** Index just after the end tag (or the self-closing start tag). */
  end: number;
  selfClosing: boolean;
}

const NAME_END = /[\s/>]/g;

/** Reads the start tag whose '<' is at `at`. */
export function readStartTag(xml: string, at: number): { qname: string; openEnd: number; selfClosing: boolean } {
  NAME_END.lastIndex = at + 1;
  const m = NAME_END.exec(xml);
  const nameEnd = m ? m.index : xml.length;
  const qname = xml.slice(at + 1, nameEnd);
  const close = findTagClose(xml, nameEnd);
  if (close < 0) throw new Error(`unterminated <${qname}> tag`);
  return { qname, openEnd: close + 1, selfClosing: xml.charCodeAt(close - 1) === 47 };
}

/** Index of the '>' ending a start tag, skipping quoted attribute values (which may contain '>'). */
function findTagClose(xml: string, from: number): number {
  let i = from;
  for (;;) {
    const gt = xml.indexOf('>', i);
    if (gt < 0) return -1;
    const q1 = indexOfBefore(xml, '"', i, gt);
    const q2 = indexOfBefore(xml, "'", i, gt);
    const q = q1 < 0 ? q2 : q2 < 0 ? q1 : Math.min(q1, q2);
    if (q < 0) return gt;
    const qe = xml.indexOf(xml[q], q + 1);
    if (qe < 0) return -1;
    i = qe + 1;
  }
}

function splitName(qname: string): { prefix: string; local: string } {
  const c = qname.indexOf(':');
  return c < 0 ? { prefix: '', local: qname } : { prefix: qname.slice(0, c), local: qname.slice(c + 1) };
}

/** Elements that occur once per part, so their end tag is the last one: found from the end, not by a scan. */
const UNIQUE = new Set(['sheetData']);

/**
 * The element whose start tag begins at `at`, with its end found (nesting of the same name respected).
 * `last`: the end tag is the last of its name in the document (the root, or a unique element).
 */
export function elementAt(xml: string, at: number, last = false): XmlElement {
  const tag = readStartTag(xml, at);
  const { prefix, local } = splitName(tag.qname);
  if (tag.selfClosing) {
    return { qname: tag.qname, local, prefix, start: at, openEnd: tag.openEnd, contentEnd: tag.openEnd, end: tag.openEnd, selfClosing: true };
  }
  const closeTag = `</${tag.qname}`;
  if (last || UNIQUE.has(local)) {
    const close = xml.lastIndexOf(closeTag);
    if (close < tag.openEnd) throw new Error(`missing </${tag.qname}>`);
    const gt = xml.indexOf('>', close);
    return { qname: tag.qname, local, prefix, start: at, openEnd: tag.openEnd, contentEnd: close, end: gt + 1, selfClosing: false };
  }
  const openTag = `<${tag.qname}`;
  let depth = 1;
  let pos = tag.openEnd;
  for (;;) {
    const close = xml.indexOf(closeTag, pos);
    if (close < 0) throw new Error(`missing </${tag.qname}>`);
    // Same-name elements nested inside (rare in OOXML) must be skipped over. The search is bounded by
    // the close tag, or looking at every small element of a big sheet would scan to its end each time.
    let open = indexOfBefore(xml, openTag, pos, close);
    while (open >= 0) {
      const after = xml.charCodeAt(open + openTag.length);
      let next = open + 1;
      if (after === 32 || after === 62 || after === 47 || after === 9 || after === 10 || after === 13) {
        const inner = readStartTag(xml, open);
        if (!inner.selfClosing) depth++;
        next = inner.openEnd;
      }
      open = indexOfBefore(xml, openTag, next, close);
    }
    const gt = xml.indexOf('>', close);
    depth--;
    if (depth === 0) {
      return { qname: tag.qname, local, prefix, start: at, openEnd: tag.openEnd, contentEnd: close, end: gt + 1, selfClosing: false };
    }
    pos = gt + 1;
  }
}

/** indexOf limited to [from, to). */
export function indexOfBefore(xml: string, needle: string, from: number, to: number): number {
  if (to - from < needle.length) return -1;
  const i = xml.slice(from, to).indexOf(needle);
  return i < 0 ? -1 : from + i;
}

/** The document element (skipping the XML declaration, comments and a BOM). */
export function rootElement(xml: string): XmlElement {
  let i = 0;
  for (;;) {
    i = xml.indexOf('<', i);
    if (i < 0) throw new Error('no root element');
    const ch = xml.charCodeAt(i + 1);
    if (ch === 63 /* ? */) i = xml.indexOf('?>', i) + 2;
    else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
    else if (ch === 33 /* ! */) i = xml.indexOf('>', i) + 1;
    else return elementAt(xml, i, true);
    if (i <= 1) throw new Error('malformed XML prolog');
  }
}

/** Direct child elements of `parent`, in document order. */
export function childElements(xml: string, parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  let i = parent.openEnd;
  while (i < parent.contentEnd) {
    const lt = xml.indexOf('<', i);
    if (lt < 0 || lt >= parent.contentEnd) break;
    const ch = xml.charCodeAt(lt + 1);
    if (ch === 33 /* ! comment or CDATA */) {
      i = xml.startsWith('<!--', lt) ? xml.indexOf('-->', lt) + 3 : xml.indexOf(']]>', lt) + 3;
      if (i < 3) break;
      continue;
    }
    if (ch === 63 /* ? */) {
      i = xml.indexOf('?>', lt) + 2;
      continue;
    }
    const el = elementAt(xml, lt);
    out.push(el);
    i = el.end;
  }
  return out;
}

export function findChild(xml: string, parent: XmlElement, local: string): XmlElement | undefined {
  return childElements(xml, parent).find((e) => e.local === local);
}

/** The start tag text of an element, e.g. `<table id="1" ...>`. */
export function startTag(xml: string, el: XmlElement): string {
  return xml.slice(el.start, el.openEnd);
}

const ATTR = /([^\s=/<>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Attributes of a start tag (qualified names as keys, values unescaped). */
export function parseAttrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Skip the element name so it is not mistaken for an attribute.
  const sp = tag.search(/\s/);
  if (sp < 0) return out;
  ATTR.lastIndex = sp;
  let m: RegExpExecArray | null;
  while ((m = ATTR.exec(tag))) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

/** An attribute by local name: the unprefixed one, else any prefixed one (e.g. r:id for "id" with prefixed=true). */
export function attr(attrs: Record<string, string>, local: string, prefixed = false): string | undefined {
  if (!prefixed && local in attrs) return attrs[local];
  for (const k of Object.keys(attrs)) {
    const c = k.indexOf(':');
    if (c >= 0 && k.slice(c + 1) === local && k.slice(0, c) !== 'xmlns') return attrs[k];
  }
  return undefined;
}

/** Sets (or with null removes) an attribute in a start tag, keeping every other byte of the tag. */
const ATTR_RES = new Map<string, RegExp>();

export function setAttr(tag: string, qname: string, value: string | null): string {
  let re = ATTR_RES.get(qname);
  if (!re) {
    re = new RegExp(`(\\s)${escapeRegExp(qname)}\\s*=\\s*("[^"]*"|'[^']*')`);
    if (ATTR_RES.size < 100) ATTR_RES.set(qname, re);
  }
  const m = re.exec(tag);
  if (m) {
    if (value === null) return tag.slice(0, m.index) + tag.slice(m.index + m[0].length);
    return tag.slice(0, m.index) + `${m[1]}${qname}="${escapeAttr(value)}"` + tag.slice(m.index + m[0].length);
  }
  if (value === null) return tag;
  const end = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, end).replace(/\s+$/, '')} ${qname}="${escapeAttr(value)}"${tag.slice(end)}`;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (_m, e: string) => {
    switch (e) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

export function escapeText(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  if (!/[&<>"\t\n\r]/.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

const XESC = /_x([0-9A-Fa-f]{4})_/g;

/** Decodes Excel's _xHHHH_ escapes (ST_Xstring); `_x005F_` is a literal underscore. */
export function decodeXstring(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(XESC, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Escapes text for ST_Xstring: a literal `_xHHHH_` gets its underscore escaped, and characters XML 1.0
 * cannot carry (most C0 controls, and CR, which parsers would normalise to LF) become _xHHHH_.
 */
export function encodeXstring(s: string): string {
  let out = s;
  if (out.indexOf('_x') >= 0) out = out.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]/.test(out)) {
    // eslint-disable-next-line no-control-regex
    out = out.replace(/[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
  }
  // Lone surrogates cannot be encoded as UTF-8; replace them rather than write a broken part.
  if (/[\uD800-\uDFFF]/.test(out)) out = out.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return out;
}

/** Inserts `text` into `xml` at `index`. */
export function insertAt(xml: string, index: number, text: string): string {
  return xml.slice(0, index) + text + xml.slice(index);
}

/** Replaces [start, end) of `xml` with `text`. */
export function splice(xml: string, start: number, end: number, text: string): string {
  return xml.slice(0, start) + text + xml.slice(end);
}

/**
 * Inserts a new child element into `parent` at the place the schema's child order requires: before the
 * first existing child that comes later in `order`, else at the end.
 */
export function insertChildInOrder(xml: string, parent: XmlElement, local: string, text: string, order: readonly string[]): string {
  const rank = order.indexOf(local);
  if (rank < 0) throw new Error(`unknown element ${local}`);
  for (const child of childElements(xml, parent)) {
    const r = order.indexOf(child.local);
    if (r > rank) return insertAt(xml, child.start, text);
  }
  if (parent.selfClosing) {
    // <parent/> → <parent>text</parent>
    const tag = xml.slice(parent.start, parent.end);
    return splice(xml, parent.start, parent.end, `${tag.slice(0, -2).replace(/\s+$/, '')}>${text}</${parent.qname}>`);
  }
  return insertAt(xml, parent.contentEnd, text);
}

/** The namespace prefix bound to `uri` on an element's start tag ('' for a default namespace), or undefined. */
export function prefixFor(tag: string, uri: string): string | undefined {
  const attrs = parseAttrs(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== uri) continue;
    if (k === 'xmlns') return '';
    if (k.startsWith('xmlns:')) return k.slice(6);
  }
  return undefined;
}

/** Element name with the given prefix. */
export function q(prefix: string, local: string): string {
  return prefix ? `${prefix}:${local}` : local;
}

const decoder = new TextDecoder('utf-8');
const decoder16le = new TextDecoder('utf-16le');
const decoder16be = new TextDecoder('utf-16be');
const encoder = new TextEncoder();

/** Decodes a part's bytes (UTF-8, with or without BOM; UTF-16 with BOM). */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decoder16le.decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decoder16be.decode(bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decoder.decode(bytes.subarray(3));
  return decoder.decode(bytes);
}

/** The text with its XML declaration saying UTF-8 when it said UTF-16 (parts are written as UTF-8). */
export function fixEncodingDeclaration(xml: string): string {
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    const decl = xml.slice(0, end);
    if (/encoding\s*=\s*["']utf-16/i.test(decl)) return decl.replace(/encoding\s*=\s*["'][^"']*["']/i, 'encoding="UTF-8"') + xml.slice(end);
  }
  return xml;
}

/** Encodes a part we rewrote as UTF-8, fixing the declaration if the original said UTF-16. */
export function encodeXml(xml: string): Uint8Array {
  return encoder.encode(fixEncodingDeclaration(xml));
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
