/**
 * A workbook as one JSON file (workbook.md): `{ "<table name>": [ { "<column>": value, ... }, ... ], ... }`.
 *
 * Reading: a table's header is every key of its records in order of first appearance; rowNumbers are the
 * array positions + 1; a null element is a blank row. Writing: money and integers as numbers, dates as ISO
 * text, booleans as true/false; unknown keys and the key order are kept; new tables are added under the
 * spec's caption ("G/L Entries"). The file is written pretty-printed (2 spaces) to a temporary file and
 * renamed; before that it must still be as it was read (size, mtime, SHA-256), else ConcurrentChangeError.
 */
import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { findColumn, findTable, looseHeader } from '../workbook/names';
import { isPlainLayout, jsonHeader, parseJsonTables, renderJsonText, type JsonLayout } from './jsonShapes';
import {
  ConcurrentChangeError,
  type CellValue,
  type ColumnSpec,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from '../workbook/port';

type JsonRecord = Record<string, unknown>;
type JsonWorkbookData = Record<string, (JsonRecord | null)[]>;

export interface JsonOpenOptions {
  /** Write the result here instead of back into the input file. */
  outputPath?: string;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * Parses and checks the shape (jsonShapes.ts: an object of tables, an OData response, a bare array): table name
 * -> records (objects or nulls).
 */
export function parseJsonWorkbook(text: string, file: string): JsonWorkbookData {
  return parseJsonTables(text, file).tables;
}

export function toCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** A written value as JSON: money and integers as numbers, dates/times/text as strings, booleans as booleans. */
export function toJsonValue(v: CellValue, format: ColumnSpec['format']): unknown {
  if (v === null) return null;
  switch (format) {
    case 'money':
    case 'integer': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string') {
        const n = Number(v);
        // Exact for the values the run writes: decimal text with at most 15 significant digits.
        if (v.trim() !== '' && Number.isFinite(n)) return n;
      }
      return v;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return /^(yes|true|1|x)$/i.test(v.trim());
      return v !== 0;
    default:
      return v;
  }
}

/** The fields of a table's records in order of first appearance (OData annotations such as @odata.etag left out). */
function headerOf(records: readonly (JsonRecord | null)[]): string[] {
  return jsonHeader(records);
}

export class JsonWorkbook implements WorkbookPort {
  private constructor(
    private file: string,
    private outputPath: string,
    private data: JsonWorkbookData,
    private size: number,
    private mtimeMs: number,
    private hash: string,
  ) {}

  /** How the file held its tables (an OData response keeps its shape when written back). */
  private layout: JsonLayout = { single: false, shapes: {} };

  static async open(file: string, options: JsonOpenOptions = {}): Promise<JsonWorkbook> {
    const full = path.resolve(file);
    let content: Buffer;
    try {
      content = await fs.readFile(full);
    } catch (e) {
      throw new Error(`${file} cannot be read: ${(e as Error).message}`);
    }
    const st = await fs.stat(full);
    const { tables: data, layout } = parseJsonTables(content.toString('utf8'), file);
    const wb = new JsonWorkbook(full, path.resolve(options.outputPath ?? file), data, st.size, st.mtimeMs, sha256(content));
    wb.layout = layout;
    return wb;
  }

  /** The file the tables are read from (after a write to another file: that file). */
  get location(): string {
    return this.file;
  }

  async listTables(): Promise<TableRef[]> {
    return Object.keys(this.data).map((name) => ({ name, kind: 'json' as const }));
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    const records = this.data[ref.name];
    if (records === undefined) throw new Error(`The table "${ref.name}" is not in ${this.file}.`);
    const header = headerOf(records);
    const rows: CellValue[][] = new Array(records.length);
    const rowNumbers: number[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const rec = records[i];
      rows[i] = rec === null ? [] : header.map((h) => toCell(rec[h]));
      rowNumbers[i] = i + 1;
    }
    return { ref: { name: ref.name, kind: 'json' }, header, rows, rowNumbers };
  }

  private async checkUnchanged(): Promise<void> {
    let st;
    try {
      st = await fs.stat(this.file);
    } catch {
      throw new ConcurrentChangeError(`${this.file} was removed since it was read. Nothing was written; run again.`);
    }
    if (st.size !== this.size || st.mtimeMs !== this.mtimeMs || sha256(await fs.readFile(this.file)) !== this.hash)
      throw new ConcurrentChangeError(`${this.file} was changed by someone else since it was read. Nothing was written; run again.`);
  }

  async write(writes: TableWrite[], guard: WriteGuard | null, progress?: WriteProgress): Promise<void> {
    void guard; // The whole file is compared with what was read.
    await this.checkUnchanged();
    const data: JsonWorkbookData = structuredClone(this.data);
    for (const w of writes) applyJsonWrite(data, w);

    const text = isPlainLayout(this.layout) ? JSON.stringify(data, null, 2) + '\n' : renderJsonText(data, this.layout, true);
    const target = this.outputPath;
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.writeFile(temp, text, 'utf8');
      progress?.(1, 1, path.basename(target));
      await this.checkUnchanged();
      await fs.rename(temp, target);
    } catch (e) {
      await fs.unlink(temp).catch(() => undefined);
      throw e;
    }
    const content = await fs.readFile(target);
    const st = await fs.stat(target);
    this.file = target;
    this.data = data;
    this.size = st.size;
    this.mtimeMs = st.mtimeMs;
    this.hash = sha256(content);
  }
}

/** Applies one write to the workbook data in place. */
export function applyJsonWrite(data: JsonWorkbookData, w: TableWrite): void {
  let key: string;
  if (w.kind === 'update') {
    key = w.table.name;
    if (data[key] === undefined) throw new Error(`The table "${key}" does not exist.`);
  } else if (w.existing !== undefined && data[w.existing.name] !== undefined) {
    key = w.existing.name;
  } else {
    const refs = Object.keys(data).map((name) => ({ name, kind: 'json' as const }));
    key = findTable(refs, w.names.name, [w.names.csvName, w.names.sheetName, w.names.excelTableName])?.name ?? w.names.name;
  }
  const records = (data[key] ??= []);
  const header = headerOf(records);
  const loose = looseHeader(header);
  // The key each column is written under: the table's own spelling when it has the column.
  const keys = w.columns.map((c) => {
    const i = findColumn(loose, c.name);
    return i >= 0 ? header[i] : c.name;
  });
  const makeRecord = (values: readonly CellValue[]): JsonRecord => {
    const rec: JsonRecord = {};
    values.forEach((v, i) => (rec[keys[i]] = toJsonValue(v, w.columns[i].format)));
    return rec;
  };
  switch (w.kind) {
    case 'update':
      for (const u of w.updates) {
        if (u.row < 0 || u.row >= records.length) throw new Error(`Row ${u.row} does not exist in ${key}.`);
        const rec = (records[u.row] ??= {});
        u.values.forEach((v, i) => (rec[keys[i]] = toJsonValue(v, w.columns[i].format)));
      }
      break;
    case 'append':
      for (const row of w.rows) records.push(makeRecord(row));
      break;
    case 'replace':
      data[key] = w.rows.map(makeRecord);
      break;
  }
}
