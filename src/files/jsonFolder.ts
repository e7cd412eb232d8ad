/**
 * A workbook as a folder of JSON files, as BC's web services give them: one OData v4 response per table
 * (`ValueEntries.json` = `{ "@odata.context": ".../$metadata#ValueEntries", "value": [...] }`), works as a CSV
 * folder does (workbook.md). Each file is read by jsonShapes.ts: an OData collection is named by the entity
 * set in its context (else by the file name), a single entity (`.../$entity`) is a one-record table; a
 * file may also hold an object of tables.
 *
 * Writing: posted columns are updated in the records of the file they came from, which keeps its shape (its
 * @odata.context, @odata.etag annotations, key order and indentation); a new table (G/L Entries, G/L
 * Registers, ...) is a new file `<name>.json` (the CSV folder's file names: "GL Entries.json") holding
 * `{ "value": [...] }`, the OData collection shape without a context (no BC entity set stands behind it).
 * Money and integers as numbers, dates as ISO text, booleans as true/false (json.ts). Every file is staged and
 * committed together with the folder protocol of commit.ts (journal, renames); before that every JSON file of
 * the folder must still be as it was read, else ConcurrentChangeError and nothing is written. With an output
 * folder, every JSON file of the input is written there.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { checkUnchanged, commitFolder, recoverFolder, stampOf, type FileStamp } from "./commit";
import { applyJsonWrite, jsonSourceTable } from "./json";
import { parseJsonTables, renderJsonText, type JsonLayout, type JsonTables } from "./jsonShapes";
import { findTable } from "../workbook/names";
import {
  ConcurrentChangeError,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from "../workbook/port";

export interface JsonFolderOpenOptions {
  /** Write the result into this folder instead of back into the input folder. */
  outputFolder?: string;
}

interface JsonFile {
  /** File name inside the folder. */
  file: string;
  stamp: FileStamp;
  tables: JsonTables;
  layout: JsonLayout;
  /** Written pretty-printed (2 spaces) when the file was; compact otherwise. */
  pretty: boolean;
}

/** The .json files of a folder (not hidden ones: temporary files and the commit journal), sorted. */
export async function listJsonFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return entries
    .filter(
      (e) =>
        (e.isFile() || e.isSymbolicLink()) &&
        !e.name.startsWith(".") &&
        e.name.toLowerCase().endsWith(".json")
    )
    .map((e) => e.name)
    .sort();
}

