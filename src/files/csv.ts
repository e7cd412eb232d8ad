/**
 * A workbook as a folder of CSV files (workbook.md): `<table name>.csv`, UTF-8 with an optional BOM,
 * Windows-1252 or UTF-16 with a BOM (decided per file from its bytes, kept when written: decodeCsv), comma,
 * semicolon or tab separated (detected from the header line), RFC 4180 quoting, CRLF or LF line ends.
 *
 * Reading: rowNumbers are the CSV line numbers of the records (the header is line 1; a quoted field with line
 * breaks counts its lines). Empty fields read as null; every other field as text (the schema parses it, under
 * the file's number style: SourceTable.numberStyle). Bytes that are not text and records that cannot be read
 * for sure (ragged, unterminated quotes) are SourceTable.problems: input errors naming file, line and column.
 *
 * Writing keeps every byte it does not have to change: an update rewrites only the fields it writes (other
 * fields keep their original text and quoting), an append adds lines after the last record, a replace keeps
 * the header line. The file's separator, BOM and line-end style are kept; new files take the style of the
 * folder's Value Entries file. The files are committed together (./commit.ts: staged, a journal as the
 * commit point, renamed), so a glpost reader sees the folder before or after a run, never a mix; opening a
 * folder first completes a commit an interrupted run left. Before the commit point, every CSV file of the
 * folder must still be as it was read (size, mtime, SHA-256), else ConcurrentChangeError and nothing is
 * written. A symlinked CSV file is read and written through (its target is replaced, the link stays). With
 * an output folder, every CSV file of the input is written there, so the output is a complete workbook.
 */
import { isUtf8 } from "buffer";
import { promises as fs } from "fs";
import * as path from "path";
import { findTable, findColumn, looseHeader } from "../workbook/names";
import {
  checkUnchanged,
  commitFolder,
  ensureDir,
  recoverFolder,
  stampOf,
  type FileStamp,
} from "./commit";
import {
  ConcurrentChangeError,
  WriteFailedError,
  type CellValue,
  type ColumnSpec,
  type NumberStyle,
  type OutputTableNames,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from "../workbook/port";
import { NUMBER_FORM, numberForm, numberText } from "../workbook/values";

// ---------------------------------------------------------------------------------------------
// Parsing

export type CsvSeparator = "," | ";" | "\t";

export interface CsvStyle {
  bom: boolean;
  separator: CsvSeparator;
  eol: "\r\n" | "\n" | "\r";
  /** The file ends with a line end. */
  finalEol: boolean;
  /**
   * Amounts are written with a decimal comma ("165,00"): a semicolon file whose amounts already use one, as
   * day-first locales (and their BC exports) write CSV. Money written back follows the file's own style.
   */
  decimalComma?: boolean;
}

const DEFAULT_CSV_STYLE: CsvStyle = {
  bom: false,
  separator: ",",
  eol: "\n",
  finalEol: true,
};

/**
 * The file's number style, decided once from the values that can be read only one way ("165,00" or "1.234,50":
 * decimal comma; "165.00" or "1,234.50": decimal point). Only columns whose every non-blank field is a number
 * take part (a description "2,5 mm" or a date does not); when both kinds occur, the more frequent decides (the
 * others are then input errors where they are read). Records with a problem are left out.
 */
function decideNumberStyle(
  header: readonly string[],
  rows: readonly CellValue[][],
  rowNumbers: readonly number[],
  skip: ReadonlySet<number>
): NumberStyle {
  let width = header.length;
  for (const row of rows) if (row.length > width) width = row.length;
  const notNumber = new Uint8Array(width);
  const points = new Uint32Array(width);
  const commas = new Uint32Array(width);
  const firstPoint = new Int32Array(width).fill(-1);
  const firstComma = new Int32Array(width).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    if (skip.has(r)) continue;
    const row = rows[r];
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v !== "string" || notNumber[c] === 1) continue;
      const t = v.charCodeAt(0) > 32 && v.charCodeAt(v.length - 1) > 32 ? v : v.trim();
      if (t === "") continue;
      const f = numberForm(t);
      if (f === NUMBER_FORM.none) notNumber[c] = 1;
      else if (f === NUMBER_FORM.point) {
        if (points[c]++ === 0) firstPoint[c] = r;
      } else if (f === NUMBER_FORM.comma) {
        if (commas[c]++ === 0) firstComma[c] = r;
      }
    }
  }
  let p = 0;
  let k = 0;
  let pAt: [number, number] | null = null;
  let kAt: [number, number] | null = null;
  for (let c = 0; c < width; c++) {
    if (notNumber[c] === 1) continue;
    p += points[c];
    k += commas[c];
    if (firstPoint[c] >= 0 && (pAt === null || firstPoint[c] < pAt[0])) pAt = [firstPoint[c], c];
    if (firstComma[c] >= 0 && (kAt === null || firstComma[c] < kAt[0])) kAt = [firstComma[c], c];
  }
  if (pAt === null && kAt === null) return { decimal: null };
  // Majority; a tie goes to the style seen first.
  const comma = k > p || (k === p && kAt !== null && (pAt === null || kAt[0] < pAt[0]));
  const [r, c] = comma ? kAt! : pAt!;
  const name = header[c] ?? "";
  return {
    decimal: comma ? "," : ".",
    decidedBy: `${JSON.stringify(String(rows[r][c]).trim())} in line ${rowNumbers[r]}${name === "" ? "" : `, column "${name}"`}`,
  };
}

