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

/** Malformed XML: the part cannot be read the way Excel reads it (never guessed around). */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

/** The name of a start tag at `at` ends at whitespace, '/' or '>'; empty or holding a quote, '=' or '<' is malformed. */
function nameEnd(xml: string, at: number): number {
  let i = at + 1;
  const n = xml.length;
  for (; i < n; i++) {
    const ch = xml.charCodeAt(i);
    if (ch === 62 || ch === 47 || isSpace(ch)) break;
    if (ch === 60 || ch === 34 || ch === 39 || ch === 61)
      throw new XmlError(`malformed tag near "${snippet(xml, at)}"`);
  }
  if (i === at + 1) throw new XmlError(`malformed tag near "${snippet(xml, at)}"`);
  return i;
}

/** A few characters of the XML at `at`, for messages. */
export function snippet(xml: string, at: number): string {
  const s = xml.slice(at, at + 40).replace(/\s+/g, " ");
  return at + 40 < xml.length ? `${s}...` : s;
}

/**
 * Walks the attributes of a start tag from `from` (just after its name) to its end, as XML requires them:
 * whitespace, a name, '=', a value in matching quotes without '<'. Returns the index of the tag's '>'.
 * Anything else (an unquoted value, an unterminated quote, a missing '>') throws XmlError: every step
 * moves forward or throws, so no input can make it loop.
 */
export function scanAttributes(
  xml: string,
  from: number,
  visit?: (name: string, rawValue: string) => void
): number {
  const n = xml.length;
  let i = from;
  for (;;) {
    let ws = false;
    while (i < n && isSpace(xml.charCodeAt(i))) {
      i++;
      ws = true;
    }
    if (i >= n)
      throw new XmlError(
        `a tag is not closed ("${snippet(xml, from)}" runs to the end of the part)`
      );
    const ch = xml.charCodeAt(i);
    if (ch === 62) return i;
    if (ch === 47) {
      if (xml.charCodeAt(i + 1) === 62) return i + 1;
      throw new XmlError(`malformed tag end near "${snippet(xml, i)}"`);
    }
    if (!ws) throw new XmlError(`malformed attributes near "${snippet(xml, i)}"`);
    const ns = i;
    while (i < n) {
      const c = xml.charCodeAt(i);
      if (c === 61 || c === 62 || c === 47 || c === 60 || c === 34 || c === 39 || isSpace(c)) break;
      i++;
    }
    if (i === ns) throw new XmlError(`malformed attributes near "${snippet(xml, ns)}"`);
    const name = xml.slice(ns, i);
    while (i < n && isSpace(xml.charCodeAt(i))) i++;
    if (xml.charCodeAt(i) !== 61)
      throw new XmlError(`the attribute ${name} has no value ("${snippet(xml, ns)}")`);
    i++;
    while (i < n && isSpace(xml.charCodeAt(i))) i++;
    const quote = xml.charCodeAt(i);
    if (quote !== 34 && quote !== 39)
      throw new XmlError(
        `the value of the attribute ${name} is not in quotes ("${snippet(xml, ns)}")`
      );
    const qe = xml.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (qe < 0)
      throw new XmlError(
        `the value of the attribute ${name} is not closed ("${snippet(xml, ns)}")`
      );
    const lt = xml.indexOf("<", i + 1);
    if (lt >= 0 && lt < qe)
      throw new XmlError(`the value of the attribute ${name} holds a "<" ("${snippet(xml, ns)}")`);
    visit?.(name, xml.slice(i + 1, qe));
    i = qe + 1;
  }
}

/** Reads the start tag whose '<' is at `at`. */
export function readStartTag(
  xml: string,
  at: number
): { qname: string; openEnd: number; selfClosing: boolean } {
  const ne = nameEnd(xml, at);
  const qname = xml.slice(at + 1, ne);
  const close = scanAttributes(xml, ne);
  return { qname, openEnd: close + 1, selfClosing: xml.charCodeAt(close - 1) === 47 };
}

function splitName(qname: string): { prefix: string; local: string } {
  const c = qname.indexOf(":");
  return c < 0
    ? { prefix: "", local: qname }
    : { prefix: qname.slice(0, c), local: qname.slice(c + 1) };
}

/** Elements that occur once per part, so their end tag is the last one: found from the end, not by a scan. */
const UNIQUE = new Set(["sheetData"]);

/**
 * The index of the next tag ('<' then a name or '/') in [i, to), skipping comments, CDATA sections and
 * processing instructions (their content is not markup); -1 when there is none. An unterminated one throws.
 */
