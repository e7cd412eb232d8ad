/**
 * Scans worksheet XML without building a DOM: rows and cells are located with indexOf and a small
 * attribute loop, so a 100,000-row sheet is read in a fraction of a second. Cursors (RowInfo, CellInfo)
 * are reused between callbacks; copy what you keep.
 */
import type { CellValue } from "../../workbook/port";
import { stringItemText } from "./sharedStrings";
import {
  XmlElement,
  XmlError,
  childElements,
  decodeEntities,
  decodeXstring,
  elementAt,
  elementEnd,
  hasMarkupDeclarations,
  indexOfBefore,
  nextTag,
  q,
  rootElement,
  snippet,
  textContent,
} from "./xml";

/** Excel's grid: columns A..XFD, rows 1..1,048,576. */
export const MAX_COL = 16383;
export const MAX_ROW = 1048576;

/** A worksheet's XML with its document element and sheetData located. */
export interface SheetXml {
  xml: string;
  root: XmlElement;
  /** Namespace prefix of the main SpreadsheetML namespace ('' when it is the default namespace). */
  prefix: string;
  /** Top-level children of <worksheet> in order. */
  children: XmlElement[];
  sheetData: XmlElement | undefined;
  /**
   * sheetData holds comments, CDATA or processing instructions: rows and cells are then read tag by tag
   * (whose content is not markup) instead of by searching for their end tags.
   */
  careful?: boolean;
}

export function locateSheet(xml: string): SheetXml {
  const root = rootElement(xml);
  const children = childElements(xml, root);
  const sheetData = children.find((c) => c.local === "sheetData");
  const careful =
    sheetData !== undefined && hasMarkupDeclarations(xml, sheetData.openEnd, sheetData.contentEnd);
  return { xml, root, prefix: root.prefix, children, sheetData, careful };
}

export interface RowInfo {
  /** 1-based row number (from r, or previous + 1). */
  num: number;
  start: number;
  openEnd: number;
  /** Start of </row> (== openEnd for <row/>). */
  contentEnd: number;
  end: number;
  hasR: boolean;
}

export interface CellInfo {
  /** 0-based column (from r, or previous + 1). */
  col: number;
  start: number;
  openEnd: number;
  contentEnd: number;
  end: number;
  selfClosing: boolean;
  hasR: boolean;
  /** Style index, -1 when there is no s attribute. */
  s: number;
  /** Type attribute ('' = number). */
  t: string;
}

