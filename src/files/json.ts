/**
 * A workbook as one JSON file (workbook.md): `{ "<table name>": [ { "<column>": value, ... }, ... ], ... }`.
 *
 * Reading: a table's header is every key of its records in order of first appearance; rowNumbers are the
 * array positions + 1; a null element is a blank row. Writing: money and integers as numbers, dates as ISO
 * text, booleans as true/false; unknown keys and the key order are kept; new tables are added under the
 * spec's caption ("G/L Entries"). The file keeps its style: compact when it was read compact or is 1 MB or
 * more (a big file pretty-printed grows threefold), else pretty-printed (2 spaces). It is written record by
 * record (no one huge string, so a file of hundreds of MB works) to a temporary file and renamed
 * (../files/commit.ts); before that it must still be as it was read (size, mtime, SHA-256), else
 * ConcurrentChangeError.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { checkUnchanged, ensureDir, saveFile, stampOf, type FileStamp } from "./commit";
import { findColumn, findTable, looseHeader } from "../workbook/names";
import {
  isPlainLayout,
  jsonHeader,
  parseJsonTables,
  renderJsonChunks,
  type JsonLayout,
} from "./jsonShapes";
import {
  type CellValue,
  type ColumnSpec,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from "../workbook/port";

type JsonRecord = Record<string, unknown>;
type JsonWorkbookData = Record<string, (JsonRecord | null)[]>;

export interface JsonOpenOptions {
  /** Write the result here instead of back into the input file. */
  outputPath?: string;
}

/**
 * Parses and checks the shape (jsonShapes.ts: an object of tables, an OData response, a bare array): table name
 * -> records (objects or nulls).
 */
export function parseJsonWorkbook(text: string, file: string): JsonWorkbookData {
  return parseJsonTables(text, file).tables;
}

function toCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** A written value as JSON: money and integers as numbers, dates/times/text as strings, booleans as booleans. */
export function toJsonValue(v: CellValue, format: ColumnSpec["format"]): unknown {
  if (v === null) return null;
  switch (format) {
    case "money":
    case "integer": {
      if (typeof v === "number") return v;
      if (typeof v === "string") {
        const n = Number(v);
        // Exact for the values the run writes: decimal text with at most 15 significant digits.
        if (v.trim() !== "" && Number.isFinite(n)) return n;
      }
      return v;
    }
    case "boolean":
      if (typeof v === "boolean") return v;
      if (typeof v === "string") return /^(yes|true|1|x)$/i.test(v.trim());
      return v !== 0;
    default:
      return v;
  }
}

/** The fields of a table's records in order of first appearance (OData annotations such as @odata.etag left out). */
function headerOf(records: readonly (JsonRecord | null)[]): string[] {
  return jsonHeader(records);
}

/** A JSON table's records as a SourceTable (header = keys in order of first appearance, row = position + 1); both JSON adapters read through it. */
export function jsonSourceTable(
  name: string,
  records: readonly (JsonRecord | null)[]
): SourceTable {
  const header = headerOf(records);
  const rows: CellValue[][] = new Array(records.length);
  const rowNumbers: number[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    rows[i] = rec === null ? [] : header.map((h) => toCell(rec[h]));
    rowNumbers[i] = i + 1;
  }
  return { ref: { name, kind: "json" }, header, rows, rowNumbers };
}

export class JsonWorkbook implements WorkbookPort {
  private constructor(
    private file: string,
    private outputPath: string,
    private data: JsonWorkbookData,
    private stamp: FileStamp,
    /** Write pretty-printed (the input was, and is small). */
    private pretty: boolean
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
    const stamp = await stampOf(full, content);
    const { tables: data, layout } = parseJsonTables(content.toString("utf8"), file);
    const wb = new JsonWorkbook(
      full,
      path.resolve(options.outputPath ?? file),
      data,
      stamp,
      prettyStyle(content)
    );
    wb.layout = layout;
    return wb;
  }

  /** The file the tables are read from (after a write to another file: that file). */
  get location(): string {
    return this.file;
  }

  async listTables(): Promise<TableRef[]> {
    return Object.keys(this.data).map((name) => ({ name, kind: "json" as const }));
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    const records = this.data[ref.name];
    if (records === undefined) throw new Error(`The table "${ref.name}" is not in ${this.file}.`);
    return jsonSourceTable(ref.name, records);
  }

