/**
 * Value entries (or any table) as one Parquet file, read and written in chunks so memory is bounded by a chunk
 * and a row group, never the whole file (issue #13, streamed posting).
 *
 * Reading gives cells as the CSV and JSON readers do (port.ts CellValue), and never mis-reads silently:
 * - DECIMAL (INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY) -> exact decimal text built from the unscaled
 *   integer ("123.45", "-0.01"), never a float;
 * - DOUBLE -> the number (as an .xlsx number cell); FLOAT -> the shortest decimal that is that float32
 *   (0.1f -> 0.1, not 0.10000000149011612);
 * - INT32, INT64 (signed or unsigned) -> the number; beyond +-2^53 an error;
 * - DATE -> ISO text "2026-01-31" (unambiguous for every reader, values.ts parseDate); TIMESTAMP (any unit, also
 *   the legacy INT96) -> the ISO date when the time of day is midnight, else an error;
 * - text (STRING, ENUM, JSON, unannotated BYTE_ARRAY) -> the string, the empty string -> null (as an empty CSV
 *   field); bytes that are not UTF-8 -> an error;
 * - BOOLEAN -> true/false; null -> null.
 * Nested columns (groups, LIST, MAP, repeated), TIME, INTERVAL, UUID, FLOAT16, BSON, geometry, fixed-length
 * bytes and codecs other than SNAPPY, GZIP and none are refused when the file is opened, naming the column.
 * Every problem is a ParquetReadError (file, column, row when a cell is concerned).
 *
 * hyparquet decodes pages; its own conversions (DECIMAL to float, DATE to Date) are switched off by handing it
 * the schema without annotations, so each column arrives as its physical values and is converted here, where the
 * column and row of a value are known.
 *
 * Writing (ParquetTableWriter) streams row groups to the file: money as DECIMAL(18, scale) INT64 from decimal
 * text or numbers, exactly; integers INT32 (BC's Integer); dates as DATE; text UTF-8; booleans; every column
 * optional (null allowed). A value that cannot be written exactly is a ParquetWriteError (a bug to surface).
 */
import { promises as fs } from "fs";
import { decompressSync } from "fflate";
import { parquetMetadataAsync, parquetRead } from "hyparquet";
import type { AsyncBuffer, FileMetaData, SchemaElement } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { CellValue } from "../workbook/port";

// ---------------------------------------------------------------------------------------------
// Errors

/** A Parquet file, column or cell that cannot be read for sure. row: as the user counts (header = row 1). */
export class ParquetReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly column?: string,
    readonly row?: number
  ) {
    super(
      `${file}${column === undefined ? "" : `, column "${column}"`}${row === undefined ? "" : `, row ${row}`}: ${message}`
    );
    this.name = "ParquetReadError";
  }
}

/** A value a ParquetTableWriter cannot write exactly (a bug in what was handed to it). row: 0-based appended row. */
export class ParquetWriteError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly column?: string,
    readonly row?: number
  ) {
    super(
      `Cannot write ${file}${column === undefined ? "" : `, column "${column}"`}${row === undefined ? "" : `, row ${row + 1} of the data`}: ${message}`
    );
    this.name = "ParquetWriteError";
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** One chunk of a table's data rows in file order, as the CSV reader gives them. */
export interface RowChunk {
  rows: CellValue[][];
  /** For each row, the number a user counts: the header is row 1, the first data row 2. */
  rowNumbers: number[];
}

export interface ParquetTable {
  /** Column names in file order. */
  header: string[];
  /**
   * Each column as ParquetTableWriter writes it back with the same type, or null when the writer has no such
   * type (DOUBLE, INT64, TIMESTAMP, ...): a streamed run rewrites a file only when every column has one.
   */
  columns: (ParquetColumn | null)[];
  rowCount: number;
  /**
   * The data rows in chunks of chunkRows (the last may be shorter). Only one chunk's rows are decoded at a time
   * (and the compressed bytes of the row groups it touches); a file changed since it was opened is an error.
   */
  chunks(chunkRows: number): AsyncIterable<RowChunk>;
}

export interface OpenParquetOptions {
  /** Called with each byte range read from the file [start, end) (tests, progress). */
  onRead?: (start: number, end: number) => void;
}

/** The codecs this reader decodes: SNAPPY (hyparquet's own), GZIP (fflate, already a dependency), none. */
const READ_CODECS = new Set(["UNCOMPRESSED", "SNAPPY", "GZIP"]);

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Converts one physical value of a column (never null) to a cell; row = the number the user counts. */
type Convert = (v: unknown, row: number) => CellValue;

/** Reads a file's byte ranges, the last range kept (consecutive chunks in one row group read it once). */
function fileBuffer(
  file: string,
  byteLength: number,
  stamp: { size: number; mtimeMs: number },
  onRead?: (start: number, end: number) => void
): AsyncBuffer {
  let last: { start: number; end: number; data: Promise<ArrayBuffer> } | null = null;
  const read = async (start: number, end: number): Promise<ArrayBuffer> => {
    const fh = await fs.open(file, "r");
    try {
      const st = await fh.stat();
      if (st.size !== stamp.size || st.mtimeMs !== stamp.mtimeMs)
        throw new ParquetReadError(file, "the file changed while it was being read; run again");
      const buf = Buffer.allocUnsafe(end - start);
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
        if (bytesRead === 0) throw new ParquetReadError(file, "the file ended unexpectedly");
        done += bytesRead;
      }
      onRead?.(start, end);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
    } finally {
      await fh.close();
    }
  };
  return {
    byteLength,
    slice(start: number, end = byteLength): Promise<ArrayBuffer> {
      if (last !== null && last.start === start && last.end === end) return last.data;
      const data = read(start, end);
      last = { start, end, data };
      data.catch(() => (last = null));
      return data;
    },
  };
}

