/**
 * A workbook as a folder of CSV files (workbook.md): `<table name>.csv`, UTF-8 with an optional BOM, comma,
 * semicolon or tab separated (detected from the header line), RFC 4180 quoting, CRLF or LF line ends.
 *
 * Reading: rowNumbers are the CSV line numbers of the records (the header is line 1; a quoted field with line
 * breaks counts its lines). Empty fields read as null; every other field as text (the schema parses it).
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
import { promises as fs } from 'fs';
import * as path from 'path';
import { findTable, findColumn, looseHeader } from '../workbook/names';
import { checkUnchanged, commitFolder, ensureDir, recoverFolder, stampOf, type FileStamp } from './commit';
import {
  ConcurrentChangeError,
  type CellValue,
  type ColumnSpec,
  type OutputTableNames,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from '../workbook/port';
import { numberText } from '../workbook/values';

// ---------------------------------------------------------------------------------------------
// Parsing

export type CsvSeparator = ',' | ';' | '\t';

export interface CsvStyle {
  bom: boolean;
  separator: CsvSeparator;
  eol: '\r\n' | '\n' | '\r';
  /** The file ends with a line end. */
  finalEol: boolean;
  /**
   * Amounts are written with a decimal comma ("165,00"): a semicolon file whose amounts already use one, as
   * day-first locales (and their BC exports) write CSV. Money written back follows the file's own style.
   */
  decimalComma?: boolean;
}

export const DEFAULT_CSV_STYLE: CsvStyle = { bom: false, separator: ',', eol: '\n', finalEol: true };

/** A field that is a plain decimal-comma number ("165,00", "-0,5") decides; decimal points never appear then. */
function usesDecimalComma(rows: readonly CellValue[][]): boolean {
  let comma = false;
  for (let r = 0; r < rows.length && r < 1000; r++)
    for (const v of rows[r]) {
      if (typeof v !== 'string') continue;
      if (/^-?\d+\.\d+$/.test(v)) return false;
      if (/^-?\d+,\d+$/.test(v)) comma = true;
    }
  return comma;
}