/** One record's place in the text: [start, end) without its line end; line = its first line number. */
export interface CsvSpan {
  start: number;
  end: number;
  line: number;
  /** Number of fields in the record. */
  fields: number;
}

/** A record the parser cannot read for sure (input errors of the table; the record reads as blank). */
export interface CsvProblem {
  /** The record's first line. */
  line: number;
  /** Index into rows; -1 for the header. */
  rowIndex: number;
  /** The column concerned when one can be named. */
  column?: string;
  /** The text found (the record, or the start of the field). */
  value: string;
  message: string;
}

export interface ParsedCsv {
  text: string;
  style: CsvStyle;
  /** Header texts (empty when the file is empty). */
  header: string[];
  headerSpan: CsvSpan | null;
  rows: CellValue[][];
  spans: CsvSpan[];
  rowNumbers: number[];
  /** Records that cannot be read for sure: ragged (field count differs from the header), unterminated quotes. */
  problems?: CsvProblem[];
  /** The file's number style (decided once, from the values that can be read only one way). */
  numberStyle?: NumberStyle;
}

/** Separator of the header line: the most frequent of , ; and tab outside quotes (ties: comma). */
export function detectSeparator(text: string, from = 0): CsvSeparator {
  let comma = 0;
  let semi = 0;
  let tab = 0;
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) quoted = !quoted;
    else if (!quoted) {
      if (ch === 10 || ch === 13) break;
      if (ch === 44) comma++;
      else if (ch === 59) semi++;
      else if (ch === 9) tab++;
    }
  }
  if (semi > comma && semi >= tab) return ";";
  if (tab > comma && tab > semi) return "\t";
  return ",";
}

