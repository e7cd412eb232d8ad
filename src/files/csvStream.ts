/**
 * A CSV file read and written in chunks (a streamed run, app/stream.ts): the Value Entries of a folder too big
 * to hold in memory. The reading is csv.ts's, chunk by chunk, so a streamed file reads as the whole file would:
 *   scanCsvFile   one pass over the bytes: the encoding exactly as decodeCsv decides it from the whole file
 *                 (UTF-16 by its byte order mark, else UTF-8 when every byte is, else Windows-1252 when every
 *                 byte is defined there, else a problem naming the line), and the file's stamp;
 *   csvChunks     the records in chunks of about `chunkChars` characters, each parsed by parseCsv as the header
 *                 line followed by whole records (a chunk ends before the last record its text began, so a quoted
 *                 line break or a CRLF split across two reads is never cut), with the file's line numbers;
 *   CsvOutFile    a file written chunk by chunk to its temp name, in the input file's encoding, hashed as
 *                 written (commit.ts commits it with the run's other files).
 */
import { createHash } from "crypto";
import { createReadStream, promises as fs } from "fs";
import { StringDecoder } from "string_decoder";
import type { TableWrite } from "../workbook/port";
import type { FileStamp, StagedFile } from "./commit";
import {
  applyWrite,
  CP1252_UNDEFINED,
  cp1252Text,
  encodeText,
  parseCsv,
  SAVE_AS,
  type CsvEncoding,
  type ParsedCsv,
  type StreamTarget,
} from "./csv";

export interface CsvScan {
  encoding: CsvEncoding;
  bom: boolean;
  /** The bytes are not text this reader can be sure of (decodeCsv's problem, with its line). */
  problem?: { line: number; message: string };
  stamp: FileStamp;
}

const BLOCK = 1 << 22;

function newlines(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = b.indexOf(10, from); i >= 0 && i < to; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** The encoding and stamp of a CSV file, from one pass over its bytes (decodeCsv's rules, block by block). */
export async function scanCsvFile(file: string): Promise<CsvScan> {
  const hash = createHash("sha256");
  const st0 = await fs.stat(file);
  let size = 0;
  let head: Buffer | null = null;
  let utf16: CsvEncoding | null = null;
  let nulLine = -1;
  let badUtf8Line = -1;
  let badUtf8Byte = 0;
  let undefinedLine = -1;
  let undefinedByte = 0;
  let lines = 1;
  let utf8 = true;
  // The bytes of a UTF-8 sequence a block boundary cut, carried into the next block.
  let carry: Buffer = Buffer.alloc(0);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const raw of createReadStream(file, { highWaterMark: BLOCK })) {
    const block = raw as Buffer;
    hash.update(block);
    if (head === null) {
      head = block.subarray(0, 2);
      if (
        head.length >= 2 &&
        ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
      )
        utf16 = head[0] === 0xff ? "utf-16le" : "utf-16be";
    }
    size += block.length;
    if (utf16 !== null) continue;
    if (nulLine < 0) {
      const nul = block.indexOf(0);
      if (nul >= 0) nulLine = lines + newlines(block, 0, nul);
    }
    if (utf8) {
      try {
        decoder.decode(block, { stream: true });
        carry = Buffer.alloc(0);
      } catch {
        utf8 = false;
        const both = Buffer.concat([carry, block]);
        const at = firstInvalid(both);
        badUtf8Line = lines + newlines(both, carry.length, Math.max(at, carry.length));
        badUtf8Byte = both[at] ?? 0;
      }
      if (utf8) carry = Buffer.from(block.subarray(Math.max(0, block.length - 3)));
    }
    if (undefinedLine < 0)
      for (const u of CP1252_UNDEFINED) {
        const at = block.indexOf(u);
        if (at >= 0) {
          const line = lines + newlines(block, 0, at);
          if (undefinedLine < 0 || line < undefinedLine) {
            undefinedLine = line;
            undefinedByte = u;
          }
        }
      }
    lines += newlines(block, 0, block.length);
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
      badUtf8Line = lines;
    }
  }
  const st = await fs.stat(file);
  const stamp: FileStamp = { file, size, mtimeMs: st.mtimeMs, sha256: hash.digest("hex") };
  if (st.size !== st0.size || st.mtimeMs !== st0.mtimeMs || st.size !== size)
    return {
      encoding: "utf-8",
      bom: false,
      stamp,
      problem: { line: 1, message: "the file changed while it was read; run again" },
    };
  if (utf16 !== null) {
    if (size % 2 !== 0)
      return {
        encoding: utf16,
        bom: true,
        stamp,
        problem: {
          line: 1,
          message: `the file starts like UTF-16 text but has an odd number of bytes (cut off?); ${SAVE_AS}`,
        },
      };
    return { encoding: utf16, bom: true, stamp };
  }
  if (nulLine >= 0)
    return {
      encoding: "utf-8",
      bom: false,
      stamp,
      problem: {
        line: nulLine,
        message: `this line holds a NUL byte: the file is not UTF-8 or Windows-1252 text (UTF-16 without a byte order mark?); ${SAVE_AS}`,
      },
    };
  const bom = head !== null && head.length >= 2 && head[0] === 0xef && head[1] === 0xbb;
  if (utf8) return { encoding: "utf-8", bom, stamp };
  if (undefinedLine >= 0)
    return {
      encoding: "utf-8",
      bom: false,
      stamp,
      problem: {
        line: badUtf8Line,
        message:
          `the file is neither UTF-8 (line ${badUtf8Line} has the byte 0x${badUtf8Byte.toString(16).toUpperCase()}, which is not UTF-8 there) nor Windows-1252 ` +
          `(line ${undefinedLine} has the byte 0x${undefinedByte.toString(16).toUpperCase()}, which Windows-1252 does not define); ${SAVE_AS}`,
      },
    };
  return { encoding: "windows-1252", bom: false, stamp };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (or b.length). */
function firstInvalid(b: Buffer): number {
  for (let n = 1; n <= b.length; n++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(0, n), { stream: true });
    } catch {
      return n - 1;
    }
  }
  return b.length;
}