  async write(
    writes: TableWrite[],
    guard: WriteGuard | null,
    progress?: WriteProgress
  ): Promise<void> {
    void guard; // The whole file is compared with what was read.
    await checkUnchanged(this.stamp, this.file);
    // Copy on write: only the written tables' arrays and updated records are new (no clone of a big file).
    const data: JsonWorkbookData = { ...this.data };
    for (const w of writes) applyJsonWrite(data, w);

    const target = this.outputPath;
    await ensureDir(path.dirname(target), target === this.file);
    const chunks = isPlainLayout(this.layout)
      ? jsonChunks(data, this.pretty)
      : renderJsonChunks(data, this.layout, this.pretty);
    await saveFile(target, chunks, {
      guard: () => checkUnchanged(this.stamp, this.file),
      inPlace: target === this.file,
    });
    progress?.(1, 1, path.basename(target));
    this.stamp = await stampOf(target);
    this.file = target;
    this.data = data;
  }
}

/** Pretty-printed input (a line break before the first record) under 1 MB is written pretty; else compact. */
function prettyStyle(content: Uint8Array): boolean {
  if (content.length >= PRETTY_LIMIT) return false;
  const head = Buffer.from(content.subarray(0, 4096)).toString("utf8");
  const open = head.indexOf("{");
  return open >= 0 && /^\s*\n/.test(head.slice(open + 1));
}

const PRETTY_LIMIT = 1 << 20;

/**
 * The workbook as JSON text in pieces, one record at a time: the same text as JSON.stringify(data) (or
 * JSON.stringify(data, null, 2) when pretty) plus a final line end, without building it as one string.
 */
export function* jsonChunks(data: JsonWorkbookData, pretty: boolean): Generator<string> {
  const keys = Object.keys(data);
  if (keys.length === 0) {
    yield "{}\n";
    return;
  }
  yield pretty ? "{\n" : "{";
  for (let k = 0; k < keys.length; k++) {
    const records = data[keys[k]];
    const sep = k < keys.length - 1 ? "," : "";
    if (!pretty) {
      let out = JSON.stringify(keys[k]) + ":[";
      for (let i = 0; i < records.length; i++) {
        out += (i > 0 ? "," : "") + JSON.stringify(records[i]);
        if (out.length >= 1 << 16) {
          yield out;
          out = "";
        }
      }
      yield out + "]" + sep;
      continue;
    }
    if (records.length === 0) {
      yield `  ${JSON.stringify(keys[k])}: []${sep}\n`;
      continue;
    }
    let out = `  ${JSON.stringify(keys[k])}: [\n`;
    for (let i = 0; i < records.length; i++) {
      // JSON.stringify escapes line breaks inside strings: every \n here is the layout's.
      out +=
        "    " +
        JSON.stringify(records[i], null, 2).replace(/\n/g, "\n    ") +
        (i < records.length - 1 ? ",\n" : "\n");
      if (out.length >= 1 << 16) {
        yield out;
        out = "";
      }
    }
    yield out + `  ]${sep}\n`;
  }
  yield pretty ? "}\n" : "}\n";
}

/** Applies one write to the workbook data in place. */
export function applyJsonWrite(data: JsonWorkbookData, w: TableWrite): void {
  if (w.kind === "delete") {
    const rows = data[w.table.name];
    if (rows === undefined) throw new Error(`The table "${w.table.name}" does not exist.`);
    for (const r of w.rows)
      if (r < 0 || r >= rows.length) throw new Error(`Row ${r} does not exist in ${w.table.name}.`);
    const drop = new Set(w.rows);
    data[w.table.name] = rows.filter((_, i) => !drop.has(i));
    return;
  }
  let key: string;
  if (w.kind === "update") {
    key = w.table.name;
    if (data[key] === undefined) throw new Error(`The table "${key}" does not exist.`);
  } else if (w.existing !== undefined && data[w.existing.name] !== undefined) {
    key = w.existing.name;
  } else {
    const refs = Object.keys(data).map((name) => ({ name, kind: "json" as const }));
    key =
      findTable(refs, w.names.name, [w.names.csvName, w.names.sheetName, w.names.excelTableName])
        ?.name ?? w.names.name;
  }
  // Copy on write (JsonWorkbook.write passes a shallow copy of the workbook): this table's array is new.
  const records = (data[key] = (data[key] ?? []).slice());
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
    case "update":
      for (const u of w.updates) {
        if (u.row < 0 || u.row >= records.length)
          throw new Error(`Row ${u.row} does not exist in ${key}.`);
        const rec = (records[u.row] = { ...(records[u.row] ?? {}) });
        u.values.forEach((v, i) => (rec[keys[i]] = toJsonValue(v, w.columns[i].format)));
      }
      break;
    case "append":
      for (const row of w.rows) records.push(makeRecord(row));
      break;
    case "replace":
      data[key] = w.rows.map(makeRecord);
      break;
  }
}
