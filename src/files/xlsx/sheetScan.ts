/**
 * Scans worksheet XML without building a DOM: rows and cells are located with indexOf and a small
 * attribute loop, so a 100,000-row sheet is read in a fraction of a second. Cursors (RowInfo, CellInfo)
 * are reused between callbacks; copy what you keep.
 */
import type { CellValue } from '../../workbook/port';
import { stringItemText } from './sharedStrings';
import { XmlElement, childElements, decodeEntities, decodeXstring, elementAt, indexOfBefore, q, rootElement } from './xml';

/** A worksheet's XML with its document element and sheetData located. */
export interface SheetXml {
  xml: string;
  root: XmlElement;
  /** Namespace prefix of the main SpreadsheetML namespace ('' when it is the default namespace). */
  prefix: string;
  /** Top-level children of <worksheet> in order. */
  children: XmlElement[];
  sheetData: XmlElement | undefined;
}

export function locateSheet(xml: string): SheetXml {
  const root = rootElement(xml);
  const children = childElements(xml, root);
  return { xml, root, prefix: root.prefix, children, sheetData: children.find((c) => c.local === 'sheetData') };
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

/** Calls `visit` for each row in sheet order; return false from it to stop. */
export function scanRows(sheet: SheetXml, visit: (row: RowInfo) => void | boolean): void {
  const sd = sheet.sheetData;
  if (!sd || sd.selfClosing) return;
  const { xml } = sheet;
  const rowQ = q(sheet.prefix, 'row');
  const rowOpen = `<${rowQ}`;
  const rowClose = `</${rowQ}>`;
  const row: RowInfo = { num: 0, start: 0, openEnd: 0, contentEnd: 0, end: 0, hasR: false };
  let prev = 0;
  let i = sd.openEnd;
  const limit = sd.contentEnd;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0 || lt >= limit) return;
    if (!xml.startsWith(rowOpen, lt) || !isNameEnd(xml.charCodeAt(lt + rowOpen.length))) {
      // a comment or an unexpected element: skip it whole
      if (xml.startsWith('<!--', lt)) i = xml.indexOf('-->', lt) + 3;
      else i = elementAt(xml, lt).end;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    const r = attrIn(xml, lt + rowOpen.length, gt, 'r');
    row.hasR = r !== undefined;
    row.num = r !== undefined ? parseInt(r, 10) : prev + 1;
    row.start = lt;
    row.openEnd = gt + 1;
    if (xml.charCodeAt(gt - 1) === 47) {
      row.contentEnd = gt + 1;
      row.end = gt + 1;
    } else {
      const c = xml.indexOf(rowClose, gt);
      if (c < 0) throw new Error(`unterminated <row> (row ${row.num})`);
      row.contentEnd = c;
      row.end = c + rowClose.length;
    }
    prev = row.num;
    i = row.end;
    if (visit(row) === false) return;
  }
}

const C_TAGS = new Map<string, { open: string; close: string }>();

/** `<c` and `</c>` with a prefix (made once per prefix: scanCells runs for every row). */
function cellTags(prefix: string): { open: string; close: string } {
  let t = C_TAGS.get(prefix);
  if (!t) {
    const cQ = q(prefix, 'c');
    t = { open: `<${cQ}`, close: `</${cQ}>` };
    C_TAGS.set(prefix, t);
  }
  return t;
}

/** Calls `visit` for each cell of a row, in order; return false to stop. */
export function scanCells(sheet: SheetXml, row: RowInfo, visit: (cell: CellInfo) => void | boolean): void {
  const { xml } = sheet;
  const { open: cOpen, close: cClose } = cellTags(sheet.prefix);
  const cell: CellInfo = { col: 0, start: 0, openEnd: 0, contentEnd: 0, end: 0, selfClosing: false, hasR: false, s: -1, t: '' };
  let prev = -1;
  let i = row.openEnd;
  const limit = row.contentEnd;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0 || lt >= limit) return;
    if (!xml.startsWith(cOpen, lt) || !isNameEnd(xml.charCodeAt(lt + cOpen.length))) {
      i = xml.startsWith('<!--', lt) ? xml.indexOf('-->', lt) + 3 : elementAt(xml, lt).end; // extLst, comments
      continue;
    }
    const gt = xml.indexOf('>', lt);
    readCellAttrs(xml, lt + cOpen.length, gt, cell);
    if (cell.col < 0) cell.col = prev + 1;
    cell.start = lt;
    cell.openEnd = gt + 1;
    cell.selfClosing = xml.charCodeAt(gt - 1) === 47;
    if (cell.selfClosing) {
      cell.contentEnd = gt + 1;
      cell.end = gt + 1;
    } else {
      const c = xml.indexOf(cClose, gt);
      if (c < 0) throw new Error(`unterminated <c> in row ${row.num}`);
      cell.contentEnd = c;
      cell.end = c + cClose.length;
    }
    prev = cell.col;
    i = cell.end;
    if (visit(cell) === false) return;
  }
}