function detectEol(text: string): "\r\n" | "\n" | "\r" {
  const n = text.indexOf("\n");
  if (n > 0 && text.charCodeAt(n - 1) === 13) return "\r\n";
  if (n >= 0) return "\n";
  return text.indexOf("\r") >= 0 ? "\r" : "\n";
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

const SEP_NAME: Record<CsvSeparator, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** A record as text for a message: its first 60 characters (quote() shortens further). */
function recordText(text: string, start: number, end: number): string {
  return text.slice(start, Math.min(end, start + 80));
}

/** Why a record has more fields than the header: a number split at its thousands separator ("1" + "165.00"). */
function splitNumberHint(
  fields: readonly CellValue[],
  header: readonly string[],
  sep: CsvSeparator
): { column?: string; hint: string } {
  if (sep === ",")
    for (let i = 0; i + 1 < fields.length; i++) {
      const a = fields[i];
      const b = fields[i + 1];
      if (
        typeof a === "string" &&
        typeof b === "string" &&
        /^[-(]?\d{1,3}$/.test(a) &&
        /^\d{3}(?:\.\d+)?\)?$/.test(b)
      )
        return {
          column: header[i],
          hint: `"${a}" and "${b}" look like one number, ${a},${b}, split at its thousands separator: write it as "${a},${b}" (in quotes) or as ${a}${b}`,
        };
    }
  return { hint: `a ${SEP_NAME[sep]} inside a value must be in quotes ("...")` };
}

/**
 * RFC 4180 parsing, strict where a wrong reading is possible: a record whose field count differs from the
 * header's, a quoted field that is never closed (a stray quote would swallow the rest of the file) and text
 * after a closing quote are problems (ParsedCsv.problems; the rows still hold what was parsed). A stray quote
 * inside an unquoted field is text (Excel reads it so too). A record whose fields are all blank is a blank row.
 */
export function parseCsv(input: string): ParsedCsv {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = input;
  const start0 = bom ? 1 : 0;
  const sep = detectSeparator(text, start0);
  const sepCode = sep.charCodeAt(0);
  const len = text.length;
  let header: string[] | null = null;
  let headerSpan: CsvSpan | null = null;
  const rows: CellValue[][] = [];
  const spans: CsvSpan[] = [];
  const rowNumbers: number[] = [];
  const problems: CsvProblem[] = [];
  let pos = start0;
  let line = 1;
  while (pos < len) {
    const recStart = pos;
    const recLine = line;
    const fields: CellValue[] = [];
    let recEnd = len;
    let problem: { column: number; value: string; message: string } | null = null;
    for (;;) {
      let value: string;
      if (pos < len && text.charCodeAt(pos) === 34) {
        // Quoted field
        const open = pos;
        pos++;
        let buf = "";
        let seg = pos;
        for (;;) {
          const q = text.indexOf('"', pos);
          if (q < 0) {
            line += countNewlines(text, seg, len);
            buf += text.slice(seg, len);
            pos = len;
            problem ??= {
              column: fields.length,
              value: text.slice(open, open + 40),
              message:
                `the quote (") that opens this field is never closed, so the rest of the file would be one value ` +
                `(a stray quote, or the file was cut off); remove the stray quote or close the field, or restore the file from its source`,
            };
            break;
          }
          if (q + 1 < len && text.charCodeAt(q + 1) === 34) {
            line += countNewlines(text, seg, q);
            buf += text.slice(seg, q + 1);
            pos = q + 2;
            seg = pos;
            continue;
          }
          line += countNewlines(text, seg, q);
          buf += text.slice(seg, q);
          pos = q + 1;
          break;
        }
        let j = pos;
        while (j < len) {
          const ch = text.charCodeAt(j);
          if (ch === sepCode || ch === 10 || ch === 13) break;
          j++;
        }
        // Blanks after the closing quote ("a" ,"b") are harmless; other text means the quotes do not pair as written.
        if (j > pos && text.slice(pos, j).trim() !== "") {
          // "abc"def: the quotes do not pair as written (often a stray quote earlier that swallowed separators).
          problem ??= {
            column: fields.length,
            value: text.slice(open, Math.min(j, open + 40)),
            message: `text follows the closing quote of this field (a quote inside a quoted value must be doubled: ""), so where the field ends cannot be told; fix the quotes`,
          };
        }
        if (j > pos) buf += text.slice(pos, j);
        pos = j;
        value = buf;
      } else {
        let j = pos;
        while (j < len) {
          const ch = text.charCodeAt(j);
          if (ch === sepCode || ch === 10 || ch === 13) break;
          j++;
        }
        value = text.slice(pos, j);
        pos = j;
      }
      fields.push(value === "" ? null : value);
      if (pos >= len) {
        recEnd = len;
        break;
      }
      const ch = text.charCodeAt(pos);
      if (ch === sepCode) {
        pos++;
        if (pos >= len) {
          fields.push(null);
          recEnd = len;
          break;
        }
        continue;
      }
      // Line end
      recEnd = pos;
      if (ch === 13 && pos + 1 < len && text.charCodeAt(pos + 1) === 10) pos += 2;
      else pos += 1;
      line++;
      break;
    }
    const span: CsvSpan = {
      start: recStart,
      end: recEnd,
      line: recLine,
      fields: recEnd === recStart ? 0 : fields.length,
    };
    const rowIndex = header === null ? -1 : rows.length;
    if (header === null) {
      header = fields.map((f) => (f === null ? "" : String(f)));
      headerSpan = span;
    } else {
      // A blank line is a blank row (kept, so row numbers and indexes stay right); an empty row.
      rows.push(span.fields === 0 ? [] : fields);
      spans.push(span);
      rowNumbers.push(recLine);
      if (
        problem === null &&
        span.fields !== 0 &&
        fields.length !== header.length &&
        !fields.every((f) => f === null || String(f).trim() === "")
      ) {
        const n = fields.length;
        const h = header.length;
        const more = n > h ? splitNumberHint(fields, header, sep) : null;
        const cut =
          n < h &&
          recEnd === len &&
          !(len > 0 && (text.charCodeAt(len - 1) === 10 || text.charCodeAt(len - 1) === 13));
        problems.push({
          line: recLine,
          rowIndex,
          // Cut off: the column cut; fewer fields: the first column with none; more: the column of a split number.
          column: cut ? header[n - 1] : n < h ? header[n] : more?.column,
          value: recordText(text, recStart, recEnd),
          message:
            `this record has ${n} fields but the header has ${h} columns, so its values would land in the wrong columns; ` +
            (more !== null
              ? more.hint
              : cut
                ? "the file ends in the middle of this record (cut off?): restore the file from its source"
                : `add the missing fields from column "${header[n]}" on (${SEP_NAME[sep]}s), or join the record if it was split across lines`),
        });
      }
    }
    if (problem !== null)
      problems.push({
        line: recLine,
        rowIndex,
        column: header[problem.column],
        value: problem.value,
        message: problem.message,
      });
  }
  const lastCh = len > start0 ? text.charCodeAt(len - 1) : -1;
  const style: CsvStyle = {
    bom,
    separator: sep,
    eol: detectEol(text),
    finalEol: lastCh === 10 || lastCh === 13,
  };
  const skip = new Set(problems.map((p) => p.rowIndex));
  const numberStyle = decideNumberStyle(header ?? [], rows, rowNumbers, skip);
  if (numberStyle.decimal === ",") style.decimalComma = true;
  return {
    text,
    style,
    header: header ?? [],
    headerSpan,
    rows,
    spans,
    rowNumbers,
    problems,
    numberStyle,
  };
}

/** The raw text of each field of a record (quotes and all), to rebuild it with some fields changed. */
function splitRawFields(text: string, span: CsvSpan, sep: CsvSeparator): string[] {
  const out: string[] = [];
  if (span.end === span.start) return out;
  const sepCode = sep.charCodeAt(0);
  let i = span.start;
  let fieldStart = i;
  let quoted = false;
  for (; i < span.end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) quoted = !quoted;
    else if (ch === sepCode && !quoted) {
      out.push(text.slice(fieldStart, i));
      fieldStart = i + 1;
    }
  }
  out.push(text.slice(fieldStart, span.end));
  return out;
}

/** Text Excel would run as a formula (OWASP "CSV injection"): starts with = + - @, tab or CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as CSV field text: booleans Yes/No, numbers without ".0", quoted when needed (RFC 4180). `text`: the
 * column is a text column, so text that Excel would run as a formula gets a leading ' and quotes (OWASP).
 */