export function nextTag(xml: string, i: number, to: number): number {
  for (;;) {
    const lt = xml.indexOf("<", i);
    if (lt < 0 || lt >= to) return -1;
    const ch = xml.charCodeAt(lt + 1);
    if (ch === 33 /* ! */) {
      if (xml.startsWith("<!--", lt)) i = markupEnd(xml, lt, to, "<!--", "-->", "a comment");
      else if (xml.startsWith("<![CDATA[", lt))
        i = markupEnd(xml, lt, to, "<![CDATA[", "]]>", "a CDATA section");
      else throw new XmlError(`unexpected "${snippet(xml, lt)}"`);
      continue;
    }
    if (ch === 63 /* ? */) {
      i = markupEnd(xml, lt, to, "<?", "?>", "a processing instruction");
      continue;
    }
    return lt;
  }
}

/**
 * Just after the comment, CDATA section or processing instruction whose `open` is at `lt`: after its `close`,
 * which must end by `to` (else it is not closed: `what` names it in the error).
 */
function markupEnd(
  xml: string,
  lt: number,
  to: number,
  open: string,
  close: string,
  what: string
): number {
  const e = xml.indexOf(close, lt + open.length);
  if (e < 0 || e + close.length > to)
    throw new XmlError(`${what} is not closed ("${snippet(xml, lt)}")`);
  return e + close.length;
}

/** Whether `<` + ch occurs from `from` on (a one-character search is many times faster than a two-character one). */
function hasAfter(xml: string, ch: string, from: number, to = xml.length): boolean {
  for (let i = xml.indexOf(ch, Math.max(1, from + 1)); i >= 0 && i < to; i = xml.indexOf(ch, i + 1))
    if (xml.charCodeAt(i - 1) === 60) return true;
  return false;
}

/** The last document looked at by hasMarkupDeclarations, and whether it has any "<!" or "<?" after its start. */
let declXml: string | undefined;
let declAny = true;

/** Whether [from, to) holds a comment, CDATA section, processing instruction or declaration. */
export function hasMarkupDeclarations(xml: string, from: number, to = xml.length): boolean {
  // Usually the only one is the XML declaration at the start: one scan per document says so.
  if (xml !== declXml) {
    declXml = xml;
    declAny =
      hasAfter(xml, "!", 1) || hasAfter(xml, "?", xml.startsWith("<?") ? xml.indexOf("?>") + 2 : 1);
  }
  if (!declAny) return false;
  return hasAfter(xml, "!", from, to) || hasAfter(xml, "?", from, to);
}

/**
 * The end of the element named `qname` whose content starts at `from` (same-name nesting respected),
 * read tag by tag so that comments and CDATA are skipped: [contentEnd, end).
 */
export function elementEnd(
  xml: string,
  qname: string,
  from: number,
  to = xml.length
): { contentEnd: number; end: number } {
  let depth = 1;
  let i = from;
  for (;;) {
    const lt = nextTag(xml, i, to);
    if (lt < 0) throw new XmlError(`the element <${qname}> is not closed`);
    if (xml.charCodeAt(lt + 1) === 47 /* / */) {
      const gt = xml.indexOf(">", lt);
      if (gt < 0 || gt >= to) throw new XmlError(`malformed end tag "${snippet(xml, lt)}"`);
      let e = gt;
      while (e > lt + 2 && isSpace(xml.charCodeAt(e - 1))) e--;
      const name = xml.slice(lt + 2, e);
      if (name === qname && --depth === 0) return { contentEnd: lt, end: gt + 1 };
      i = gt + 1;
      continue;
    }
    const tag = readStartTag(xml, lt);
    if (!tag.selfClosing && tag.qname === qname) depth++;
    i = tag.openEnd;
  }
}

/**
 * The element whose start tag begins at `at`, with its end found (nesting of the same name respected).
 * `last`: the end tag is the last of its name in the document (the root, or a unique element); found
 * from the end unless a comment or CDATA section follows, which could hold a copy of the end tag.
 */
export function elementAt(xml: string, at: number, last = false): XmlElement {
  const tag = readStartTag(xml, at);
  const { prefix, local } = splitName(tag.qname);
  // Its content and end are the start tag's own when it is self-closing; else set below.
  const el: XmlElement = {
    qname: tag.qname,
    local,
    prefix,
    start: at,
    openEnd: tag.openEnd,
    contentEnd: tag.openEnd,
    end: tag.openEnd,
    selfClosing: tag.selfClosing,
  };
  if (tag.selfClosing) return el;
  if ((last || UNIQUE.has(local)) && !hasMarkupDeclarations(xml, tag.openEnd)) {
    const closeTag = `</${tag.qname}`;
    const close = xml.lastIndexOf(closeTag);
    if (close < tag.openEnd) throw new XmlError(`the element <${tag.qname}> is not closed`);
    const gt = xml.indexOf(">", close);
    if (gt < 0) throw new XmlError(`malformed end tag "${snippet(xml, close)}"`);
    el.contentEnd = close;
    el.end = gt + 1;
    return el;
  }
  const { contentEnd, end } = elementEnd(xml, tag.qname, tag.openEnd);
  el.contentEnd = contentEnd;
  el.end = end;
  return el;
}

