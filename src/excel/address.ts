/** A1-style addresses: 0-based row/column indexes <-> "C7", "'G-L Entries'!A1:X20". */

export function columnLetters(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function cellAddress(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

export function rangeAddress(row: number, col: number, rowCount: number, colCount: number): string {
  const a = cellAddress(row, col);
  if (rowCount === 1 && colCount === 1) return a;
  return `${a}:${cellAddress(row + rowCount - 1, col + colCount - 1)}`;
}

/** Sheet names with anything but letters, digits and _ are quoted; quotes are doubled. */
function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

export function sheetAddress(sheet: string, local: string): string {
  return `${quoteSheet(sheet)}!${local}`;
}

export interface RangeBox {
  sheet?: string;
  row: number;
  col: number;
  rowCount: number;
  colCount: number;
}

const MAX_ROWS = 1048576;
const MAX_COLS = 16384;

/** Parses "A1", "A1:C5", "C:C", "3:5", "Sheet1!A1:B2", "'My Sheet'!A1". */
export function parseAddress(address: string): RangeBox {
  let sheet: string | undefined;
  let local = address;
  const bang = address.lastIndexOf("!");
  if (bang >= 0) {
    sheet = address.slice(0, bang);
    if (sheet.startsWith("'") && sheet.endsWith("'"))
      sheet = sheet.slice(1, -1).replace(/''/g, "'");
    local = address.slice(bang + 1);
  }
  const parts = local.replace(/\$/g, "").toUpperCase().split(":");
  const ends = parts.map((p) => {
    const m = /^([A-Z]*)(\d*)$/.exec(p);
    if (!m || (m[1] === "" && m[2] === "")) throw new Error(`Bad address: ${address}`);
    return { col: m[1] ? columnIndex(m[1]) : null, row: m[2] ? Number(m[2]) - 1 : null };
  });
  const a = ends[0];
  const b = ends[1] ?? ends[0];
  const r0 = a.row ?? 0;
  const r1 = b.row ?? MAX_ROWS - 1;
  const c0 = a.col ?? 0;
  const c1 = b.col ?? MAX_COLS - 1;
  return {
    sheet,
    row: Math.min(r0, r1),
    col: Math.min(c0, c1),
    rowCount: Math.abs(r1 - r0) + 1,
    colCount: Math.abs(c1 - c0) + 1,
  };
}