export function encodeCsvField(v: CellValue, sep: CsvSeparator, text = false): string {
  let t: string;
  if (v === null) return "";
  if (typeof v === "boolean") t = v ? "Yes" : "No";
  else if (typeof v === "number") t = numberText(v);
  else t = v;
  if (text && typeof v === "string" && FORMULA_START.test(t))
    return "\"'" + t.replace(/"/g, '""') + '"';
  if (t.indexOf('"') >= 0 || t.indexOf(sep) >= 0 || t.indexOf("\n") >= 0 || t.indexOf("\r") >= 0)
    return '"' + t.replace(/"/g, '""') + '"';
  return t;
}

// ---------------------------------------------------------------------------------------------
// Rewriting one file

interface Rebuild {
  /** Column names added to the header. */
  addColumns: string[];
  /** Field values by record index (into rows) and column index: encoded CSV text. */
  edits: Map<number, Map<number, string>>;
  /** Drop every data record (replace). */
  dropData: boolean;
  /** New records, fields already encoded, in header order. */
  append: string[][];
  /** Record indexes to leave out (a delete write): the record and the line break before it. */
  drop?: ReadonlySet<number>;
}

function rebuildCsv(p: ParsedCsv, style: CsvStyle, rb: Rebuild): string {
  const { text } = p;
  const sep = style.separator;
  const eol = style.eol;
  const parts: string[] = [];
  if (style.bom) parts.push("\ufeff");
  const added = rb.addColumns.map((c) => encodeCsvField(c, sep));
  const width = p.header.length + added.length;
  if (p.headerSpan === null) {
    parts.push(added.join(sep));
  } else {
    parts.push(
      text.slice(p.headerSpan.start, p.headerSpan.end) + added.map((a) => sep + a).join("")
    );
  }
  let tail = p.headerSpan === null ? "" : text.slice(p.headerSpan.end);
  if (!rb.dropData && p.spans.length > 0) {
    let prevEnd = p.headerSpan!.end;
    // When appending, trailing blank lines are dropped so the new rows follow the last record.
    let last = p.spans.length - 1;
    if (rb.append.length > 0) while (last >= 0 && p.spans[last].fields === 0) last--;
    for (let r = 0; r <= last; r++) {
      const s = p.spans[r];
      if (rb.drop?.has(r)) {
        prevEnd = s.end;
        continue;
      }
      parts.push(text.slice(prevEnd, s.start));
      const edit = rb.edits.get(r);
      if (edit !== undefined) {
        const fields = splitRawFields(text, s, sep);
        while (fields.length < width) fields.push("");
        for (const [ci, v] of edit) fields[ci] = v;
        parts.push(fields.join(sep));
      } else if (added.length > 0 && s.fields > 0 && s.fields < width) {
        parts.push(text.slice(s.start, s.end) + sep.repeat(width - s.fields));
      } else {
        parts.push(text.slice(s.start, s.end));
      }
      prevEnd = s.end;
    }
    tail = text.slice(prevEnd);
    if (last < p.spans.length - 1) tail = "";
  } else if (rb.dropData) {
    tail = "";
  }
  if (rb.append.length > 0) {
    const lines = rb.append.map((f) => f.join(sep));
    // The previous record's own line end, then the new records.
    parts.push(eol + lines.join(eol) + (style.finalEol ? eol : ""));
  } else if (rb.dropData || p.headerSpan === null) {
    if (style.finalEol) parts.push(eol);
  } else {
    parts.push(tail);
  }
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// The adapter

interface FileSnapshot {
  /** File name with .csv (or .parquet). */
  file: string;
  /** The streamed Parquet table: its header (its rows are not read here). */
  parquetHeader?: string[];
  stamp: FileStamp;
  /** Content as read (or as last written). */
  content: Buffer;
  parsed?: ParsedCsv;
}

function isCsvName(f: string): boolean {
  const l = f.toLowerCase();
  return (l.endsWith(".csv") || l.endsWith(".parquet")) && !f.startsWith(".");
}

/** A Parquet table of the folder (a streamed run's Value Entries and its output tables): parquet.ts. */
export function isParquetFile(f: string): boolean {
  return f.toLowerCase().endsWith(".parquet");
}

/** The table a file of the folder holds: its name without .csv or .parquet. */
export function tableNameOf(f: string): string {
  return f.slice(0, isParquetFile(f) ? -8 : -4);
}

/** A write to a Parquet table outside a streamed run: refused before anything is written (an input problem). */
export class TableWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TableWriteError";
  }
}

/** The CSV (and Parquet) files of a folder, symlinks to files included (a shared table linked in is a table). */
export async function listCsvFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (!isCsvName(e.name)) continue;
    if (
      e.isFile() ||
      (e.isSymbolicLink() &&
        (await fs.stat(path.join(folder, e.name)).then(
          (st) => st.isFile(),
          () => false
        )))
    )
      out.push(e.name);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Text encodings: decided per file from its bytes, kept when the file is written back

/** A CSV file's encoding: UTF-8 (with or without BOM), Windows-1252 (Excel's "CSV (Comma delimited)" on Windows), UTF-16 with BOM. */
export type CsvEncoding = "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
  /** The bytes are not text this reader can be sure of: why, the line and what to do (text is then ''). */
  problem?: { line: number; message: string };
}