/** indexOf limited to [from, to). */
export function indexOfBefore(xml: string, needle: string, from: number, to: number): number {
  if (to - from < needle.length) return -1;
  const i = xml.slice(from, to).indexOf(needle);
  return i < 0 ? -1 : from + i;
}

/** The document element (skipping the XML declaration, comments, a DOCTYPE and a BOM). */
export function rootElement(xml: string): XmlElement {
  let i = 0;
  for (;;) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) throw new XmlError("the part has no XML content");
    const ch = xml.charCodeAt(lt + 1);
    let next: number;
    if (ch === 63 /* ? */) next = xml.indexOf("?>", lt) + 2;
    else if (xml.startsWith("<!--", lt)) next = xml.indexOf("-->", lt + 4) + 3;
    else if (ch === 33 /* ! */) next = xml.indexOf(">", lt) + 1;
    else return elementAt(xml, lt, true);
    if (next <= lt + 1) throw new XmlError("malformed XML prolog");
    i = next;
  }
}

/** Direct child elements of `parent`, in document order (comments, CDATA and processing instructions skipped). */
export function childElements(xml: string, parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  let i = parent.openEnd;
  while (i < parent.contentEnd) {
    const lt = nextTag(xml, i, parent.contentEnd);
    if (lt < 0) break;
    if (xml.charCodeAt(lt + 1) === 47)
      throw new XmlError(`unexpected end tag "${snippet(xml, lt)}"`);
    const el = elementAt(xml, lt);
    out.push(el);
    i = el.end;
  }
  return out;
}

/** The start tag text of an element, e.g. `<table id="1" ...>`. */
export function startTag(xml: string, el: XmlElement): string {
  return xml.slice(el.start, el.openEnd);
}

/** Attributes of a start tag (qualified names as keys, values unescaped); malformed ones throw XmlError. */
export function parseAttrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  scanAttributes(tag, nameEnd(tag, 0), (name, raw) => {
    if (name in out)
      throw new XmlError(`the attribute ${name} appears twice in "${snippet(tag, 0)}"`);
    out[name] = decodeEntities(raw);
  });
  return out;
}

/** An attribute by local name: the unprefixed one, else any prefixed one (e.g. r:id for "id" with prefixed=true). */
export function attr(
  attrs: Record<string, string>,
  local: string,
  prefixed = false
): string | undefined {
  if (!prefixed && local in attrs) return attrs[local];
  for (const k of Object.keys(attrs)) {
    const c = k.indexOf(":");
    if (c >= 0 && k.slice(c + 1) === local && k.slice(0, c) !== "xmlns") return attrs[k];
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
    return (
      tag.slice(0, m.index) +
      `${m[1]}${qname}="${escapeAttr(value)}"` +
      tag.slice(m.index + m[0].length)
    );
  }
  if (value === null) return tag;
  const end = tag.endsWith("/>") ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, end).replace(/\s+$/, "")} ${qname}="${escapeAttr(value)}"${tag.slice(end)}`;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const AMP_OK = /&(?:#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/y;

/** Decodes character and predefined entity references; a bare '&' or an unknown entity is malformed XML. */
export function decodeEntities(s: string): string {
  const first = s.indexOf("&");
  if (first < 0) return s;
  for (let i = first; i >= 0; i = s.indexOf("&", i + 1)) {
    AMP_OK.lastIndex = i;
    if (!AMP_OK.test(s))
      throw new XmlError(
        `"${snippet(s, i)}" is not a valid XML entity (a "&" must be written "&amp;")`
      );
  }
  return s.replace(ENTITY, (_m, e: string) => {
    switch (e) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default: {
        const cp = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff))
          throw new XmlError(`&${e}; is not a valid character`);
        return String.fromCodePoint(cp);
      }
    }
  });
}

/**
 * The text of [from, to) as an XML parser gives it: entities decoded, CDATA sections taken as written,
 * comments and processing instructions dropped. An element inside is unexpected here and throws.
 */
export function textContent(xml: string, from: number, to: number): string {
  let lt = xml.indexOf("<", from);
  if (lt < 0 || lt >= to) return decodeEntities(xml.slice(from, to));
  let out = "";
  let i = from;
  for (;;) {
    if (lt < 0 || lt >= to) return out + decodeEntities(xml.slice(i, to));
    out += decodeEntities(xml.slice(i, lt));
    if (xml.startsWith("<![CDATA[", lt)) {
      i = markupEnd(xml, lt, to, "<![CDATA[", "]]>", "a CDATA section");
      out += xml.slice(lt + 9, i - 3);
    } else if (xml.startsWith("<!--", lt)) i = markupEnd(xml, lt, to, "<!--", "-->", "a comment");
    else if (xml.startsWith("<?", lt))
      i = markupEnd(xml, lt, to, "<?", "?>", "a processing instruction");
    else throw new XmlError(`unexpected markup inside a value ("${snippet(xml, lt)}")`);
    lt = xml.indexOf("<", i);
  }
}

export function escapeText(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function escapeAttr(s: string): string {
  if (!/[&<>"\t\n\r]/.test(s)) return s;
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

const XESC = /_x([0-9A-Fa-f]{4})_/g;

/** Decodes Excel's _xHHHH_ escapes (ST_Xstring); `_x005F_` is a literal underscore. */
export function decodeXstring(s: string): string {
  if (s.indexOf("_x") < 0) return s;
  return s.replace(XESC, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Escapes text for ST_Xstring: a literal `_xHHHH_` gets its underscore escaped, and characters XML 1.0
 * cannot carry (most C0 controls, and CR, which parsers would normalise to LF) become _xHHHH_.
 */
export function encodeXstring(s: string): string {
  let out = s;
  if (out.indexOf("_x") >= 0) out = out.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, "_x005F_");
  // eslint-disable-next-line no-control-regex -- these are the characters XML cannot hold
  if (/[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]/.test(out)) {
    out = out.replace(
      // eslint-disable-next-line no-control-regex -- the same characters
      /[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`
    );
  }
  // Lone surrogates cannot be encoded as UTF-8; replace them rather than write a broken part.
  if (/[\uD800-\uDFFF]/.test(out))
    out = out.replace(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "\uFFFD"
    );
  return out;
}