/** One chunk of records: parsed as the header line followed by them, with the file's line numbers. */
export interface CsvChunk {
  /** The header line, then whole records (spans and rowNumbers as the file's; text positions this text's). */
  parsed: ParsedCsv;
  /** Index of the chunk's first record among the file's records. */
  firstRow: number;
  /** The file ends with this chunk. */
  last: boolean;
}

/** Text decoded block by block in the scanned encoding (a BOM is left out: CsvScan.bom says it was there). */
async function* decodedBlocks(file: string, encoding: CsvEncoding): AsyncGenerator<string> {
  let first = true;
  const sd =
    encoding === "utf-8" || encoding === "utf-16le"
      ? new StringDecoder(encoding === "utf-8" ? "utf8" : "utf16le")
      : null;
  let odd: Buffer | null = null;
  for await (const raw of createReadStream(file, { highWaterMark: BLOCK })) {
    let block = raw as Buffer;
    let text: string;
    if (encoding === "windows-1252") text = cp1252Text(block);
    else if (encoding === "utf-16be") {
      if (odd !== null) block = Buffer.concat([odd, block]);
      const even = block.length & ~1;
      odd = even < block.length ? Buffer.from(block.subarray(even)) : null;
      text = Buffer.from(block.subarray(0, even)).swap16().toString("utf16le");
    } else text = sd!.write(block);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  if (sd !== null) {
    const rest = sd.end();
    if (rest.length > 0) yield rest;
  }
}

/**
 * The file's records in chunks of about chunkChars characters. Every chunk's `parsed` is parseCsv of the header
 * line and its records, its rowNumbers the file's lines, so what a record reads as (fields, problems) is what it
 * reads as in the whole file. The chunk's number style (parsed.numberStyle) is its own: the caller fixes one.
 */
export async function* csvChunks(
  file: string,
  encoding: CsvEncoding,
  chunkChars: number
): AsyncGenerator<CsvChunk> {
  /** The text after the last record given out (from the file's start until the header is known). */
  let pending = "";
  /** The header line and its line end, as the file has them (null until read). */
  let head: string | null = null;
  /** The file line of pending's first record (once head is known). */
  let fileLine = 0;
  let firstRow = 0;
  /** Parses head + pending; gives out all its records (final) or all but the last, which may go on. */
  const take = (final: boolean, limit: number): CsvChunk | null => {
    // A prefix parses as the whole does up to its last record (parseCsv reads front to back).
    const text = final ? pending : pending.slice(0, limit);
    const source = head === null ? text : head + text;
    const p = parseCsv(source);
    if (p.headerSpan === null) return null;
    let h = head;
    let line = fileLine;
    if (h === null) {
      if (p.spans.length === 0) return final ? { parsed: p, firstRow: 0, last: true } : null;
      // The header line with its line end: what every later chunk's text starts with.
      h = source.slice(0, p.spans[0].start);
      line = p.spans[0].line;
    }
    const shift = line - (1 + linesIn(h, 0, h.length));
    let keep = p.rows.length;
    let cut = source.length;
    if (!final) {
      // The last record may go on past this text: it is read again with the next.
      if (keep < 2) return null;
      keep--;
      cut = p.spans[keep].start;
      fileLine = p.spans[keep].line + shift;
      pending = pending.slice(cut - (head === null ? 0 : head.length));
      head = h;
    }
    p.text = source.slice(0, cut);
    p.rows.length = keep;
    p.spans.length = keep;
    p.rowNumbers.length = keep;
    for (let i = 0; i < keep; i++) {
      p.spans[i].line += shift;
      p.rowNumbers[i] += shift;
    }
    const problems = (p.problems ?? []).filter((x) => x.rowIndex < keep);
    for (const x of problems) if (x.rowIndex >= 0) x.line += shift;
    p.problems = problems;
    const chunk: CsvChunk = { parsed: p, firstRow, last: final };
    firstRow += keep;
    return chunk;
  };
  for await (const text of decodedBlocks(file, encoding)) {
    pending += text;
    let limit = chunkChars;
    while (pending.length >= limit) {
      const chunk = take(false, limit);
      // One record longer than the limit: read a longer part.
      if (chunk === null) limit *= 2;
      else yield chunk;
    }
  }
  const chunk = take(true, 0);
  // An empty file: one chunk without a header, as parseCsv reads it.
  yield chunk ?? { parsed: parseCsv(pending), firstRow: 0, last: true };
}

/** Line breaks in text[from, to) (CRLF counts once). */
function linesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/** A file written chunk by chunk to its temp name, in one encoding, hashed as written. */
export class CsvOutFile {
  private hash = createHash("sha256");
  private size = 0;
  private parts: Buffer[] = [];
  private buffered = 0;

  private constructor(
    readonly final: string,
    readonly temp: string,
    private fh: fs.FileHandle,
    private encoding: CsvEncoding,
    private label: string
  ) {}

  /** Creates the temp file (it must not exist yet). */
  static async create(
    final: string,
    temp: string,
    encoding: CsvEncoding,
    mode: number | undefined,
    label: string
  ): Promise<CsvOutFile> {
    const fh = await fs.open(temp, "wx", mode);
    if (mode !== undefined) await fh.chmod(mode);
    return new CsvOutFile(final, temp, fh, encoding, label);
  }

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    await this.writeBytes(encodeText(text, this.encoding, this.label));
  }

  /** Bytes as they are (a copied file part). */
  async writeBytes(b: Buffer): Promise<void> {
    this.hash.update(b);
    this.size += b.length;
    this.parts.push(b);
    this.buffered += b.length;
    if (this.buffered >= 1 << 22) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const b = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    this.buffered = 0;
    await this.fh.write(b);
  }

  /** Flushes, fsyncs and closes; the file's size and SHA-256 for the commit journal. */
  async close(): Promise<{ final: string; temp: string; size: number; sha256: string }> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
    return { final: this.final, temp: this.temp, size: this.size, sha256: this.hash.digest("hex") };
  }

  /** Closes without keeping anything (the run stopped). */
  async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true }).catch(() => undefined);
  }
}

