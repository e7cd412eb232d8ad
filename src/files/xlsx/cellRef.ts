/** A1-style references. Columns and rows are 0-based column index / 1-based row number, as in the sheet. */

export interface CellAddress {
  /** 0-based column index (A = 0). */
  col: number;
  /** 1-based row number. */
  row: number;
}

export interface RangeRef {
  c0: number;
  r0: number;
  c1: number;
  r1: number;
}

const COL_NAMES: string[] = [];

export function colName(col: number): string {
  const cached = COL_NAMES[col];
  if (cached !== undefined) return cached;
  let s = "";
  let n = col + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  if (col >= 0 && col < 16384) COL_NAMES[col] = s;
  return s;
}

/** Parses "AB12" (also "$AB$12"); returns null when it is not a cell reference. */
export function parseCellRef(ref: string): CellAddress | null {
  let i = 0;
  const n = ref.length;
  if (ref.charCodeAt(i) === 36) i++; // $
  let col = 0;
  const colStart = i;
  for (; i < n; i++) {
    let ch = ref.charCodeAt(i);
    if (ch >= 97 && ch <= 122) ch -= 32;
    if (ch < 65 || ch > 90) break;
    col = col * 26 + (ch - 64);
  }
  if (i === colStart || i - colStart > 3) return null;
  if (ref.charCodeAt(i) === 36) i++;
  let row = 0;
  const rowStart = i;
  for (; i < n; i++) {
    const ch = ref.charCodeAt(i);
    if (ch < 48 || ch > 57) return null;
    row = row * 10 + (ch - 48);
  }
  if (i === rowStart || row < 1) return null;
  return { col: col - 1, row };
}

/** Parses "A1:C10" or a single cell "A1" (a 1x1 range). */
export function parseRange(ref: string): RangeRef | null {
  const colon = ref.indexOf(":");
  if (colon < 0) {
    const a = parseCellRef(ref.trim());
    return a ? { c0: a.col, r0: a.row, c1: a.col, r1: a.row } : null;
  }
  const a = parseCellRef(ref.slice(0, colon).trim());
  const b = parseCellRef(ref.slice(colon + 1).trim());
  if (!a || !b) return null;
  return {
    c0: Math.min(a.col, b.col),
    r0: Math.min(a.row, b.row),
    c1: Math.max(a.col, b.col),
    r1: Math.max(a.row, b.row),
  };
}

export function formatRange(r: RangeRef): string {
  const a = colName(r.c0) + r.r0;
  const b = colName(r.c1) + r.r1;
  return a === b ? a : `${a}:${b}`;
}

export function formatCell(col: number, row: number): string {
  return colName(col) + row;
}