/**
 * scanCells for the usual row: every cell with its r, in ascending columns, each right after the other
 * from the row's start tag to its end tag, nothing else in the row. Calls `visit` for each cell and
 * returns true; returns false as soon as the row is not like that (some cells may have been visited).
 */
export function scanPlainCells(sheet: SheetXml, row: RowInfo, visit: (cell: CellInfo) => void): boolean {
  const { xml } = sheet;
  const { open: cOpen, close: cClose } = cellTags(sheet.prefix);
  const cell: CellInfo = { col: 0, start: 0, openEnd: 0, contentEnd: 0, end: 0, selfClosing: false, hasR: false, s: -1, t: '' };
  const plain = cOpen === '<c';
  let prev = -1;
  let i = row.openEnd;
  const limit = row.contentEnd;
  while (i < limit) {
    if (plain ? xml.charCodeAt(i) !== 60 || xml.charCodeAt(i + 1) !== 99 : !xml.startsWith(cOpen, i)) return false;
    if (!isNameEnd(xml.charCodeAt(i + cOpen.length))) return false;
    const gt = xml.indexOf('>', i);
    if (gt < 0 || gt >= limit) return false;
    readCellAttrs(xml, i + cOpen.length, gt, cell);
    if (!cell.hasR || cell.col <= prev) return false;
    cell.start = i;
    cell.openEnd = gt + 1;
    cell.selfClosing = xml.charCodeAt(gt - 1) === 47;
    if (cell.selfClosing) {
      cell.contentEnd = gt + 1;
      cell.end = gt + 1;
    } else {
      const c = xml.indexOf(cClose, gt);
      if (c < 0 || c + cClose.length > limit) return false;
      cell.contentEnd = c;
      cell.end = c + cClose.length;
    }
    prev = cell.col;
    i = cell.end;
    visit(cell);
  }
  return i === limit;
}

/** Reads r, s and t of a cell start tag in [from, to) straight from the string (the hot path). */
function readCellAttrs(xml: string, from: number, to: number, cell: CellInfo): void {
  cell.col = -1;
  cell.hasR = false;
  cell.s = -1;
  cell.t = '';
  let i = from;
  while (i < to) {
    const eq = xml.indexOf('=', i);
    if (eq < 0 || eq >= to) return;
    let ns = i;
    while (ns < eq && xml.charCodeAt(ns) <= 32) ns++;
    let ne = eq;
    while (ne > ns && xml.charCodeAt(ne - 1) <= 32) ne--;
    let qs = eq + 1;
    while (xml.charCodeAt(qs) <= 32) qs++;
    const quote = xml[qs];
    const qe = xml.indexOf(quote, qs + 1);
    if (ne - ns === 1) {
      const name = xml.charCodeAt(ns);
      if (name === 114 /* r */) {
        cell.col = colIndexAt(xml, qs + 1, qe);
        cell.hasR = true;
      } else if (name === 115 /* s */) {
        cell.s = intAt(xml, qs + 1, qe);
      } else if (name === 116 /* t */) {
        cell.t = cellTypeAt(xml, qs + 1, qe);
      }
    }
    i = qe + 1;
  }
}

/** colIndexOfRef of xml[from, to), without taking it out of the string. */
function colIndexAt(xml: string, from: number, to: number): number {
  let col = 0;
  for (let i = from; i < to; i++) {
    let ch = xml.charCodeAt(i);
    if (ch === 36) continue;
    if (ch >= 97 && ch <= 122) ch -= 32;
    if (ch < 65 || ch > 90) break;
    col = col * 26 + (ch - 64);
  }
  return col - 1;
}