/**
 * One output table of a streamed run, written as its writes come (a chunk's appends, then the next chunk's):
 * the bytes are those applyWrite gives for all the writes at once. The first write is applied to the file as
 * read (its header may gain columns); later ones to its new header alone, and only their records are kept.
 * A replace write clears the file's records once, at the first; later replace writes of the run append.
 */
export class StreamedCsvTable {
  /** The header line as written (after the first write), as a table with no records. */
  private head: ParsedCsv | null = null;
  private headText = "";
  private eol = "\n";
  private finalEol = true;

  private constructor(
    private out: CsvOutFile,
    private target: StreamTarget
  ) {}

  static async create(
    target: StreamTarget,
    final: string,
    temp: string,
    mode: number | undefined
  ): Promise<StreamedCsvTable> {
    const out = await CsvOutFile.create(final, temp, target.encoding, mode, target.file);
    return new StreamedCsvTable(out, target);
  }

  get file(): string {
    return this.target.file;
  }

  async put(w: TableWrite): Promise<void> {
    if (w.kind === "update" || w.kind === "delete")
      throw new Error(`a streamed table takes appends and replaces, not ${w.kind}`);
    if (this.head === null) {
      const text = applyWrite(this.target.parsed, w, this.target.newStyle);
      const p = this.target.parsed;
      const style =
        p === null || p.headerSpan === null
          ? { ...this.target.newStyle, bom: p?.style.bom || this.target.newStyle.bom }
          : p.style;
      this.eol = style.eol;
      this.finalEol = style.finalEol;
      // Everything but the final line end: the next write's records start with one.
      const body =
        this.finalEol && text.endsWith(this.eol) ? text.slice(0, -this.eol.length) : text;
      await this.out.write(body);
      const afterBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      const headerText = parseCsv(afterBom).headerSpan;
      this.headText = headerText === null ? "" : afterBom.slice(0, headerText.end);
      const head = parseCsv(this.headText);
      head.style = { ...style, bom: false, finalEol: true };
      this.head = head;
      return;
    }
    if (w.rows.length === 0) return;
    const text = applyWrite(this.head, { ...w, kind: "append" } as TableWrite, this.head.style);
    // headText, then the line end and the records, then the final line end.
    await this.out.write(text.slice(this.headText.length, text.length - this.eol.length));
  }

