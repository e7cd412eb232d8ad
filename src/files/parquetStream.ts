/**
 * The Parquet side of a streamed run (app/stream.ts), beside csvStream.ts: a folder whose Value Entries are a
 * Parquet file gets its output tables as Parquet files ("the same format"), and its Value Entries rewritten as
 * Parquet with the posted columns updated. Each file is written under its temp name and committed with the
 * run's other files (commit.ts).
 */
import { promises as fs } from "fs";
import { findColumn, looseHeader } from "../workbook/names";
import type { CellValue, ColumnFormat, TableWrite } from "../workbook/port";
import { sha256OfFile, type StagedFile } from "./commit";
import {
  openParquetTable,
  ParquetTableWriter,
  type ParquetColumn,
  type ParquetTable,
} from "./parquet";

/** A table the writer cannot write back with the types it has: a streamed run refuses it before writing. */
export class ParquetTypeError extends Error {
  constructor(
    readonly file: string,
    readonly column: string
  ) {
    super(
      `${file}: the column "${column}" has a Parquet type glpost cannot write back (it writes text, INT32, DECIMAL(18) as INT64, DATE and BOOLEAN); a streamed run rewrites this file, so convert the column to one of those types, or post a CSV folder`
    );
    this.name = "ParquetTypeError";
  }
}

/** The columns of a Parquet table as the writer writes them again (ParquetTypeError for one it cannot). */
export function writableColumns(file: string, t: ParquetTable): ParquetColumn[] {
  return t.columns.map((c, i) => {
    if (c === null) throw new ParquetTypeError(file, t.header[i]);
    return c;
  });
}

const KIND: Record<ColumnFormat, ParquetColumn["kind"]> = {
  text: "text",
  integer: "integer",
  money: "decimal",
  date: "date",
  time: "text",
  boolean: "boolean",
};

async function staged(final: string, temp: string, mode: number | undefined) {
  if (mode !== undefined) await fs.chmod(temp, mode);
  const st = await fs.stat(temp);
  return { final, temp, size: st.size, sha256: await sha256OfFile(temp) };
}

/**
 * One output table as a Parquet file: the first write decides the columns (an existing file's, whose rows are
 * copied first unless the write replaces them; else the write's, money as DECIMAL with the run's decimals).
 * Every write's cells go to the columns of their names.
 */
export class StreamedParquetTable {
  private writer: ParquetTableWriter | null = null;
  private header: string[] = [];

  constructor(
    readonly file: string,
    private readonly final: string,
    private readonly temp: string,
    private readonly mode: number | undefined,
    /** The table as it is now (null: a new file). */
    private readonly existing: string | null,
    private readonly moneyDecimals: number
  ) {}

  async put(w: TableWrite): Promise<void> {
    if (w.kind === "update" || w.kind === "delete")
      throw new Error(`a streamed table takes appends and replaces, not ${w.kind}`);
    if (this.writer === null) {
      let columns: ParquetColumn[];
      if (this.existing !== null) {
        const t = await openParquetTable(this.existing);
        columns = writableColumns(this.file, t);
        this.writer = await ParquetTableWriter.create(this.temp, columns);
        if (w.kind === "append")
          for await (const c of t.chunks(65536)) await this.writer.append(c.rows);
      } else {
        columns = w.columns.map((c) => ({
          name: c.name,
          kind: KIND[c.format],
          ...(c.format === "money" ? { scale: this.moneyDecimals } : {}),
        }));
        this.writer = await ParquetTableWriter.create(this.temp, columns);
      }
      this.header = columns.map((c) => c.name);
    }
    const loose = looseHeader(this.header);
    const at = w.columns.map((c) => {
      const i = findColumn(loose, c.name);
      if (i < 0)
        throw new Error(
          `${this.file} has no column "${c.name}" (a streamed run does not add columns)`
        );
      return i;
    });
    const width = this.header.length;
    const rows = w.rows.map((r) => {
      const out: CellValue[] = new Array(width).fill(null);
      r.forEach((v, i) => (out[at[i]] = v));
      return out;
    });
    await this.writer.append(rows);
  }

  async close(): Promise<StagedFile> {
    await this.writer!.close();
    return staged(this.final, this.temp, this.mode);
  }

  async discard(): Promise<void> {
    await this.writer?.abort().catch(() => undefined);
    await fs.rm(this.temp, { force: true }).catch(() => undefined);
  }
}

/** The streamed Value Entries as Parquet, rewritten chunk by chunk with each chunk's update applied. */
export class StreamedParquetRewrite {
  private constructor(
    private readonly writer: ParquetTableWriter,
    private readonly header: string[],
    private readonly final: string,
    private readonly temp: string,
    private readonly mode: number | undefined
  ) {}

  static async create(
    final: string,
    temp: string,
    mode: number | undefined,
    header: string[],
    columns: ParquetColumn[]
  ): Promise<StreamedParquetRewrite> {
    const writer = await ParquetTableWriter.create(temp, columns);
    return new StreamedParquetRewrite(writer, header, final, temp, mode);
  }

  /** The chunk's rows (as read), with the update's cells (rows: indexes into them) put in. */
  async put(rows: CellValue[][], update: TableWrite | null): Promise<void> {
    if (update !== null && update.kind === "update") {
      const loose = looseHeader(this.header);
      const at = update.columns.map((c) => findColumn(loose, c.name));
      const out = rows.slice();
      for (const u of update.updates) {
        const row = (out[u.row] = out[u.row].slice());
        u.values.forEach((v, i) => (row[at[i]] = v));
      }
      rows = out;
    }
    await this.writer.append(rows);
  }

  async close(): Promise<StagedFile> {
    await this.writer.close();
    return staged(this.final, this.temp, this.mode);
  }

  async discard(): Promise<void> {
    await this.writer.abort().catch(() => undefined);
    await fs.rm(this.temp, { force: true }).catch(() => undefined);
  }
}