/** Windows-1252 bytes 0x80..0x9F (0 = undefined: 0x81, 0x8D, 0x8F, 0x90, 0x9D); the rest is ISO-8859-1. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const CP1252_ENCODE = new Map<number, number>(
  CP1252_HIGH.map((u, i) => [u, 0x80 + i] as [number, number]).filter(([u]) => u !== 0)
);

function lineAt(content: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (content[i] === 10) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    let n = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

const SAVE_AS =
  'save it as "CSV UTF-8 (Comma delimited)" in Excel (or as UTF-8 in the program that wrote it) and run again';

/**
 * Decodes a CSV file, deterministically from its bytes alone: a UTF-16 byte order mark -> UTF-16; valid
 * UTF-8 -> UTF-8; otherwise Windows-1252 when every byte is defined there; otherwise a problem (never
 * replacement characters). NUL bytes are a problem too (UTF-16 without a byte order mark, or not text).
 */
export function decodeCsv(content: Buffer): DecodedCsv {
  if (
    content.length >= 2 &&
    ((content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff))
  ) {
    const encoding: CsvEncoding = content[0] === 0xff ? "utf-16le" : "utf-16be";
    if (content.length % 2 !== 0)
      return {
        text: "",
        encoding,
        problem: {
          line: 1,
          message: `the file starts like UTF-16 text but has an odd number of bytes (cut off?); ${SAVE_AS}`,
        },
      };
    const le = encoding === "utf-16le" ? content : Buffer.from(content).swap16();
    return { text: le.toString("utf16le"), encoding };
  }
  const nul = content.indexOf(0);
  if (nul >= 0)
    return {
      text: "",
      encoding: "utf-8",
      problem: {
        line: lineAt(content, nul),
        message: `this line holds a NUL byte: the file is not UTF-8 or Windows-1252 text (UTF-16 without a byte order mark?); ${SAVE_AS}`,
      },
    };
  if (isUtf8(content)) return { text: content.toString("utf8"), encoding: "utf-8" };
  const bad = firstInvalidUtf8(content);
  let i = -1;
  for (const u of CP1252_UNDEFINED) {
    const at = content.indexOf(u);
    if (at >= 0 && (i < 0 || at < i)) i = at;
  }
  if (i >= 0) {
    const c = content[i];
    return {
      text: "",
      encoding: "utf-8",
      problem: {
        line: lineAt(content, bad >= 0 ? bad : i),
        message:
          `the file is neither UTF-8 (line ${lineAt(content, bad >= 0 ? bad : i)} has the byte 0x${content[bad >= 0 ? bad : i].toString(16).toUpperCase()}, which is not UTF-8 there) nor Windows-1252 ` +
          `(line ${lineAt(content, i)} has the byte 0x${c.toString(16).toUpperCase()}, which Windows-1252 does not define); ${SAVE_AS}`,
      },
    };
  }
  return { text: cp1252Text(content), encoding: "windows-1252" };
}

/** Windows-1252 bytes as text (every byte defined there: decodeCsv checked). */
export function cp1252Text(content: Buffer): string {
  // ISO-8859-1 (native) and then the 27 characters Windows-1252 puts at 0x80..0x9F.
  return content
    .toString("latin1")
    .replace(/[\x80-\x9f]/g, (ch) => String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80]));
}

/** Bytes Windows-1252 does not define (a file holding one is neither UTF-8 nor Windows-1252 text). */
export const CP1252_UNDEFINED = [0x81, 0x8d, 0x8f, 0x90, 0x9d] as const;

export { SAVE_AS };

/** A character a file's encoding cannot hold (Windows-1252 has about 250). */
class CsvEncodingError extends Error {
  constructor(
    readonly file: string,
    readonly char: string
  ) {
    super(
      `${file} is a Windows-1252 file and cannot hold the character "${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) this run writes; ` +
        `save the folder's CSV files as "CSV UTF-8 (Comma delimited)" and run again`
    );
    this.name = "CsvEncodingError";
  }
}

/** The bytes of a file's text in its encoding (the inverse of decodeCsv: unchanged text gives the same bytes). */
export function encodeText(text: string, encoding: CsvEncoding, file = "the file"): Buffer {
  switch (encoding) {
    case "utf-8":
      return Buffer.from(text, "utf8");
    case "utf-16le":
      return Buffer.from(text, "utf16le");
    case "utf-16be":
      return Buffer.from(text, "utf16le").swap16();
    case "windows-1252": {
      const out = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) {
        const u = text.charCodeAt(i);
        if (u < 0x80 || (u >= 0xa0 && u <= 0xff)) out[i] = u;
        else {
          const b = CP1252_ENCODE.get(u);
          if (b === undefined)
            throw new CsvEncodingError(file, String.fromCodePoint(text.codePointAt(i)!));
          out[i] = b;
        }
      }
      return out;
    }
  }
}

const decodedCache = new WeakMap<Buffer, DecodedCsv>();

/** decodeCsv, once per content buffer. */
function decoded(content: Buffer): DecodedCsv {
  let d = decodedCache.get(content);
  if (d === undefined) decodedCache.set(content, (d = decodeCsv(content)));
  return d;
}

/** The table with the file's decoding and record problems (SourceTable.problems); a record with one reads as blank. */
function withProblems(t: SourceTable, file: string, content: Buffer, p: ParsedCsv): SourceTable {
  const d = decoded(content);
  if (d.problem !== undefined) {
    t.problems = [
      { row: d.problem.line, message: `${file} cannot be read as text: ${d.problem.message}` },
    ];
    // The header as far as it reads, so that this one error is not followed by "column missing" ones.
    const first =
      content
        .subarray(0, 64 * 1024)
        .toString("latin1")
        .split(/\r?\n|\r/, 1)[0] ?? "";
    t.header = parseCsv(first.replace(/\0/g, "")).header;
    return t;
  }
  return withRecordProblems(t, file, p);
}