function isNameEnd(ch: number): boolean {
  return ch === 62 || ch === 32 || ch === 47 || ch === 9 || ch === 10 || ch === 13;
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

/** Where an element that is not a row or cell ends (a comment or unknown element is skipped whole). */
function skipOther(sheet: SheetXml, lt: number, limit: number, where: string): number {
  const { xml } = sheet;
  if (xml.charCodeAt(lt + 1) === 47)
    throw new XmlError(`${where}: unexpected end tag "${snippet(xml, lt)}"`);
  if (xml.startsWith("<!--", lt)) {
    const e = xml.indexOf("-->", lt + 4);
    if (e < 0 || e + 3 > limit) throw new XmlError(`${where}: a comment is not closed`);
    return e + 3;
  }
  const end = elementAt(xml, lt).end;
  if (end > limit) throw new XmlError(`${where}: "${snippet(xml, lt)}" runs past its parent's end`);
  return end;
}

/** The start of the end tag `close` of an element whose content starts at `from` (careful: tag by tag). */
function closeOf(
  sheet: SheetXml,
  qname: string,
  close: string,
  from: number,
  limit: number
): number {
  if (sheet.careful) {
    const { contentEnd } = elementEnd(sheet.xml, qname, from, limit);
    return contentEnd;
  }
  const c = sheet.xml.indexOf(close, from);
  return c >= 0 && c + close.length <= limit ? c : -1;
}

/** Calls `visit` for each row in sheet order; return false from it to stop. Rows must be in ascending order. */
export function scanRows(sheet: SheetXml, visit: (row: RowInfo) => void | boolean): void {
  const sd = sheet.sheetData;
  if (!sd || sd.selfClosing) return;
  const { xml } = sheet;
  const rowQ = q(sheet.prefix, "row");
  const rowOpen = `<${rowQ}`;
  const rowClose = `</${rowQ}>`;
  const row: RowInfo = { num: 0, start: 0, openEnd: 0, contentEnd: 0, end: 0, hasR: false };
  let prev = 0;
  let i = sd.openEnd;
  const limit = sd.contentEnd;
  for (;;) {
    const lt = sheet.careful ? nextTag(xml, i, limit) : xml.indexOf("<", i);
    if (lt < 0 || lt >= limit) return;
    if (!xml.startsWith(rowOpen, lt) || !isNameEnd(xml.charCodeAt(lt + rowOpen.length))) {
      i = skipOther(sheet, lt, limit, `after row ${prev}`);
      continue;
    }
    let r: string | undefined;
    const gt = scanTag(
      xml,
      lt + rowOpen.length,
      (ns, ne, vs, ve) => {
        if (ne - ns === 1 && xml.charCodeAt(ns) === 114 /* r */) {
          if (r !== undefined) throw new XmlError(`the row after row ${prev} has two r attributes`);
          r = xml.slice(vs, ve);
        }
      },
      `the row after row ${prev}`
    );
    row.hasR = r !== undefined;
    if (r !== undefined) {
      if (!/^[0-9]{1,7}$/.test(r))
        throw new XmlError(`the row after row ${prev} has an unreadable row number r="${r}"`);
      row.num = +r;
      if (row.num <= prev)
        throw new XmlError(`row ${row.num} comes after row ${prev} (rows must be in order)`);
    } else row.num = prev + 1;
    if (row.num < 1 || row.num > MAX_ROW)
      throw new XmlError(`row ${row.num} is beyond Excel's last row (${MAX_ROW})`);
    row.start = lt;
    row.openEnd = gt + 1;
    if (xml.charCodeAt(gt - 1) === 47) {
      row.contentEnd = gt + 1;
      row.end = gt + 1;
    } else {
      const c = closeOf(sheet, rowQ, rowClose, gt + 1, limit);
      if (c < 0) throw new XmlError(`row ${row.num} is not closed (no </row>)`);
      row.contentEnd = c;
      row.end = xml.indexOf(">", c) + 1;
    }
    prev = row.num;
    i = row.end;
    if (visit(row) === false) return;
  }
}

/**
 * scanAttributes for the scanner's hot path: the attributes of a start tag from `from` (just after its
 * name), as positions, to its '>' (returned). Malformed attributes throw XmlError naming `where`.
 */
function scanTag(
  xml: string,
  from: number,
  visit: (ns: number, ne: number, vs: number, ve: number) => void,
  where: string
): number {
  const n = xml.length;
  let i = from;
  for (;;) {
    let ws = false;
    let ch = xml.charCodeAt(i);
    while (isSpace(ch)) {
      ch = xml.charCodeAt(++i);
      ws = true;
    }
    if (ch === 62) return checkNoLt(xml, from, i, where);
    if (ch === 47 && xml.charCodeAt(i + 1) === 62) return checkNoLt(xml, from, i + 1, where);
    if (i >= n) throw new XmlError(`${where}: the tag is not closed`);
    if (!ws) throw new XmlError(`${where}: malformed tag ("${snippet(xml, from)}")`);
    const ns = i;
    const ne = attrNameEnd(xml, i, n);
    i = skipSpace(xml, ne);
    if (ne === ns || xml.charCodeAt(i) !== 61)
      throw new XmlError(`${where}: malformed attribute ("${snippet(xml, ns)}")`);
    i = skipSpace(xml, i + 1);
    ch = xml.charCodeAt(i);
    if (ch !== 34 && ch !== 39)
      throw new XmlError(
        `${where}: the value of the attribute ${xml.slice(ns, ne)} is not in quotes ("${snippet(xml, ns)}")`
      );
    const qe = xml.indexOf(ch === 34 ? '"' : "'", i + 1);
    if (qe < 0)
      throw new XmlError(`${where}: the value of the attribute ${xml.slice(ns, ne)} is not closed`);
    visit(ns, ne, i + 1, qe);
    i = qe + 1;
  }
}

/** The end of an attribute name that starts at `i`: at '=', '>', '/', '<', a quote, whitespace or the end `n`. */
function attrNameEnd(xml: string, i: number, n: number): number {
  let ch = xml.charCodeAt(i);
  while (
    i < n &&
    ch !== 61 &&
    ch !== 62 &&
    ch !== 47 &&
    ch !== 60 &&
    ch !== 34 &&
    ch !== 39 &&
    !isSpace(ch)
  )
    ch = xml.charCodeAt(++i);
  return i;
}

/** The first index from `i` that is not whitespace. */
function skipSpace(xml: string, i: number): number {
  while (isSpace(xml.charCodeAt(i))) i++;
  return i;
}

/** A start tag may not hold '<' (not even in a quoted value). Returns `end`. */
function checkNoLt(xml: string, from: number, end: number, where: string): number {
  const lt = xml.indexOf("<", from);
  if (lt >= 0 && lt < end) throw new XmlError(`${where}: malformed tag ("${snippet(xml, from)}")`);
  return end;
}

const C_TAGS = new Map<string, { open: string; close: string; qname: string }>();

/** `<c` and `</c>` with a prefix (made once per prefix: scanCells runs for every row). */
function cellTags(prefix: string): { open: string; close: string; qname: string } {
  let t = C_TAGS.get(prefix);
  if (!t) {
    const cQ = q(prefix, "c");
    t = { open: `<${cQ}`, close: `</${cQ}>`, qname: cQ };
    C_TAGS.set(prefix, t);
  }
  return t;
}

/** The cursor of a row's cells: one per row, reused for each of its cells. */
function cellCursor(): CellInfo {
  return {
    col: 0,
    start: 0,
    openEnd: 0,
    contentEnd: 0,
    end: 0,
    selfClosing: false,
    hasR: false,
    s: -1,
    t: "",
  };
}

/** Calls `visit` for each cell of a row, in order; return false to stop. Cells must be in ascending columns. */
export function scanCells(
  sheet: SheetXml,
  row: RowInfo,
  visit: (cell: CellInfo) => void | boolean
): void {
  const { xml } = sheet;
  const tags = cellTags(sheet.prefix);
  const cOpen = tags.open;
  const cell = cellCursor();
  let prev = -1;
  let i = row.openEnd;
  const limit = row.contentEnd;
  for (;;) {
    const lt = sheet.careful ? nextTag(xml, i, limit) : xml.indexOf("<", i);
    if (lt < 0 || lt >= limit) return;
    if (!xml.startsWith(cOpen, lt) || !isNameEnd(xml.charCodeAt(lt + cOpen.length))) {
      i = skipOther(sheet, lt, limit, `row ${row.num}`); // extLst, comments
      continue;
    }
    const gt = readCellAttrs(xml, lt + cOpen.length, row.num, cell);
    if (cell.col < 0) {
      cell.col = prev + 1;
      if (cell.col > MAX_COL)
        throw new XmlError(
          `row ${row.num}: a cell without a reference comes after column XFD, Excel's last column`
        );
    } else if (cell.col <= prev)
      throw new XmlError(
        `row ${row.num}: the cell ${refText(xml, lt)} comes after a cell to its right (cells must be in order)`
      );
    if (!cellExtent(sheet, tags, cell, lt, gt, limit))
      throw new XmlError(`row ${row.num}: a cell is not closed (no </c>)`);
    prev = cell.col;
    i = cell.end;
    if (visit(cell) === false) return;
  }
}

/**
 * Sets the cell's extent from its start tag xml[lt, gt]: false when it has no end tag before `limit`.
 * Outside careful mode a </c> found after another cell's start tag is not its own: a cell without its </c>
 * would take in the next cell, whose </c> is found; never read one so.
 */
function cellExtent(
  sheet: SheetXml,
  tags: { open: string; close: string; qname: string },
  cell: CellInfo,
  lt: number,
  gt: number,
  limit: number
): boolean {
  const { xml } = sheet;
  cell.start = lt;
  cell.openEnd = gt + 1;
  cell.selfClosing = xml.charCodeAt(gt - 1) === 47;
  if (cell.selfClosing) {
    cell.contentEnd = gt + 1;
    cell.end = gt + 1;
    return true;
  }
  const c = closeOf(sheet, tags.qname, tags.close, gt + 1, limit);
  if (c < 0 || (!sheet.careful && cellStartBetween(xml, tags.open, gt, c))) return false;
  cell.contentEnd = c;
  cell.end = xml.indexOf(">", c) + 1;
  return true;
}

/**
 * Whether a cell start tag lies in (from, to), the content of a cell.
 */
function cellStartBetween(xml: string, cOpen: string, from: number, to: number): boolean {
  // Tag by tag ('<' is a one-character search, much faster than one for "<c"): <v>..</v> is two steps.
  for (let k = xml.indexOf("<", from + 1); k >= 0 && k < to; k = xml.indexOf("<", k + 1)) {
    if (xml.startsWith(cOpen, k) && isNameEnd(xml.charCodeAt(k + cOpen.length))) return true; // not <color>, <charset> of rich text
  }
  return false;
}

/** The r attribute text of the cell tag at `lt`, for messages. */
function refText(xml: string, lt: number): string {
  const m = /\sr\s*=\s*["']([^"'<>]*)/.exec(xml.slice(lt, lt + 200));
  return m ? m[1] : `at "${snippet(xml, lt)}"`;
}

/**
 * scanCells for the usual row: every cell with its r, in ascending columns, each right after the other
 * from the row's start tag to its end tag, nothing else in the row. Calls `visit` for each cell and
 * returns true; returns false as soon as the row is not like that (some cells may have been visited).
 */
export function scanPlainCells(
  sheet: SheetXml,
  row: RowInfo,
  visit: (cell: CellInfo) => void
): boolean {
  if (sheet.careful) return false;
  const { xml } = sheet;
  const tags = cellTags(sheet.prefix);
  const cOpen = tags.open;
  const cell = cellCursor();
  const plain = cOpen === "<c";
  let prev = -1;
  let i = row.openEnd;
  const limit = row.contentEnd;
  while (i < limit) {
    if (
      plain ? xml.charCodeAt(i) !== 60 || xml.charCodeAt(i + 1) !== 99 : !xml.startsWith(cOpen, i)
    )
      return false;
    if (!isNameEnd(xml.charCodeAt(i + cOpen.length))) return false;
    const gt = readCellAttrs(xml, i + cOpen.length, row.num, cell);
    if (gt >= limit) return false;
    if (!cell.hasR || cell.col <= prev) return false;
    if (!cellExtent(sheet, tags, cell, i, gt, limit)) return false;
    prev = cell.col;
    i = cell.end;
    visit(cell);
  }
  return i === limit;
}

const X_B_O = new Set([88, 120, 66, 98, 79, 111]);
const CELL_TYPES = new Set(["", "n", "s", "str", "b", "e", "d", "inlineStr"]);

/**
 * Reads r, s and t of a cell start tag from `from` (just after "<c") straight from the string (the hot
 * path); returns the index of its '>'. A malformed tag, an unreadable or out-of-grid reference (or one in
 * another row than `rowNum`, when > 0), an unreadable style or unknown type throws XmlError.
 */
function readCellAttrs(xml: string, from: number, rowNum: number, cell: CellInfo): number {
  cell.col = -1;
  cell.hasR = false;
  cell.s = -1;
  cell.t = "";
  let seen = 0;
  const n = xml.length;
  let i = from;
  for (;;) {
    let ws = false;
    let ch = xml.charCodeAt(i);
    while (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
      ch = xml.charCodeAt(++i);
      ws = true;
    }
    // No '<' can be in the tag: names stop at it, and r, s and t are parsed to their end (others checked below).
    if (ch === 62) return i;
    if (ch === 47 && xml.charCodeAt(i + 1) === 62) return i + 1;
    if (i >= n) throw new XmlError(`row ${rowNum}: a cell tag is not closed`);
    if (!ws) throw new XmlError(`row ${rowNum}: malformed cell tag ("<c${snippet(xml, from)}")`);
    const ns = i;
    // The usual attribute: one letter, '=', '"' (the loops below for anything else).
    if (
      xml.charCodeAt(i + 1) === 61 &&
      xml.charCodeAt(i + 2) === 34 &&
      ch !== 34 &&
      ch !== 39 &&
      ch !== 60 &&
      ch !== 47 &&
      ch !== 61 &&
      ch !== 62
    ) {
      const qs = i + 3;
      const qe = xml.indexOf('"', qs);
      if (qe < 0)
        throw new XmlError(
          `row ${rowNum}: in the cell tag "<c${snippet(xml, from)}" the value of ${xml[i]} is not closed`
        );
      seen = cellAttr(xml, ch, qs, qe, rowNum, cell, seen);
      i = qe + 1;
      continue;
    }
    const ne = attrNameEnd(xml, i, n);
    i = skipSpace(xml, ne);
    if (ne === ns || xml.charCodeAt(i) !== 61)
      throw new XmlError(`row ${rowNum}: malformed cell tag ("<c${snippet(xml, from)}")`);
    i = skipSpace(xml, i + 1);
    ch = xml.charCodeAt(i);
    if (ch !== 34 && ch !== 39)
      throw new XmlError(
        `row ${rowNum}: in the cell tag "<c${snippet(xml, from)}" the value of ${xml.slice(ns, ne)} is not in quotes`
      );
    const qs = i + 1;
    const qe = xml.indexOf(ch === 34 ? '"' : "'", qs);
    if (qe < 0)
      throw new XmlError(
        `row ${rowNum}: in the cell tag "<c${snippet(xml, from)}" the value of ${xml.slice(ns, ne)} is not closed`
      );
    seen = cellAttr(xml, ne - ns === 1 ? xml.charCodeAt(ns) : 0, qs, qe, rowNum, cell, seen);
    i = qe + 1;
  }
}

const SEEN_S = 1;
const SEEN_T = 2;

/**
 * Applies one attribute of a cell tag to `cell`: `name` is its one-letter name's char code (0 for a longer
 * name), its value is xml[qs, qe). `seen` has a bit for s and for t already read; returns it updated.
 */
function cellAttr(
  xml: string,
  name: number,
  qs: number,
  qe: number,
  rowNum: number,
  cell: CellInfo,
  seen: number
): number {
  if (name === 114 /* r */) {
    if (cell.hasR) throw new XmlError(`row ${rowNum}: a cell has two references`);
    cell.col = cellRefCol(xml, qs, qe, rowNum);
    cell.hasR = true;
  } else if (name === 115 /* s */) {
    if (seen & SEEN_S) throw new XmlError(`row ${rowNum}: a cell has two styles`);
    cell.s = intAt(xml, qs, qe);
    if (!(cell.s >= 0))
      throw new XmlError(`row ${rowNum}: a cell has an unreadable style s="${xml.slice(qs, qe)}"`);
    return seen | SEEN_S;
  } else if (name === 116 /* t */) {
    if (seen & SEEN_T) throw new XmlError(`row ${rowNum}: a cell has two types`);
    cell.t = cellTypeAt(xml, qs, qe);
    if (!CELL_TYPES.has(cell.t))
      throw new XmlError(`row ${rowNum}: a cell has an unknown type t="${cell.t}"`);
    return seen | SEEN_T;
  } else checkNoLt(xml, qs, qe, `row ${rowNum}`);
  return seen;
}

/**
 * The 0-based column of the cell reference xml[from, to) (e.g. "Q4"): letters A..XFD then the row number,
 * which must be `rowNum` when that is > 0. Anything else throws XmlError.
 */
function cellRefCol(xml: string, from: number, to: number, rowNum: number): number {
  let col = 0;
  let i = from;
  if (xml.charCodeAt(i) === 36) i++;
  const c0 = i;
  for (; i < to; i++) {
    let ch = xml.charCodeAt(i);
    if (ch >= 97 && ch <= 122) ch -= 32;
    if (ch < 65 || ch > 90) break;
    col = col * 26 + (ch - 64);
  }
  const letters = i - c0;
  if (xml.charCodeAt(i) === 36) i++;
  const r0 = i;
  let row = 0;
  for (; i < to && i - r0 < 8; i++) {
    const d = xml.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    row = row * 10 + d;
  }
  if (letters === 0 || i === r0 || i !== to)
    throw new XmlError(
      `row ${rowNum}: a cell has an unreadable reference r="${xml.slice(from, to)}"`
    );
  if (letters > 3 || col - 1 > MAX_COL || row > MAX_ROW || row < 1)
    throw new XmlError(
      `the cell ${xml.slice(from, to)} is outside Excel's grid (the last cell is XFD${MAX_ROW})`
    );
  if (rowNum > 0 && row !== rowNum)
    throw new XmlError(`the cell ${xml.slice(from, to)} is inside row ${rowNum}`);
  return col - 1;
}

/** parseInt(xml[from, to), 10) for plain digits; NaN for anything else. */
function intAt(xml: string, from: number, to: number): number {
  if (to <= from || to - from > 9) return NaN;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = xml.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** xml[from, to): the usual cell types without making a new string. */
function cellTypeAt(xml: string, from: number, to: number): string {
  const len = to - from;
  if (len === 1) return xml[from];
  if (len === 3 && xml.startsWith("str", from)) return "str";
  if (len === 9 && xml.startsWith("inlineStr", from)) return "inlineStr";
  return xml.slice(from, to);
}

/** Start index of child element `local` inside a cell, or -1 (comments and CDATA skipped). */
export function cellChild(sheet: SheetXml, cell: CellInfo, local: string): number {
  if (cell.selfClosing) return -1;
  const { xml } = sheet;
  const open = `<${q(sheet.prefix, local)}`;
  if (!sheet.careful) {
    let i = cell.openEnd;
    for (;;) {
      const s = indexOfBefore(xml, open, i, cell.contentEnd);
      if (s < 0) return -1;
      if (isNameEnd(xml.charCodeAt(s + open.length))) return s;
      i = s + 1;
    }
  }
  // Tag by tag: a <v> inside a comment is not a value.
  let i = cell.openEnd;
  for (;;) {
    const lt = nextTag(xml, i, cell.contentEnd);
    if (lt < 0) return -1;
    if (xml.startsWith(open, lt) && isNameEnd(xml.charCodeAt(lt + open.length))) return lt;
    i = xml.charCodeAt(lt + 1) === 47 ? xml.indexOf(">", lt) + 1 : elementAt(xml, lt).end;
    if (i <= lt) throw new XmlError(`malformed tag "${snippet(xml, lt)}"`);
  }
}

/** Text content of a simple child element (<v>, <f>) found at `at`: entities decoded, CDATA as written, comments dropped. */
function childText(sheet: SheetXml, at: number): string {
  const el = elementAt(sheet.xml, at);
  return el.selfClosing ? "" : textContent(sheet.xml, el.openEnd, el.contentEnd);
}

/** Whether a cell holds a formula but no saved value (openpyxl and exceljs write them so): Excel would calculate it, we cannot. */
export function formulaWithoutValue(sheet: SheetXml, cell: CellInfo): boolean {
  if (cell.selfClosing || cell.t === "inlineStr") return false;
  return cellChild(sheet, cell, "f") >= 0 && cellChild(sheet, cell, "v") < 0;
}

/**
 * A cell's value as the port defines it: shared/inline/formula strings, booleans, error text, ISO date
 * text (t="d"), numbers; formula cells give their cached value. Empty text reads as null. Values are
 * read as an XML parser gives them (entities decoded, CDATA as written, comments dropped).
 */
export function cellValue(
  sheet: SheetXml,
  cell: CellInfo,
  sst: readonly string[] | (() => readonly string[])
): CellValue {
  if (cell.selfClosing) return null;
  const t = cell.t;
  if (t === "inlineStr") {
    const is = cellChild(sheet, cell, "is");
    if (is < 0) return null;
    const el = elementAt(sheet.xml, is);
    const text = stringItemText(sheet.xml, el.openEnd, el.contentEnd, sheet.prefix);
    return text === "" ? null : text;
  }
  let raw: string;
  const { xml } = sheet;
  const vOpen = sheet.prefix ? `<${sheet.prefix}:v>` : "<v>";
  let plainV = false;
  if (xml.startsWith(vOpen, cell.openEnd)) {
    // The common layout <c ...><v>text</v></c>: no search needed.
    const from = cell.openEnd + vOpen.length;
    const lt = xml.indexOf("<", from);
    if (xml.charCodeAt(lt + 1) === 47) {
      raw = xml.slice(from, lt);
      plainV = true;
    } else raw = childText(sheet, cell.openEnd); // CDATA or a comment inside <v>
  } else {
    const v = cellChild(sheet, cell, "v");
    if (v < 0) return null;
    raw = childText(sheet, v);
  }
  // childText decoded entities already; the plain layout's text is decoded here when it has any.
  switch (t) {
    case "s": {
      const i = intAt(raw, 0, raw.length);
      const table = typeof sst === "function" ? sst() : sst;
      if (!(i >= 0) || i >= table.length)
        throw new XmlError(
          `a cell refers to shared string "${raw}", which the workbook does not have`
        );
      const s = table[i];
      return s === "" ? null : s;
    }
    case "b": {
      const b = (plainV ? decodeEntities(raw) : raw).trim();
      return b === "1" || b.toLowerCase() === "true";
    }
    case "str": {
      const s = decodeXstring(plainV ? decodeEntities(raw) : raw);
      return s === "" ? null : s;
    }
    case "e":
    case "d": {
      const s = (plainV ? decodeEntities(raw) : raw).trim();
      return s === "" ? null : s;
    }
    default: {
      if (raw === "") return null;
      let n = +raw;
      if (Number.isNaN(n) && plainV && raw.indexOf("&") >= 0) {
        raw = decodeEntities(raw);
        n = +raw;
      }
      // +raw also reads "0x1F", "0b1" and "Infinity", which are no numbers to Excel.
      if (Number.isNaN(n) || !Number.isFinite(n) || X_B_O.has(raw.charCodeAt(1))) return raw;
      return n;
    }
  }
}

export function isBlank(v: CellValue): boolean {
  return v === null || v === "";
}