/** Inserts `text` into `xml` at `index`. */
export function insertAt(xml: string, index: number, text: string): string {
  return xml.slice(0, index) + text + xml.slice(index);
}

/**
 * Inserts a new child element into `parent` at the place the schema's child order requires: before the
 * first existing child that comes later in `order`, else at the end.
 */
export function insertChildInOrder(
  xml: string,
  parent: XmlElement,
  local: string,
  text: string,
  order: readonly string[]
): string {
  const rank = order.indexOf(local);
  if (rank < 0) throw new Error(`unknown element ${local}`);
  for (const child of childElements(xml, parent)) {
    const r = order.indexOf(child.local);
    if (r > rank) return insertAt(xml, child.start, text);
  }
  return appendChildText(xml, parent, text);
}

/**
 * Appends `text` (child elements) at the end of the content of `el`, whose start tag becomes `tag` (by default
 * its own): a self-closing element is opened, <el/> → <el>text</el>.
 */
export function appendChildText(
  xml: string,
  el: XmlElement,
  text: string,
  tag = startTag(xml, el)
): string {
  if (el.selfClosing)
    return (
      xml.slice(0, el.start) +
      tag.replace(/\s*\/>$/, ">") +
      text +
      `</${el.qname}>` +
      xml.slice(el.end)
    );
  return (
    xml.slice(0, el.start) +
    tag +
    xml.slice(el.openEnd, el.contentEnd) +
    text +
    xml.slice(el.contentEnd)
  );
}

/** Element name with the given prefix. */
export function q(prefix: string, local: string): string {
  return prefix ? `${prefix}:${local}` : local;
}

const decoder = new TextDecoder("utf-8");
const decoder16le = new TextDecoder("utf-16le");
const decoder16be = new TextDecoder("utf-16be");
const encoder = new TextEncoder();

/** Decodes a part's bytes (UTF-8, with or without BOM; UTF-16 with BOM). */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return decoder16le.decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return decoder16be.decode(bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return decoder.decode(bytes.subarray(3));
  return decoder.decode(bytes);
}

/** The text with its XML declaration saying UTF-8 when it said UTF-16 (parts are written as UTF-8). */
export function fixEncodingDeclaration(xml: string): string {
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    const decl = xml.slice(0, end);
    if (/encoding\s*=\s*["']utf-16/i.test(decl))
      return decl.replace(/encoding\s*=\s*["'][^"']*["']/i, 'encoding="UTF-8"') + xml.slice(end);
  }
  return xml;
}

/** Encodes a part we rewrote as UTF-8, fixing the declaration if the original said UTF-16. */
export function encodeXml(xml: string): Uint8Array {
  return encoder.encode(fixEncodingDeclaration(xml));
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