  async close(): Promise<StagedFile> {
    if (this.finalEol) await this.out.write(this.eol);
    return this.out.close();
  }

  discard(): Promise<void> {
    return this.out.discard();
  }
}

/**
 * The streamed table itself (Value Entries), rewritten chunk by chunk: each chunk's text with its update
 * applied (applyWrite keeps every byte it does not change), the header written once.
 */
export class StreamedCsvRewrite {
  private first = true;

  private constructor(private out: CsvOutFile) {}

  static async create(
    final: string,
    temp: string,
    encoding: CsvEncoding,
    bom: boolean,
    mode: number | undefined,
    label: string
  ): Promise<StreamedCsvRewrite> {
    const out = await CsvOutFile.create(final, temp, encoding, mode, label);
    if (bom) await out.write("\ufeff");
    return new StreamedCsvRewrite(out);
  }

  /** The chunk, with its update (rows: indexes into chunk.parsed.rows) when it has one. */
  async put(chunk: CsvChunk, update: TableWrite | null): Promise<void> {
    const p = chunk.parsed;
    const text = update === null ? p.text : applyWrite(p, update, p.style);
    const bodyStart = p.spans.length > 0 ? p.spans[0].start : p.text.length;
    await this.out.write(this.first ? text : text.slice(bodyStart));
    this.first = false;
  }

  close(): Promise<StagedFile> {
    return this.out.close();
  }

  discard(): Promise<void> {
    return this.out.discard();
  }
}