/** The table with the parsed records' problems (ragged, unterminated quotes); such a record reads as blank. */
export function withRecordProblems(t: SourceTable, file: string, p: ParsedCsv): SourceTable {
  const list = p.problems ?? [];
  if (list.length === 0) return t;
  t.rows = p.rows.slice();
  t.problems = list.map((x) => {
    if (x.rowIndex >= 0) t.rows[x.rowIndex] = [];
    return {
      row: x.line,
      column: x.column,
      value: x.value,
      message: `line ${x.line} of ${file}: ${x.message}`,
    };
  });
  if (list.some((x) => x.rowIndex < 0)) t.rows = t.rows.map(() => []);
  return t;
}

export interface CsvOpenOptions {
  /** Write the result here instead of back into the input folder. */
  outputFolder?: string;
  /**
   * A file read in chunks by a streamed run (app/stream.ts): not read here. The folder holds it as its header
   * line (head: those bytes, in the file's encoding), with the stamp of the whole file and its encoding.
   */
  streamed?: {
    file: string;
    stamp: FileStamp;
    /** A CSV file: its header line's bytes, in the file's encoding. */
    head?: Buffer;
    /** A CSV file: the header line as text (with the BOM when the file has one). */
    text?: string;
    encoding?: CsvEncoding;
    /** A CSV file: the number style its chunks read with (new files take its decimal mark). */
    numberStyle?: NumberStyle;
    /** A Parquet file: its column names. */
    header?: string[];
  };
}

/** Where a streamed run writes one output table: its file, what it holds now, its encoding and new-file style. */
export interface StreamTarget {
  file: string;
  parsed: ParsedCsv | null;
  encoding: CsvEncoding;
  newStyle: CsvStyle;
}

export class CsvFolderWorkbook implements WorkbookPort {
  private files = new Map<string, FileSnapshot>();
  /** The interrupted commit completed when the folder was opened, if any (the CLI says so). */
  recovered: Awaited<ReturnType<typeof recoverFolder>> = null;

  private constructor(
    private folder: string,
    private outputFolder: string
  ) {}

  /** Reads every CSV file of the folder (their content is the snapshot the write guard compares with). */
  static async open(folder: string, options: CsvOpenOptions = {}): Promise<CsvFolderWorkbook> {
    let st;
    try {
      st = await fs.stat(folder);
    } catch {
      throw new Error(`The folder "${folder}" does not exist.`);
    }
    if (!st.isDirectory()) throw new Error(`"${folder}" is not a folder of CSV files.`);
    const wb = new CsvFolderWorkbook(
      path.resolve(folder),
      path.resolve(options.outputFolder ?? folder)
    );
    // A commit an interrupted run left half done is completed before anything is read (the caller holds the lock).
    wb.recovered = await recoverFolder(wb.folder);
    const streamed = options.streamed;
    for (const file of await listCsvFiles(wb.folder)) {
      if (streamed !== undefined && file === streamed.file && isParquetFile(file)) {
        wb.files.set(file, {
          file,
          stamp: streamed.stamp,
          content: Buffer.alloc(0),
          parquetHeader: streamed.header ?? [],
        });
      } else if (streamed !== undefined && file === streamed.file) {
        const head = streamed.head!;
        const text = streamed.text!;
        decodedCache.set(head, { text, encoding: streamed.encoding! });
        const parsed = parseCsv(text);
        if (streamed.numberStyle !== undefined) {
          parsed.numberStyle = streamed.numberStyle;
          if (streamed.numberStyle.decimal === ",") parsed.style.decimalComma = true;
        }
        wb.files.set(file, { file, stamp: streamed.stamp, content: head, parsed });
      } else wb.files.set(file, await wb.snapshot(file));
    }
    return wb;
  }

  /** The folder the tables are read from (after a write to another folder: that folder). */
  get location(): string {
    return this.folder;
  }

  private async snapshot(file: string): Promise<FileSnapshot> {
    const full = path.join(this.folder, file);
    const content = await fs.readFile(full);
    return { file, stamp: await stampOf(full, content), content };
  }

  async listTables(): Promise<TableRef[]> {
    return [...this.files.keys()].map((f) => ({ name: tableNameOf(f), kind: "csv" as const }));
  }

  private fileOf(ref: TableRef): FileSnapshot {
    const snap =
      this.files.get(ref.name + ".csv") ??
      this.files.get(ref.name + ".parquet") ??
      [...this.files.values()].find((f) => tableNameOf(f.file) === ref.name);
    if (snap === undefined)
      throw new Error(`The table "${ref.name}" is not a CSV file in ${this.folder}.`);
    return snap;
  }

  private parsed(snap: FileSnapshot): ParsedCsv {
    if (snap.parsed === undefined) snap.parsed = parseCsv(decoded(snap.content).text);
    return snap.parsed;
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    const snap = this.fileOf(ref);
    if (isParquetFile(snap.file)) return this.readParquet(ref, snap);
    const p = this.parsed(snap);
    const t: SourceTable = {
      ref: { name: ref.name, kind: "csv" },
      header: p.header.slice(),
      rows: p.rows,
      rowNumbers: p.rowNumbers,
      numberStyle: p.numberStyle,
    };
    return withProblems(t, snap.file, snap.content, p);
  }