/** A pretty-printed file: a line break right after its first `{` or `[`. */
function isPretty(text: string): boolean {
  const m = /[[{]/.exec(text);
  return m !== null && /^[ \t]*\r?\n/.test(text.slice(m.index + 1, m.index + 200));
}

export class JsonFolderWorkbook implements WorkbookPort {
  private files: JsonFile[] = [];
  /** The interrupted commit completed when the folder was opened (commit.ts), or null. */
  recovered: Awaited<ReturnType<typeof recoverFolder>> = null;

  private constructor(
    private folder: string,
    private outputFolder: string
  ) {}

  static async open(
    folder: string,
    options: JsonFolderOpenOptions = {}
  ): Promise<JsonFolderWorkbook> {
    const st = await fs.stat(folder).catch(() => null);
    if (st === null) throw new Error(`The folder "${folder}" does not exist.`);
    if (!st.isDirectory()) throw new Error(`"${folder}" is not a folder of JSON files.`);
    const wb = new JsonFolderWorkbook(
      path.resolve(folder),
      path.resolve(options.outputFolder ?? folder)
    );
    // A commit a killed run left half done is completed first (commit.ts).
    wb.recovered = await recoverFolder(wb.folder);
    await wb.load();
    return wb;
  }

  private async load(): Promise<void> {
    const files: JsonFile[] = [];
    for (const file of await listJsonFiles(this.folder)) {
      const full = path.join(this.folder, file);
      const content = await fs.readFile(full);
      const text = content.toString("utf8");
      const { tables, layout } = parseJsonTables(text, file);
      files.push({
        file,
        stamp: await stampOf(full, content),
        tables,
        layout,
        pretty: isPretty(text),
      });
    }
    this.files = files;
  }

  /** The folder the tables are read from (after a write to another folder: that folder). */
  get location(): string {
    return this.folder;
  }

  /** Every table of every file; two files holding one table name are both listed (the reader reports it). */
  async listTables(): Promise<TableRef[]> {
    return this.files.flatMap((f) =>
      Object.keys(f.tables).map((name) => ({ name, kind: "json" as const }))
    );
  }

  private fileOf(name: string): JsonFile {
    const f = this.files.find((x) => x.tables[name] !== undefined);
    if (f === undefined)
      throw new Error(`The table "${name}" is not in a JSON file of ${this.folder}.`);
    return f;
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    return jsonSourceTable(ref.name, this.fileOf(ref.name).tables[ref.name]);
  }

  /** Throws ConcurrentChangeError when a JSON file of the folder changed, appeared or went since it was read. */
  private async checkUnchanged(): Promise<void> {
    const now = await listJsonFiles(this.folder).catch(() => {
      throw new ConcurrentChangeError(
        `The folder ${this.folder} cannot be read any more. Nothing was written.`
      );
    });
    const before = this.files.map((f) => f.file);
    if (now.length !== before.length || now.some((f, i) => f !== before[i])) {
      const added = now.filter((f) => !before.includes(f)).map((f) => `new: ${f}`);
      const gone = before.filter((f) => !now.includes(f)).map((f) => `removed: ${f}`);
      throw new ConcurrentChangeError(
        `The JSON files of ${this.folder} changed since they were read (${[...added, ...gone].join(", ")}). Nothing was written; run again.`
      );
    }
    for (const f of this.files) await checkUnchanged(f.stamp, f.file);
  }

  /** The file an append/replace goes to: the existing table's, one holding a table that matches loosely, else a new one. */
  private targetFile(
    w: Extract<TableWrite, { kind: "append" | "replace" }>,
    pending: Map<string, JsonFile>
  ): string {
    const all = [
      ...this.files.map((f) => pending.get(f.file) ?? f),
      ...[...pending.values()].filter((p) => !this.files.some((f) => f.file === p.file)),
    ];
    const holding = (name: string) => all.find((x) => x.tables[name] !== undefined)?.file;
    if (w.existing !== undefined && holding(w.existing.name) !== undefined)
      return holding(w.existing.name)!;
    const refs = all.flatMap((f) =>
      Object.keys(f.tables).map((name) => ({ name, kind: "json" as const }))
    );
    const hit = findTable(refs, w.names.name, [
      w.names.csvName,
      w.names.sheetName,
      w.names.excelTableName,
    ]);
    return hit !== undefined ? holding(hit.name)! : `${w.names.csvName}.json`;
  }

  async write(
    writes: TableWrite[],
    guard: WriteGuard | null,
    progress?: WriteProgress
  ): Promise<void> {
    void guard; // Every file of the folder is compared with what was read: stronger than the guard's columns.
    await this.checkUnchanged();

    // The written files as new table objects (copy on write: applyJsonWrite replaces a written table's array).
    const pending = new Map<string, JsonFile>();
    const working = (file: string): JsonFile => {
      let p = pending.get(file);
      if (p === undefined) {
        const f = this.files.find((x) => x.file === file);
        p =
          f !== undefined
            ? { ...f, tables: { ...f.tables } }
            : // A new table file: one table, written as { "value": [...] }.
              {
                file,
                stamp: { file: "", size: 0, mtimeMs: 0, sha256: "" },
                tables: {},
                layout: { single: true, shapes: {} },
                pretty: true,
              };
        pending.set(file, p);
      }
      return p;
    };
    for (const w of writes) {
      // applyJsonWrite finds the table inside the file (by w.existing or its names) or adds it.
      const file =
        w.kind === "append" || w.kind === "replace"
          ? this.targetFile(w, pending)
          : this.fileOf(w.table.name).file;
      applyJsonWrite(working(file).tables, w);
    }

    const out: { final: string; content: Uint8Array }[] = [];
    const target = this.outputFolder;
    for (const p of pending.values()) {
      out.push({
        final: path.join(target, p.file),
        content: Buffer.from(renderJsonText(p.tables, p.layout, p.pretty), "utf8"),
      });
    }
    if (target !== this.folder)
      for (const f of this.files)
        if (!pending.has(f.file))
          out.push({
            final: path.join(target, f.file),
            content: await fs.readFile(path.join(this.folder, f.file)),
          });

    await fs.mkdir(target, { recursive: true });
    await commitFolder(target, out, {
      guard: () => this.checkUnchanged(),
      inPlace: target === this.folder,
      progress,
    });

    // The written folder is now the workbook.
    this.folder = target;
    await this.load();
  }
}