/** parseInt(xml[from, to), 10), reading plain digits in place. */
function intAt(xml: string, from: number, to: number): number {
  if (to <= from || to - from > 9) return parseInt(xml.slice(from, to), 10);
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = xml.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return parseInt(xml.slice(from, to), 10);
    n = n * 10 + d;
  }
  return n;
}

/** xml[from, to): the usual cell types without making a new string. */
function cellTypeAt(xml: string, from: number, to: number): string {
  const len = to - from;
  if (len === 1) return xml[from];
  if (len === 3 && xml.startsWith('str', from)) return 'str';
  if (len === 9 && xml.startsWith('inlineStr', from)) return 'inlineStr';
  return xml.slice(from, to);
}

/** The unescaped value of attribute `name` in a start tag between [from, to), or undefined. */
export function attrIn(xml: string, from: number, to: number, name: string): string | undefined {
  let i = from;
  while (i < to) {
    const eq = xml.indexOf('=', i);
    if (eq < 0 || eq >= to) return undefined;
    let ns = i;
    while (ns < eq && xml.charCodeAt(ns) <= 32) ns++;
    let ne = eq;
    while (ne > ns && xml.charCodeAt(ne - 1) <= 32) ne--;
    let qs = eq + 1;
    while (xml.charCodeAt(qs) <= 32) qs++;
    const qe = xml.indexOf(xml[qs], qs + 1);
    if (ne - ns === name.length && xml.startsWith(name, ns)) return decodeEntities(xml.slice(qs + 1, qe));
    i = qe + 1;
  }
  return undefined;
}

/** Start index of child element `local` inside a cell, or -1. */
export function cellChild(sheet: SheetXml, cell: CellInfo, local: string): number {
  if (cell.selfClosing) return -1;
  const open = `<${q(sheet.prefix, local)}`;
  let i = cell.openEnd;
  for (;;) {
    const s = indexOfBefore(sheet.xml, open, i, cell.contentEnd);
    if (s < 0) return -1;
    if (isNameEnd(sheet.xml.charCodeAt(s + open.length))) return s;
    i = s + 1;
  }
}

/** Text content of a simple child element (<v>, <f>) found at `at`. */
function childText(sheet: SheetXml, at: number): string {
  const { xml } = sheet;
  const gt = xml.indexOf('>', at);
  if (xml.charCodeAt(gt - 1) === 47) return '';
  const e = xml.indexOf('</', gt);
  return xml.slice(gt + 1, e);
}

/**
 * A cell's value as the port defines it: shared/inline/formula strings, booleans, error text, ISO date
 * text (t="d"), numbers; formula cells give their cached value. Empty text reads as null.
 */
export function cellValue(sheet: SheetXml, cell: CellInfo, sst: readonly string[] | (() => readonly string[])): CellValue {
  if (cell.selfClosing) return null;
  const t = cell.t;
  if (t === 'inlineStr') {
    const is = cellChild(sheet, cell, 'is');
    if (is < 0) return null;
    const el = elementAt(sheet.xml, is);
    const text = stringItemText(sheet.xml, el.openEnd, el.contentEnd, sheet.prefix);
    return text === '' ? null : text;
  }
  let raw: string;
  const { xml } = sheet;
  const vOpen = sheet.prefix ? `<${sheet.prefix}:v>` : '<v>';
  if (xml.startsWith(vOpen, cell.openEnd)) {
    // The common layout <c ...><v>text</v></c>: no search needed.
    const from = cell.openEnd + vOpen.length;
    raw = xml.slice(from, xml.indexOf('<', from));
  } else {
    const v = cellChild(sheet, cell, 'v');
    if (v < 0) return null;
    raw = childText(sheet, v);
  }
  switch (t) {
    case 's': {
      const table = typeof sst === 'function' ? sst() : sst;
      const s = table[parseInt(raw, 10)];
      return s === undefined || s === '' ? null : s;
    }
    case 'b':
      return raw.trim() === '1' || raw.trim().toLowerCase() === 'true';
    case 'str': {
      const s = decodeXstring(decodeEntities(raw));
      return s === '' ? null : s;
    }
    case 'e':
    case 'd': {
      const s = decodeEntities(raw).trim();
      return s === '' ? null : s;
    }
    default: {
      if (raw === '') return null;
      const n = +raw;
      return Number.isNaN(n) ? decodeEntities(raw) : n;
    }
  }
}

export function isBlank(v: CellValue): boolean {
  return v === null || v === '';
}