  /** A Parquet table, all its rows (the streamed one: its header only; its rows come in chunks). */
  private async readParquet(ref: TableRef, snap: FileSnapshot): Promise<SourceTable> {
    const t: SourceTable = {
      ref: { name: ref.name, kind: "csv" },
      header: [],
      rows: [],
      rowNumbers: [],
    };
    if (snap.parquetHeader !== undefined) {
      t.header = snap.parquetHeader.slice();
      return t;
    }
    const { openParquetTable } = await import("./parquet");
    const table = await openParquetTable(path.join(this.folder, snap.file));
    t.header = table.header.slice();
    for await (const c of table.chunks(65536)) {
      for (const r of c.rows) t.rows.push(r);
      for (const n of c.rowNumbers) t.rowNumbers.push(n);
    }
    return t;
  }

  /** The bytes of a file's new text in the file's own encoding (a new file: that of the folder's Value Entries). */
  private encodeFile(file: string, text: string): Buffer {
    const snap = this.files.get(file) ?? this.styleSource();
    const d = snap === undefined ? undefined : decoded(snap.content);
    // Nothing is on disk yet: a file that cannot take the new text stops the run before any write (exit 3).
    const fail = (why: string) =>
      new WriteFailedError(
        path.join(this.outputFolder, file),
        "EILSEQ",
        why,
        this.outputFolder === this.folder ? "inputUnchanged" : "nothingWritten",
        "Nothing was written."
      );
    if (d?.problem !== undefined && snap!.file === file)
      throw fail(
        `${file} cannot be rewritten: it could not be read as text (line ${d.problem.line}); ${SAVE_AS}`
      );
    try {
      return encodeText(
        text,
        d === undefined || d.problem !== undefined ? "utf-8" : d.encoding,
        file
      );
    } catch (e) {
      if (e instanceof CsvEncodingError) throw fail(e.message);
      throw e;
    }
  }

  /** The file whose style new files take: Value Entries, else any file. */
  private styleSource(): FileSnapshot | undefined {
    const csvs = [...this.files.keys()].filter((f) => !isParquetFile(f));
    const refs = csvs.map((f) => ({ name: tableNameOf(f), kind: "csv" as const }));
    const ve = findTable(refs, "Value Entries");
    return ve !== undefined ? this.fileOf(ve) : this.files.get(csvs[0] ?? "");
  }

  /** Throws ConcurrentChangeError when any CSV file of the folder changed, appeared or went since it was read. */
  async checkUnchanged(): Promise<void> {
    let now: string[];
    try {
      now = await listCsvFiles(this.folder);
    } catch {
      throw new ConcurrentChangeError(
        `The folder ${this.folder} cannot be read any more. Nothing was written.`
      );
    }
    const before = [...this.files.keys()].sort();
    if (now.length !== before.length || now.some((f, i) => f !== before[i])) {
      const added = now.filter((f) => !this.files.has(f));
      const gone = before.filter((f) => !now.includes(f));
      throw new ConcurrentChangeError(
        `The CSV files of ${this.folder} changed since they were read (${[...added.map((f) => `new: ${f}`), ...gone.map((f) => `removed: ${f}`)].join(", ")}). Nothing was written; run again.`
      );
    }
    for (const snap of this.files.values()) await checkUnchanged(snap.stamp, snap.file);
  }

  /**
   * Where a write goes in a streamed run (pendingNew: files the run creates, as write() keeps them): the file,
   * what it holds as read, its encoding (a new file: that of Value Entries) and the style of a new file.
   */
  streamTarget(w: TableWrite, pendingNew: Map<string, string>): StreamTarget {
    const file =
      w.kind === "update" || w.kind === "delete"
        ? this.fileOf(w.table).file
        : this.targetFile(w.names, w.existing, pendingNew);
    const snap = this.files.get(file);
    const source = snap ?? this.styleSource();
    const d = source === undefined ? undefined : decoded(source.content);
    return {
      file,
      parsed: snap === undefined || isParquetFile(file) ? null : this.parsed(snap),
      encoding: d === undefined || d.problem !== undefined ? "utf-8" : d.encoding,
      newStyle: this.defaultStyle(),
    };
  }

  /** The bytes of a CSV file as read (a streamed run copies the unchanged ones to another output folder). */
  contentOf(file: string): Buffer | undefined {
    return this.files.get(file)?.content;
  }

  /** The CSV files read, by name. */
  fileNames(): string[] {
    return [...this.files.keys()];
  }

  /** The style for a new file: that of the Value Entries file, else of any file, else comma/LF. */
  private defaultStyle(): CsvStyle {
    const snap = this.styleSource();
    if (snap === undefined) return { ...DEFAULT_CSV_STYLE };
    const s = this.parsed(snap).style;
    return {
      bom: s.bom,
      separator: s.separator,
      eol: s.eol === "\r" ? "\n" : s.eol,
      finalEol: true,
      decimalComma: s.decimalComma,
    };
  }