/** Opens a Parquet file: reads its footer (schema, row groups) and checks every column can be read. */
export async function openParquetTable(
  file: string,
  options: OpenParquetOptions = {}
): Promise<ParquetTable> {
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    throw new ParquetReadError(file, `cannot be read (${(e as Error).message})`);
  }
  const buffer = fileBuffer(file, st.size, { size: st.size, mtimeMs: st.mtimeMs }, options.onRead);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { geoparquet: false });
  } catch (e) {
    if (e instanceof ParquetReadError) throw e;
    throw new ParquetReadError(
      file,
      `is not a Parquet file that can be read (${hyparquetText(e)})`
    );
  }
  const { header, converters, plain } = columnsOf(file, metadata);
  const top = metadata.schema.slice(1, 1 + header.length);
  const columns = top.map((el) => writableAs(el));
  for (const rg of metadata.row_groups)
    for (const c of rg.columns) {
      const codec = c.meta_data?.codec ?? "UNCOMPRESSED";
      if (!READ_CODECS.has(codec))
        throw new ParquetReadError(
          file,
          `is compressed with ${codec}, which glpost does not read; write the file with SNAPPY, GZIP or no compression`,
          c.meta_data?.path_in_schema.join(".")
        );
    }
  const rowCount = Number(metadata.num_rows);
  // The same file with its columns unannotated: hyparquet hands over physical values (see the file comment).
  const plainMetadata: FileMetaData = { ...metadata, schema: plain };
  return {
    header,
    columns,
    rowCount,
    chunks(chunkRows: number): AsyncIterable<RowChunk> {
      if (!Number.isSafeInteger(chunkRows) || chunkRows < 1)
        throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}`);
      return readChunks(file, buffer, plainMetadata, converters, rowCount, chunkRows);
    },
  };
}

/** The column as this module's writer writes the same type (schemaOf's), or null. */
function writableAs(el: SchemaElement): ParquetColumn | null {
  const ct = el.converted_type;
  const lt = el.logical_type;
  const name = el.name;
  if (ct === "DECIMAL" || lt?.type === "DECIMAL") {
    const scale = (lt?.type === "DECIMAL" ? lt.scale : undefined) ?? el.scale ?? 0;
    return el.type === "INT64" && (el.precision ?? 18) === 18
      ? { name, kind: "decimal", scale }
      : null;
  }
  if (ct === "DATE" || lt?.type === "DATE") return { name, kind: "date" };
  if (el.type === "BOOLEAN") return { name, kind: "boolean" };
  if (el.type === "BYTE_ARRAY" && (ct === "UTF8" || lt?.type === "STRING"))
    return { name, kind: "text" };
  if (el.type === "INT32" && ct === undefined && (lt === undefined || lt.type === "INTEGER"))
    return lt?.type === "INTEGER" && (!lt.isSigned || lt.bitWidth !== 32)
      ? null
      : { name, kind: "integer" };
  return null;
}

/**
 * A row group of at most this many rows is decoded whole, once, however small the chunks (the writer's groups and
 * most tools'); a larger one is decoded a chunk at a time (hyparquet skips the pages before the chunk), so memory
 * stays bounded by the chunk whatever the file's row groups.
 */
const WHOLE_GROUP_ROWS = 200000;

/** The row ranges [start, end) decoded one at a time, in file order. */
function* decodeWindows(metadata: FileMetaData, chunkRows: number): Generator<[number, number]> {
  let start = 0;
  for (const g of metadata.row_groups) {
    const n = Number(g.num_rows);
    if (n <= WHOLE_GROUP_ROWS) {
      if (n > 0) yield [start, start + n];
    } else
      for (let s = start; s < start + n; s += chunkRows)
        yield [s, Math.min(start + n, s + chunkRows)];
    start += n;
  }
}

/** Rows [start, end) as cells. */
async function decodeRows(
  file: string,
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  converters: Convert[],
  start: number,
  end: number
): Promise<CellValue[][]> {
  let rows: unknown[][] = [];
  try {
    await parquetRead({
      file: buffer,
      metadata,
      rowStart: start,
      rowEnd: end,
      utf8: false,
      geoparquet: false,
      compressors: { GZIP: gunzip },
      // INT96 timestamps as their nanoseconds (a bigint), converted below.
      parsers: { timestampFromNanoseconds: (n: bigint) => n },
      onComplete: (r: unknown[][]) => (rows = r),
    });
  } catch (e) {
    if (e instanceof ParquetReadError) throw e;
    throw new ParquetReadError(
      file,
      `rows ${start + 2} to ${end + 1} cannot be read (${hyparquetText(e)})`
    );
  }
  if (rows.length !== end - start)
    throw new ParquetReadError(
      file,
      `rows ${start + 2} to ${end + 1}: ${rows.length} rows were decoded instead of ${end - start}`
    );
  const width = converters.length;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as CellValue[];
    const n = start + i + 2;
    for (let c = 0; c < width; c++) {
      const v = row[c] as unknown;
      row[c] = v === null || v === undefined ? null : converters[c](v, n);
    }
  }
  return rows as CellValue[][];
}

async function* readChunks(
  file: string,
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  converters: Convert[],
  rowCount: number,
  chunkRows: number
): AsyncGenerator<RowChunk> {
  // Decoded rows not yet handed out: rows[pos..] are the file's rows from `first` on.
  let rows: CellValue[][] = [];
  let pos = 0;
  let first = 0;
  const take = (n: number): RowChunk => {
    const out = pos === 0 && n === rows.length ? rows : rows.slice(pos, pos + n);
    const rowNumbers = new Array<number>(out.length);
    for (let i = 0; i < out.length; i++) rowNumbers[i] = first + i + 2;
    pos += n;
    first += n;
    return { rows: out, rowNumbers };
  };
  for (const [start, end] of decodeWindows(metadata, chunkRows)) {
    const decoded = await decodeRows(file, buffer, metadata, converters, start, end);
    rows = pos === rows.length ? decoded : rows.slice(pos).concat(decoded);
    pos = 0;
    while (rows.length - pos >= chunkRows) yield take(chunkRows);
  }
  if (rows.length - pos > 0) yield take(rows.length - pos);
  if (first !== rowCount)
    throw new ParquetReadError(
      file,
      `${first} rows were read instead of the ${rowCount} the file has`
    );
}

function gunzip(input: Uint8Array): Uint8Array {
  return decompressSync(input);
}

function hyparquetText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^parquet /, "");
}

/** Header, one converter per column and the schema without annotations; unreadable columns are errors. */
function columnsOf(
  file: string,
  metadata: FileMetaData
): { header: string[]; converters: Convert[]; plain: SchemaElement[] } {
  const schema = metadata.schema;
  const root = schema[0];
  const header: string[] = [];
  const converters: Convert[] = [];
  const plain: SchemaElement[] = [{ ...root }];
  const top = root.num_children ?? schema.length - 1;
  let i = 1;
  for (let k = 0; k < top; k++) {
    const el = schema[i];
    if (el === undefined) throw new ParquetReadError(file, "has a damaged schema");
    if ((el.num_children ?? 0) > 0 || el.type === undefined || el.repetition_type === "REPEATED")
      throw new ParquetReadError(
        file,
        "is a nested column (a group, list or map); only flat columns of values can be read: write one column per value",
        el.name
      );
    header.push(el.name);
    converters.push(converterOf(file, el));
    plain.push({
      name: el.name,
      type: el.type,
      type_length: el.type_length,
      repetition_type: el.repetition_type,
    });
    i++;
  }
  return { header, converters, plain };
}

const DAY_MS = 86400000;
/** Days of 0001-01-01 and 9999-12-31 (ISO text has four year digits). */
const FIRST_DAY = -719162;
const LAST_DAY = 2932896;

function isoOfDay(file: string, column: string, row: number, day: number, what: string): string {
  if (!Number.isSafeInteger(day) || day < FIRST_DAY || day > LAST_DAY)
    throw new ParquetReadError(
      file,
      `${what} is outside the years 1 to 9999 (day ${day} from 1970-01-01)`,
      column,
      row
    );
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "123.45" from unscaled 12345 and scale 2 (exact, any size). */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** A big-endian two's complement integer (DECIMAL as bytes). */
function bytesToBigInt(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = 0; i < b.length; i++) v = (v << 8n) | BigInt(b[i]);
  return b[0] & 0x80 ? v - (1n << BigInt(b.length * 8)) : v;
}

/** The shortest decimal that reads back as this float32 (what the writer of the file meant). */
function float32Number(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const n = Number(v.toPrecision(p));
    if (Math.fround(n) === v) return n;
  }
  return v;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function converterOf(file: string, el: SchemaElement): Convert {
  const name = el.name;
  const ct = el.converted_type;
  const lt = el.logical_type;
  const unsupported = (what: string): never => {
    throw new ParquetReadError(
      file,
      `has the Parquet type ${what}, which glpost does not read; write it as text, a number, a DECIMAL, a DATE or a BOOLEAN`,
      name
    );
  };
  if (ct === "DECIMAL" || lt?.type === "DECIMAL") {
    const scale = (lt?.type === "DECIMAL" ? lt.scale : undefined) ?? el.scale ?? 0;
    switch (el.type) {
      case "INT32":
        return (v) => decimalText(BigInt(v as number), scale);
      case "INT64":
        return (v) => decimalText(v as bigint, scale);
      case "FIXED_LEN_BYTE_ARRAY":
      case "BYTE_ARRAY":
        return (v) => decimalText(bytesToBigInt(v as Uint8Array), scale);
      default:
        return unsupported(`DECIMAL on ${el.type}`);
    }
  }
  if (ct === "INTERVAL" || lt?.type === "INTERVAL") return unsupported("INTERVAL");
  if (ct === "TIME_MILLIS" || ct === "TIME_MICROS" || lt?.type === "TIME")
    return unsupported("TIME (a time of day without a date)");
  if (ct === "BSON" || lt?.type === "BSON") return unsupported("BSON");
  if (lt !== undefined && ["UUID", "FLOAT16", "VARIANT", "GEOMETRY", "GEOGRAPHY"].includes(lt.type))
    return unsupported(lt.type);
  if (ct === "DATE" || lt?.type === "DATE") {
    if (el.type !== "INT32") return unsupported(`DATE on ${el.type}`);
    // Posting dates repeat: the text of the last day is kept.
    let lastDay = NaN;
    let lastIso = "";
    return (v, row) => {
      if (v !== lastDay) {
        lastIso = isoOfDay(file, name, row, v as number, "the date");
        lastDay = v as number;
      }
      return lastIso;
    };
  }
  const tsUnit =
    ct === "TIMESTAMP_MILLIS"
      ? "MILLIS"
      : ct === "TIMESTAMP_MICROS"
        ? "MICROS"
        : lt?.type === "TIMESTAMP"
          ? lt.unit
          : el.type === "INT96"
            ? "NANOS"
            : undefined;
  if (tsUnit !== undefined) {
    if (el.type !== "INT64" && el.type !== "INT96") return unsupported(`TIMESTAMP on ${el.type}`);
    const perDay =
      BigInt(DAY_MS) * (tsUnit === "MILLIS" ? 1n : tsUnit === "MICROS" ? 1000n : 1000000n);
    return (v, row) => {
      const t = v as bigint;
      const rest = t % perDay;
      if (rest !== 0n) {
        const ms = Number((t * BigInt(DAY_MS)) / perDay);
        const when = Number.isFinite(new Date(ms).getTime())
          ? new Date(ms).toISOString().replace(".000Z", "Z")
          : `${t} ${tsUnit.toLowerCase()} from 1970-01-01`;
        throw new ParquetReadError(
          file,
          `${when} is a date with a time of day; glpost reads dates: write the column as a DATE (or timestamps at midnight)`,
          name,
          row
        );
      }
      return isoOfDay(file, name, row, Number(t / perDay), "the timestamp");
    };
  }
  switch (el.type) {
    case "BOOLEAN":
      return (v) => v as boolean;
    case "INT32":
      if (ct === "UINT_32" || (lt?.type === "INTEGER" && !lt.isSigned && lt.bitWidth === 32))
        return (v) => ((v as number) < 0 ? (v as number) + 4294967296 : (v as number));
      return (v) => v as number;
    case "INT64": {
      const unsigned =
        ct === "UINT_64" || (lt?.type === "INTEGER" && !lt.isSigned && lt.bitWidth === 64);
      return (v, row) => {
        const b = unsigned ? BigInt.asUintN(64, v as bigint) : (v as bigint);
        if (b > MAX_SAFE || b < -MAX_SAFE)
          throw new ParquetReadError(
            file,
            `${b} is beyond the numbers glpost reads exactly (+-${Number.MAX_SAFE_INTEGER})`,
            name,
            row
          );
        return Number(b);
      };
    }
    case "FLOAT":
    case "DOUBLE": {
      const single = el.type === "FLOAT";
      return (v, row) => {
        const n = v as number;
        if (!Number.isFinite(n))
          throw new ParquetReadError(file, `${n} is not a number that can be read`, name, row);
        return single ? float32Number(n) : n;
      };
    }
    case "BYTE_ARRAY": {
      // Text (STRING, ENUM, JSON or unannotated). Dictionary pages hand out the same array for a repeated value.
      let lastBytes: Uint8Array | null = null;
      let lastText: string | null = null;
      return (v, row) => {
        const b = v as Uint8Array;
        if (b === lastBytes) return lastText;
        let t: string;
        try {
          t = UTF8.decode(b);
        } catch {
          throw new ParquetReadError(
            file,
            "holds bytes that are not UTF-8 text; write the column as UTF-8 text",
            name,
            row
          );
        }
        lastBytes = b;
        lastText = t === "" ? null : t;
        return lastText;
      };
    }
    case "FIXED_LEN_BYTE_ARRAY":
      return unsupported("FIXED_LEN_BYTE_ARRAY (bytes)");
    default:
      return unsupported(String(el.type));
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * A written column. Cells accepted per kind (null always: an empty cell):
 * - text: a string;
 * - integer: a whole number within BC's Integer (-2,147,483,648 to 2,147,483,647), written INT32;
 * - decimal: decimal text ("165.00", "-0.05") or a number, written DECIMAL(18, scale) INT64, exactly: a value with
 *   non-zero digits beyond scale, or beyond 18 digits, is an error;
 * - date: ISO text "2026-01-31", or a number = the engine's day number (days since 1970-01-01, NOT an Excel
 *   serial), written DATE;
 * - boolean: true/false, written BOOLEAN.
 */
export interface ParquetColumn {
  name: string;
  kind: "text" | "integer" | "decimal" | "date" | "boolean";
  /** Decimal places of a decimal column (0 to 18). */
  scale?: number;
}

/** Rows per row group when not given: about 1 MB of encoded value entries, some 350 MB of peak RSS while writing. */
export const DEFAULT_ROW_GROUP_ROWS = 50000;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?$/;
const MAX_DECIMAL18 = 10n ** 18n;

/** A ByteWriter whose bytes go to a file after each row group (hyparquet-writer calls flush()). */
interface FileByteWriter extends InstanceType<typeof ByteWriter> {
  flush(): Promise<void>;
  finish(): Promise<void>;
}

function fileByteWriter(fh: fs.FileHandle): FileByteWriter {
  const w = new ByteWriter(1 << 20) as FileByteWriter;
  w.flush = async () => {
    const n = w.index;
    if (n === 0) return;
    const bytes = new Uint8Array(w.buffer, 0, n);
    let done = 0;
    while (done < n) done += (await fh.write(bytes, done, n - done)).bytesWritten;
    w.index = 0;
  };
  w.finish = () => w.flush();
  return w;
}

/**
 * Writes a table as a Parquet file, one row group at a time: append() buffers rows and writes each full row
 * group; close() writes the last one and the footer. Memory is bounded by one row group. The file is complete
 * only once close() resolved (the footer is the last bytes written): write to a temporary name and rename; after
 * a failure call abort(), which removes it.
 */
export class ParquetTableWriter {
  private buffered: unknown[][];
  private count = 0;
  private appended = 0;
  private failed: unknown = null;
  private closed = false;
  private readonly toPhysical: ((v: CellValue, row: number) => unknown)[];

  private constructor(
    readonly file: string,
    readonly columns: readonly ParquetColumn[],
    private readonly rowGroupRows: number,
    private readonly fh: fs.FileHandle,
    private readonly writer: InstanceType<typeof ParquetWriter>
  ) {
    this.buffered = columns.map(() => new Array(rowGroupRows));
    this.toPhysical = columns.map((c) => physical(file, c));
  }

  static async create(
    file: string,
    columns: ParquetColumn[],
    rowGroupRows = DEFAULT_ROW_GROUP_ROWS
  ): Promise<ParquetTableWriter> {
    if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1)
      throw new RangeError(`rowGroupRows must be a positive integer, got ${rowGroupRows}`);
    const schema = schemaOf(file, columns);
    const fh = await fs.open(file, "w");
    try {
      const bytes = fileByteWriter(fh);
      const writer = new ParquetWriter({ writer: bytes, schema, codec: "SNAPPY" });
      return new ParquetTableWriter(file, columns, rowGroupRows, fh, writer);
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw e;
    }
  }

  /** Adds rows (cells in the order of the columns; a shorter row reads as nulls). */
  async append(rows: CellValue[][]): Promise<void> {
    if (this.closed) throw new Error(`${this.file} is already closed`);
    if (this.failed !== null) throw this.failed;
    const width = this.columns.length;
    for (const row of rows) {
      if (row.length > width)
        throw new ParquetWriteError(
          this.file,
          `the row has ${row.length} cells for ${width} columns`,
          undefined,
          this.appended
        );
      const at = this.count;
      for (let c = 0; c < width; c++) {
        const v = c < row.length ? row[c] : null;
        this.buffered[c][at] = v === null ? null : this.toPhysical[c](v, this.appended);
      }
      this.appended++;
      if (++this.count === this.rowGroupRows) await this.writeGroup();
    }
  }

  /** Writes the buffered rows as one row group. */
  private async writeGroup(): Promise<void> {
    const n = this.count;
    if (n === 0) return;
    const columnData = this.columns.map((c, j) => ({
      name: c.name,
      data: n === this.rowGroupRows ? this.buffered[j] : this.buffered[j].slice(0, n),
    }));
    this.count = 0;
    try {
      await this.writer.write({ columnData, rowGroupSize: n });
    } catch (e) {
      this.failed = e;
      throw e;
    }
    // New arrays: the written ones may still be referenced by the writer's page statistics.
    this.buffered = this.columns.map(() => new Array(this.rowGroupRows));
  }

  /** The rows appended so far. */
  get rowCount(): number {
    return this.appended;
  }

  /** Writes the last row group and the footer, flushes the file to disk and closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.failed !== null) throw this.failed;
    try {
      await this.writeGroup();
      await this.writer.finish();
      await this.fh.sync();
    } catch (e) {
      this.failed = e;
      throw e;
    }
    this.closed = true;
    await this.fh.close();
  }

  /** After a failure (or to give up): closes and removes the file. */
  async abort(): Promise<void> {
    this.closed = true;
    await this.fh.close().catch(() => undefined);
    await fs.rm(this.file, { force: true });
  }
}

function schemaOf(file: string, columns: readonly ParquetColumn[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new ParquetWriteError(file, "the column is given twice", c.name);
    seen.add(c.name);
    const base = { name: c.name, repetition_type: "OPTIONAL" as const };
    switch (c.kind) {
      case "text":
        schema.push({
          ...base,
          type: "BYTE_ARRAY",
          converted_type: "UTF8",
          logical_type: { type: "STRING" },
        });
        break;
      case "integer":
        schema.push({ ...base, type: "INT32" });
        break;
      case "decimal": {
        const scale = c.scale ?? 2;
        if (!Number.isInteger(scale) || scale < 0 || scale > 18)
          throw new ParquetWriteError(file, `the scale ${scale} is not 0 to 18`, c.name);
        schema.push({
          ...base,
          type: "INT64",
          converted_type: "DECIMAL",
          scale,
          precision: 18,
          logical_type: { type: "DECIMAL", precision: 18, scale },
        });
        break;
      }
      case "date":
        schema.push({
          ...base,
          type: "INT32",
          converted_type: "DATE",
          logical_type: { type: "DATE" },
        });
        break;
      case "boolean":
        schema.push({ ...base, type: "BOOLEAN" });
        break;
      default:
        throw new ParquetWriteError(
          file,
          `unknown column kind ${String((c as ParquetColumn).kind)}`,
          c.name
        );
    }
  }
  return schema;
}

/** A cell -> the value hyparquet-writer writes for the column (bigint unscaled decimal, day number...). */
function physical(file: string, col: ParquetColumn): (v: CellValue, row: number) => unknown {
  const bad = (v: CellValue, row: number, why: string): never => {
    throw new ParquetWriteError(file, `${JSON.stringify(v)} ${why}`, col.name, row);
  };
  switch (col.kind) {
    case "text":
      return (v, row) => (typeof v === "string" ? v : bad(v, row, "is not text"));
    case "boolean":
      return (v, row) => (typeof v === "boolean" ? v : bad(v, row, "is not true or false"));
    case "integer":
      return (v, row) =>
        typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647
          ? v
          : bad(v, row, "is not a whole number from -2147483648 to 2147483647");
    case "date": {
      const cache = new Map<string, number>();
      return (v, row) => {
        if (typeof v === "number")
          return Number.isInteger(v) && v >= FIRST_DAY && v <= LAST_DAY
            ? v
            : bad(v, row, "is not a day number (days from 1970-01-01) of the years 1 to 9999");
        if (typeof v !== "string") return bad(v, row, "is not a date");
        const hit = cache.get(v);
        if (hit !== undefined) return hit;
        const m = ISO_DAY.exec(v);
        if (m === null) return bad(v, row, "is not an ISO date (yyyy-mm-dd)");
        const d = new Date(0);
        d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
        if (
          d.getUTCFullYear() !== +m[1] ||
          d.getUTCMonth() !== +m[2] - 1 ||
          d.getUTCDate() !== +m[3]
        )
          return bad(v, row, "is not a date (no such day)");
        const day = d.getTime() / DAY_MS;
        if (cache.size < 10000) cache.set(v, day);
        return day;
      };
    }
    case "decimal": {
      const scale = col.scale ?? 2;
      const factor = 10n ** BigInt(scale);
      const cache = new Map<string, bigint>();
      const fromText = (t: string, v: CellValue, row: number): bigint => {
        const hit = cache.get(t);
        if (hit !== undefined) return hit;
        const m = DECIMAL_TEXT.exec(t);
        if (m === null) return bad(v, row, "is not a decimal number");
        const frac = m[3] ?? "";
        if (frac.length > scale && /[1-9]/.test(frac.slice(scale)))
          return bad(v, row, `has more than ${scale} decimals`);
        let u = BigInt(m[2]) * factor + BigInt(frac.slice(0, scale).padEnd(scale, "0") || "0");
        if (m[1] === "-") u = -u;
        if (u >= MAX_DECIMAL18 || u <= -MAX_DECIMAL18)
          return bad(v, row, "has more than 18 digits");
        if (cache.size < 10000) cache.set(t, u);
        return u;
      };
      return (v, row) => {
        if (typeof v === "string") return fromText(v, v, row);
        if (typeof v === "number") {
          if (!Number.isFinite(v)) return bad(v, row, "is not a number");
          // The shortest text that is this number (what it was meant to be); no exponent for these sizes.
          const t = Number.isInteger(v) ? BigInt(v).toString() : String(v);
          if (/e/i.test(t)) return bad(v, row, `has more than ${scale} decimals`);
          return fromText(t, v, row);
        }
        return bad(v, row, "is not a number");
      };
    }
  }
}