/** One record's place in the text: [start, end) without its line end; line = its first line number. */
export interface CsvSpan {
  start: number;
  end: number;
  line: number;
  /** Number of fields in the record. */
  fields: number;
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
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

function detectEol(text: string): '\r\n' | '\n' | '\r' {
  const n = text.indexOf('\n');
  if (n > 0 && text.charCodeAt(n - 1) === 13) return '\r\n';
  if (n >= 0) return '\n';
  return text.indexOf('\r') >= 0 ? '\r' : '\n';
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * RFC 4180 parsing, lenient: a stray quote inside an unquoted field is kept as text, text after a closing
 * quote is appended, an unterminated quoted field runs to the end of the file.
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
  let pos = start0;
  let line = 1;
  while (pos < len) {
    const recStart = pos;
    const recLine = line;
    const fields: CellValue[] = [];
    let recEnd = len;
    for (;;) {
      let value: string;
      if (pos < len && text.charCodeAt(pos) === 34) {
        // Quoted field
        pos++;
        let buf = '';
        let seg = pos;
        for (;;) {
          const q = text.indexOf('"', pos);
          if (q < 0) {
            line += countNewlines(text, seg, len);
            buf += text.slice(seg, len);
            pos = len;
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
        // Anything up to the next separator or line end is kept (lenient).
        let j = pos;
        while (j < len) {
          const ch = text.charCodeAt(j);
          if (ch === sepCode || ch === 10 || ch === 13) break;
          j++;
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
      fields.push(value === '' ? null : value);
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
    const span: CsvSpan = { start: recStart, end: recEnd, line: recLine, fields: recEnd === recStart ? 0 : fields.length };
    if (header === null) {
      header = fields.map((f) => (f === null ? '' : String(f)));
      headerSpan = span;
    } else {
      // A blank line is a blank row (kept, so row numbers and indexes stay right); an empty row.
      rows.push(span.fields === 0 ? [] : fields);
      spans.push(span);
      rowNumbers.push(recLine);
    }
  }
  const lastCh = len > start0 ? text.charCodeAt(len - 1) : -1;
  const style: CsvStyle = { bom, separator: sep, eol: detectEol(text), finalEol: lastCh === 10 || lastCh === 13 };
  if (sep === ';') style.decimalComma = usesDecimalComma(rows);
  return { text, style, header: header ?? [], headerSpan, rows, spans, rowNumbers };
}

/** The raw text of each field of a record (quotes and all), to rebuild it with some fields changed. */
export function splitRawFields(text: string, span: CsvSpan, sep: CsvSeparator): string[] {
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

/** A cell as CSV field text: booleans Yes/No, numbers without ".0", quoted when needed (RFC 4180). */
export function encodeCsvField(v: CellValue, sep: CsvSeparator): string {
  let t: string;
  if (v === null) return '';
  if (typeof v === 'boolean') t = v ? 'Yes' : 'No';
  else if (typeof v === 'number') t = numberText(v);
  else t = v;
  if (t.indexOf('"') >= 0 || t.indexOf(sep) >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0)
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
}

function rebuildCsv(p: ParsedCsv, style: CsvStyle, rb: Rebuild): string {
  const { text } = p;
  const sep = style.separator;
  const eol = style.eol;
  const parts: string[] = [];
  if (style.bom) parts.push('\ufeff');
  const added = rb.addColumns.map((c) => encodeCsvField(c, sep));
  const width = p.header.length + added.length;
  if (p.headerSpan === null) {
    parts.push(added.join(sep));
  } else {
    parts.push(text.slice(p.headerSpan.start, p.headerSpan.end) + added.map((a) => sep + a).join(''));
  }
  let tail = p.headerSpan === null ? '' : text.slice(p.headerSpan.end);
  if (!rb.dropData && p.spans.length > 0) {
    let prevEnd = p.headerSpan!.end;
    // When appending, trailing blank lines are dropped so the new rows follow the last record.
    let last = p.spans.length - 1;
    if (rb.append.length > 0) while (last >= 0 && p.spans[last].fields === 0) last--;
    for (let r = 0; r <= last; r++) {
      const s = p.spans[r];
      parts.push(text.slice(prevEnd, s.start));
      const edit = rb.edits.get(r);
      if (edit !== undefined) {
        const fields = splitRawFields(text, s, sep);
        while (fields.length < width) fields.push('');
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
    if (last < p.spans.length - 1) tail = '';
  } else if (rb.dropData) {
    tail = '';
  }
  if (rb.append.length > 0) {
    const lines = rb.append.map((f) => f.join(sep));
    // The previous record's own line end, then the new records.
    parts.push(eol + lines.join(eol) + (style.finalEol ? eol : ''));
  } else if (rb.dropData || p.headerSpan === null) {
    if (style.finalEol) parts.push(eol);
  } else {
    parts.push(tail);
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// The adapter

interface FileSnapshot {
  /** File name with .csv. */
  file: string;
  stamp: FileStamp;
  /** Content as read (or as last written). */
  content: Buffer;
  parsed?: ParsedCsv;
}

function isCsvName(f: string): boolean {
  return f.toLowerCase().endsWith('.csv') && !f.startsWith('.');
}

/** The CSV files of a folder, symlinks to files included (a shared table linked in is a table). */
async function listCsvFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (!isCsvName(e.name)) continue;
    if (e.isFile() || (e.isSymbolicLink() && (await fs.stat(path.join(folder, e.name)).then((st) => st.isFile(), () => false)))) out.push(e.name);
  }
  return out.sort();
}

function decode(content: Buffer): string {
  return content.toString('utf8');
}

export interface CsvOpenOptions {
  /** Write the result here instead of back into the input folder. */
  outputFolder?: string;
}

export class CsvFolderWorkbook implements WorkbookPort {
  private files = new Map<string, FileSnapshot>();
  /** The interrupted commit completed when the folder was opened, if any (the CLI says so). */
  recovered: Awaited<ReturnType<typeof recoverFolder>> = null;

  private constructor(
    private folder: string,
    private outputFolder: string,
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
    const wb = new CsvFolderWorkbook(path.resolve(folder), path.resolve(options.outputFolder ?? folder));
    // A commit an interrupted run left half done is completed before anything is read (the caller holds the lock).
    wb.recovered = await recoverFolder(wb.folder);
    for (const file of await listCsvFiles(wb.folder)) wb.files.set(file, await wb.snapshot(file));
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
    return [...this.files.keys()].map((f) => ({ name: f.slice(0, -4), kind: 'csv' as const }));
  }

  private fileOf(ref: TableRef): FileSnapshot {
    const snap = this.files.get(ref.name + '.csv') ?? [...this.files.values()].find((f) => f.file.slice(0, -4) === ref.name);
    if (snap === undefined) throw new Error(`The table "${ref.name}" is not a CSV file in ${this.folder}.`);
    return snap;
  }

  private parsed(snap: FileSnapshot): ParsedCsv {
    if (snap.parsed === undefined) snap.parsed = parseCsv(decode(snap.content));
    return snap.parsed;
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    const p = this.parsed(this.fileOf(ref));
    return { ref: { name: ref.name, kind: 'csv' }, header: p.header.slice(), rows: p.rows, rowNumbers: p.rowNumbers };
  }

  /** Throws ConcurrentChangeError when any CSV file of the folder changed, appeared or went since it was read. */
  private async checkUnchanged(): Promise<void> {
    let now: string[];
    try {
      now = await listCsvFiles(this.folder);
    } catch {
      throw new ConcurrentChangeError(`The folder ${this.folder} cannot be read any more. Nothing was written.`);
    }
    const before = [...this.files.keys()].sort();
    if (now.length !== before.length || now.some((f, i) => f !== before[i])) {
      const added = now.filter((f) => !this.files.has(f));
      const gone = before.filter((f) => !now.includes(f));
      throw new ConcurrentChangeError(
        `The CSV files of ${this.folder} changed since they were read (${[...added.map((f) => `new: ${f}`), ...gone.map((f) => `removed: ${f}`)].join(', ')}). Nothing was written; run again.`,
      );
    }
    for (const snap of this.files.values()) await checkUnchanged(snap.stamp, snap.file);
  }

  /** The style for a new file: that of the Value Entries file, else of any file, else comma/LF. */
  private defaultStyle(): CsvStyle {
    const refs = [...this.files.keys()].map((f) => ({ name: f.slice(0, -4), kind: 'csv' as const }));
    const ve = findTable(refs, 'Value Entries');
    const snap = ve !== undefined ? this.fileOf(ve) : this.files.values().next().value;
    if (snap === undefined) return { ...DEFAULT_CSV_STYLE };
    const s = this.parsed(snap).style;
    return { bom: s.bom, separator: s.separator, eol: s.eol === '\r' ? '\n' : s.eol, finalEol: true, decimalComma: s.decimalComma };
  }

  /** The file an append/replace goes to: the existing table, else one whose name matches loosely, else a new one. */
  private targetFile(names: OutputTableNames, existing: TableRef | undefined, pendingNew: Map<string, string>): string {
    if (existing !== undefined) return this.fileOf(existing).file;
    const refs = [...this.files.keys(), ...pendingNew.keys()].map((f) => ({ name: f.slice(0, -4), kind: 'csv' as const }));
    const hit = findTable(refs, names.name, [names.csvName, names.sheetName, names.excelTableName]);
    if (hit !== undefined) return hit.name + '.csv';
    return names.csvName + '.csv';
  }

  async write(writes: TableWrite[], guard: WriteGuard | null, progress?: WriteProgress): Promise<void> {
    void guard; // The whole folder is compared with what was read: stronger than the guard's columns.
    await this.checkUnchanged();

    // Compute every new file content in memory first.
    const texts = new Map<string, string>(); // file -> new text (changed or new files)
    const pendingNew = new Map<string, string>();
    for (const w of writes) {
      const file = w.kind === 'update' ? this.fileOf(w.table).file : this.targetFile(w.names, w.existing, pendingNew);
      const pending = texts.get(file);
      const snap = this.files.get(file);
      const p = pending !== undefined ? parseCsv(pending) : snap !== undefined ? this.parsed(snap) : null;
      const out = applyWrite(p, w, this.defaultStyle());
      texts.set(file, out);
      if (!this.files.has(file)) pendingNew.set(file, out);
    }

    // Every file of the result: changed ones, and (for another output folder) unchanged ones too.
    const target = this.outputFolder;
    const toWrite: { file: string; content: Buffer }[] = [];
    for (const [file, text] of texts) toWrite.push({ file, content: Buffer.from(text, 'utf8') });
    if (target !== this.folder) for (const [file, snap] of this.files) if (!texts.has(file)) toWrite.push({ file, content: snap.content });

    const inPlace = target === this.folder;
    await ensureDir(target, inPlace);
    // Another output folder may hold a commit an earlier run left half done: complete it before adding ours.
    if (!inPlace) await recoverFolder(target);
    await commitFolder(
      target,
      toWrite.map(({ file, content }) => ({ final: path.join(target, file), content })),
      { guard: () => this.checkUnchanged(), inPlace, progress },
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
  const base: ParsedCsv = p ?? { text: '', style: newStyle, header: [], headerSpan: null, rows: [], spans: [], rowNumbers: [] };
  const style = p === null || p.headerSpan === null ? { ...newStyle, bom: p?.style.bom || newStyle.bom } : p.style;
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
  const money = w.columns.map((c) => c.format === 'money' && style.decimalComma === true);
  const field = (v: CellValue, i: number) => encodeCsvField(money[i] && typeof v === 'string' ? v.replace('.', ',') : v, sep);
  const rb: Rebuild = { addColumns, edits: new Map(), dropData: w.kind === 'replace', append: [] };
  if (w.kind === 'update') {
    for (const u of w.updates) {
      if (u.row < 0 || u.row >= base.spans.length) throw new Error(`Row ${u.row} does not exist in ${w.table.name}.`);
      const edit = rb.edits.get(u.row) ?? new Map<number, string>();
      u.values.forEach((v, i) => edit.set(indexes[i], field(v, i)));
      rb.edits.set(u.row, edit);
    }
  } else {
    const width = base.header.length + addColumns.length;
    for (const row of w.rows) {
      const fields: string[] = new Array(width).fill('');
      row.forEach((v, i) => (fields[indexes[i]] = field(v, i)));
      rb.append.push(fields);
    }
  }
  return rebuildCsv(base, style, rb);
}
