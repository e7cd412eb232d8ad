/**
 * XlsxWorkbook: an .xlsx file as a WorkbookPort (the CLI's adapter). Adds to XlsxBook what needs Node:
 * reading the file, refusing to write when someone changed it since it was read, and saving atomically
 * (../commit.ts: a temporary file beside the real target, re-checked and renamed), so the output is
 * either old or complete.
 */
import { promises as fs } from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { WriteGuard } from "../../workbook/port";
import { checkUnchanged, saveFile, stampOf, type FileStamp } from "../commit";
import { XlsxBook } from "./book";
import { XlsxFormatError } from "./errors";
import { checkExtensions } from "./extension";
import type { ZipCodec } from "./zip";

export interface XlsxOpenOptions {
  /** Where write() saves; defaults to the input file (update in place). */
  outputPath?: string;
}

const nodeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number })
  .crc32;

/** node:zlib: native (de)compression, much faster than the pure-JS default on big sheets. */
export const nodeZlibCodec: ZipCodec = {
  // Never past the declared size (entryData checks it against the limits first): a zip bomb stops here.
  // One output buffer of that size (and a byte, so that zlib need not start another): a big sheet is not
  // inflated into 16 kB pieces and then copied into one.
  inflateRaw: (data, size) =>
    zlib.inflateRawSync(data, {
      maxOutputLength: Math.max(1, size),
      chunkSize: Math.max(64, size + 1),
    }),
  deflateRaw: (data, level) => zlib.deflateRawSync(data, { level }),
  // Each piece is compressed on its own and all but the last end with a sync flush (byte-aligned, not
  // final): the pieces concatenated are one valid deflate stream. Pieces are about a megabyte, so
  // starting each without the previous one's window costs next to nothing in size.
  deflateRawStream: (level) => ({
    push: (data, final) => [
      zlib.deflateRawSync(
        data,
        final ? { level } : { level, finishFlush: zlib.constants.Z_SYNC_FLUSH }
      ),
    ],
  }),
  // The same on libuv's thread pool. The output buffer is big enough for one trip to the pool (the main
  // thread may be busy), and the result is copied out of it so that it does not keep it all.
  deflateRawAsync: (data, level, final) =>
    new Promise((resolve, reject) => {
      const options: zlib.ZlibOptions = { level, chunkSize: Math.max(64 * 1024, data.length >> 1) };
      if (!final) options.finishFlush = zlib.constants.Z_SYNC_FLUSH;
      zlib.deflateRaw(data, options, (err, out) =>
        err ? reject(err) : resolve(new Uint8Array(out))
      );
    }),
  // Each piece goes to the pool and back a few times through this thread: give it the turns it needs.
  letCompressionRun: () => new Promise((resolve) => setImmediate(resolve)),
  ...(typeof nodeCrc32 === "function"
    ? { crc32: (data: Uint8Array, value?: number) => nodeCrc32(data, value ?? 0) }
    : {}),
};

export class XlsxWorkbook extends XlsxBook {
  private watched: string;
  private stamp: FileStamp;

  private constructor(
    bytes: Uint8Array,
    readonly inputPath: string,
    readonly outputPath: string,
    stamp: FileStamp
  ) {
    super(bytes, { name: inputPath, codec: nodeZlibCodec });
    this.watched = inputPath;
    this.stamp = stamp;
  }

  /** Opens an .xlsx file; throws XlsxFormatError when it is not one. */
  static async open(inputPath: string, options: XlsxOpenOptions = {}): Promise<XlsxWorkbook> {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(inputPath);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "EISDIR") throw new XlsxFormatError(inputPath, "it is a folder");
      throw new Error(`cannot read ${inputPath}: ${err.message}`);
    }
    const stamp = await stampOf(inputPath, bytes);
    const book = new XlsxWorkbook(bytes, inputPath, options.outputPath ?? inputPath, stamp);
    checkExtensions(inputPath, book.outputPath, book.workbookContentType);
    return book;
  }

  /**
   * A file adapter checks its file rather than the guard's values (port.ts): if the file changed since it
   * was read (or last written by us), nothing is written.
   */
  protected override async beforeWrite(_guard: WriteGuard | null): Promise<void> {
    await this.checkUnchanged();
  }

  private async checkUnchanged(): Promise<void> {
    await checkUnchanged(this.stamp, this.watched);
  }

  protected override async save(bytes: Uint8Array): Promise<void> {
    const out = this.outputPath;
    // Nothing changed and nothing to create: leave the file (and its modification time) alone.
    if (bytes === this.bytes && path.resolve(out) === path.resolve(this.watched)) return;
    // The last look, under the run's lock, just before the rename: nobody else's edit is overwritten.
    await saveFile(out, bytes, {
      guard: () => this.checkUnchanged(),
      inPlace: path.resolve(out) === path.resolve(this.inputPath),
    });
    // From now on this object stands for what it wrote.
    this.watched = out;
    this.stamp = await stampOf(out, bytes);
  }
}