  /** The file an append/replace goes to: the existing table, else one whose name matches loosely, else a new one. */
  private targetFile(
    names: OutputTableNames,
    existing: TableRef | undefined,
    pendingNew: Map<string, string>
  ): string {
    if (existing !== undefined) return this.fileOf(existing).file;
    const files = [...this.files.keys(), ...pendingNew.keys()];
    const refs = files.map((f) => ({ name: tableNameOf(f), kind: "csv" as const }));
    const hit = findTable(refs, names.name, [names.csvName, names.sheetName, names.excelTableName]);
    if (hit !== undefined) return files.find((f) => tableNameOf(f) === hit.name)!;
    // A folder whose Value Entries are Parquet gets its new tables as Parquet ("the same format").
    const ve = findTable(refs, "Value Entries");
    const parquet =
      ve !== undefined && files.some((f) => isParquetFile(f) && tableNameOf(f) === ve.name);
    return names.csvName + (parquet ? ".parquet" : ".csv");
  }

  async write(
    writes: TableWrite[],
    guard: WriteGuard | null,
    progress?: WriteProgress
  ): Promise<void> {
    void guard; // The whole folder is compared with what was read: stronger than the guard's columns.
    await this.checkUnchanged();

    // Compute every new file content in memory first.
    const texts = new Map<string, string>(); // file -> new text (changed or new files)
    const pendingNew = new Map<string, string>();
    for (const w of writes) {
      const file =
        w.kind === "update" || w.kind === "delete"
          ? this.fileOf(w.table).file
          : this.targetFile(w.names, w.existing, pendingNew);
      if (isParquetFile(file))
        throw new TableWriteError(
          `${file} is a Parquet table: glpost writes Parquet tables only in a streamed run (glpost post <folder> --stream). Nothing was written.`
        );
      const pending = texts.get(file);
      const snap = this.files.get(file);
      const p =
        pending !== undefined ? parseCsv(pending) : snap !== undefined ? this.parsed(snap) : null;
      const out = applyWrite(p, w, this.defaultStyle());
      texts.set(file, out);
      if (!this.files.has(file)) pendingNew.set(file, out);
    }

    // Every file of the result: changed ones, and (for another output folder) unchanged ones too.
    const target = this.outputFolder;
    const toWrite: { file: string; content: Buffer }[] = [];
    for (const [file, text] of texts) toWrite.push({ file, content: this.encodeFile(file, text) });
    if (target !== this.folder)
      for (const [file, snap] of this.files)
        if (!texts.has(file)) toWrite.push({ file, content: snap.content });

    const inPlace = target === this.folder;
    await ensureDir(target, inPlace);
    // Another output folder may hold a commit an earlier run left half done: complete it before adding ours.
    if (!inPlace) await recoverFolder(target);
    await commitFolder(
      target,
      toWrite.map(({ file, content }) => ({ final: path.join(target, file), content })),
      { guard: () => this.checkUnchanged(), inPlace, progress }
    );

    // The written files are now the workbook.
    this.folder = target;
    const next = new Map<string, FileSnapshot>();
    for (const file of await listCsvFiles(target)) next.set(file, await this.snapshot(file));
    this.files = next;
  }
}

/** Applies one write to a parsed file (null: the file does not exist yet). Returns the new text. */
export function applyWrite(p: ParsedCsv | null, w: TableWrite, newStyle: CsvStyle): string {
  const base: ParsedCsv = p ?? {
    text: "",
    style: newStyle,
    header: [],
    headerSpan: null,
    rows: [],
    spans: [],
    rowNumbers: [],
  };
  const style =
    p === null || p.headerSpan === null
      ? { ...newStyle, bom: p?.style.bom || newStyle.bom }
      : p.style;
  if (w.kind === "delete") {
    for (const r of w.rows)
      if (r < 0 || r >= base.spans.length)
        throw new Error(`Row ${r} does not exist in ${w.table.name}.`);
    return rebuildCsv(base, style, {
      addColumns: [],
      edits: new Map(),
      dropData: false,
      append: [],
      drop: new Set(w.rows),
    });
  }
  const sep = style.separator;
  const loose = looseHeader(base.header);
  const addColumns: string[] = [];
  const colIndex = (c: ColumnSpec): number => {
    const i = findColumn(loose, c.name);
    if (i >= 0) return i;
    const j = addColumns.findIndex((a) => a === c.name);
    if (j >= 0) return base.header.length + j;
    addColumns.push(c.name);
    return base.header.length + addColumns.length - 1;
  };
  const indexes = w.columns.map(colIndex);
  // Money is decimal text ("165.00"); a decimal-comma file gets "165,00" like its other amounts.
  const money = w.columns.map((c) => c.format === "money" && style.decimalComma === true);
  const text = w.columns.map((c) => c.format === "text");
  const field = (v: CellValue, i: number) =>
    encodeCsvField(money[i] && typeof v === "string" ? v.replace(".", ",") : v, sep, text[i]);
  const rb: Rebuild = { addColumns, edits: new Map(), dropData: w.kind === "replace", append: [] };
  if (w.kind === "update") {
    for (const u of w.updates) {
      if (u.row < 0 || u.row >= base.spans.length)
        throw new Error(`Row ${u.row} does not exist in ${w.table.name}.`);
      const edit = rb.edits.get(u.row) ?? new Map<number, string>();
      u.values.forEach((v, i) => edit.set(indexes[i], field(v, i)));
      rb.edits.set(u.row, edit);
    }
  } else {
    const width = base.header.length + addColumns.length;
    for (const row of w.rows) {
      const fields: string[] = new Array(width).fill("");
      row.forEach((v, i) => (fields[indexes[i]] = field(v, i)));
      rb.append.push(fields);
    }
  }
  return rebuildCsv(base, style, rb);
}
