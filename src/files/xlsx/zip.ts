/**
 * A minimal zip reader/writer for OOXML packages. Reading keeps each entry's compressed bytes so that
 * writing can copy untouched entries verbatim (no inflate/deflate, byte-identical content); only parts
 * we change are compressed again (with fflate, or the codec given), big ones piece by piece as they are
 * written (PartWriter). No Node APIs: usable in a browser bundle.
 */
import { Deflate, deflateSync, inflateSync } from "fflate";
import { fixEncodingDeclaration } from "./xml";

export interface ZipEntry {
  /** Name as stored (OPC part name without the leading '/'). */
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  crc: number;
  size: number;
  /** The compressed bytes as found in the archive. */
  raw: Uint8Array;
  /** DOS time and date, kept when copying. */
  time: number;
  date: number;
}

/** A part compressed as it was written (PartWriter): its CRC, size and deflated bytes in pieces. */
export interface CompressedPart {
  crc: number;
  size: number;
  raw: Uint8Array[];
}

/** A part to write: an entry copied as it was, new content, or new content already compressed. */
export type ZipOutput =
  { copy: ZipEntry } | { name: string; data: Uint8Array } | { name: string; part: CompressedPart };

export class ZipFormatError extends Error {}

/**
 * Raw deflate for zip entries. The default is fflate (pure JS, works in a browser); under Node the
 * file wrapper passes node:zlib, which is 2-4x faster on big sheets.
 */
export interface ZipCodec {
  inflateRaw(data: Uint8Array, size: number): Uint8Array;
  deflateRaw(data: Uint8Array, level: number): Uint8Array;
  /** CRC-32 of `data` continuing from `value` (the CRC of the bytes before it; 0 or absent to start), as node:zlib's crc32. */
  crc32?(data: Uint8Array, value?: number): number;
  /** A raw deflate stream fed piece by piece, so a big part never has to be held whole (PartWriter). */
  deflateRawStream?(level: number): DeflateStream;
  /**
   * Compresses one piece of a raw deflate stream elsewhere (a thread pool) while the caller goes on:
   * all but the `final` piece end byte-aligned without ending the stream, so the pieces' results
   * concatenated in order are one stream (deflateRawStream's output, piece for piece).
   */
  deflateRawAsync?(data: Uint8Array, level: number, final: boolean): Promise<Uint8Array>;
  /**
   * With deflateRawAsync: lets the pieces being compressed move on, when that needs the caller's thread
   * now and then (node:zlib hands each piece back and forth a few times). Called after a piece is handed over.
   */
  letCompressionRun?(): Promise<void>;
}

export interface DeflateStream {
  /** Compresses the next piece (`final`: the last one, which ends the stream); returns the compressed bytes produced by it. */
  push(data: Uint8Array, final: boolean): Uint8Array[];
}

export const fflateCodec: ZipCodec = {
  inflateRaw: (data, size) => inflateSync(data, { out: new Uint8Array(size) }),
  deflateRaw: (data, level) => deflateSync(data, { level: level as 4 | 6 }),
  deflateRawStream: (level) => {
    let produced: Uint8Array[] = [];
    const d = new Deflate({ level: level as 4 | 6 }, (chunk) => produced.push(chunk));
    return {
      push(data, final) {
        d.push(data, final);
        const out = produced;
        produced = [];
        return out;
      },
    };
  },
};

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

/** Reads the central directory; throws ZipFormatError when the bytes are not a (supported) zip. */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  if (bytes.length < 22) throw new ZipFormatError("too short to be a zip file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (o: number) => view.getUint32(o, true);
  const u16 = (o: number) => view.getUint16(o, true);
  const u64 = (o: number) => u32(o) + u32(o + 4) * 0x100000000;

  // End of central directory: the last 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no zip directory found");
  let count = u16(eocd + 10);
  let cdOffset = u32(eocd + 16);
  if (
    (count === 0xffff || cdOffset === 0xffffffff) &&
    eocd >= 20 &&
    u32(eocd - 20) === SIG_EOCD64_LOCATOR
  ) {
    const rec = u64(eocd - 20 + 8);
    if (rec + 56 > bytes.length || u32(rec) !== SIG_EOCD64)
      throw new ZipFormatError("broken zip64 directory");
    count = u64(rec + 32);
    cdOffset = u64(rec + 48);
  }

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || u32(p) !== SIG_CENTRAL)
      throw new ZipFormatError("broken zip directory");
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const time = u16(p + 12);
    const date = u16(p + 14);
    const crc = u32(p + 16);
    let compressedSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let localOffset = u32(p + 42);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);
    // Zip64: the 0xffffffff fields are in the zip64 extra field, in this order.
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let e = p + 46 + nameLen;
      const eEnd = e + extraLen;
      while (e + 4 <= eEnd) {
        const id = u16(e);
        const len = u16(e + 2);
        if (id === 1) {
          let f = e + 4;
          if (size === 0xffffffff) {
            size = u64(f);
            f += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = u64(f);
            f += 8;
          }
          if (localOffset === 0xffffffff) {
            localOffset = u64(f);
            f += 8;
          }
          break;
        }
        e += 4 + len;
      }
    }
    if (flags & 1) throw new ZipFormatError(`entry ${name} is encrypted`);
    if (method !== 0 && method !== 8)
      throw new ZipFormatError(`entry ${name} uses unsupported compression ${method}`);
    if (localOffset + 30 > bytes.length || u32(localOffset) !== SIG_LOCAL)
      throw new ZipFormatError(`broken entry ${name}`);
    // The local header must name the same part: readers that go by local headers would see another file.
    const localNameLen = u16(localOffset + 26);
    const localName = bytes.subarray(localOffset + 30, localOffset + 30 + localNameLen);
    if (localNameLen !== nameLen || !sameBytes(localName, nameBytes))
      throw new ZipFormatError(`entry ${name} has another name in its local header`);
    const dataStart = localOffset + 30 + localNameLen + u16(localOffset + 28);
    if (dataStart + compressedSize > bytes.length)
      throw new ZipFormatError(`entry ${name} is truncated`);
    entries.push({
      name,
      method,
      crc,
      size,
      raw: bytes.subarray(dataStart, dataStart + compressedSize),
      time,
      date,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Limits on what is inflated, checked against each entry's declared size before inflating (and inflation
 * never goes past the declared size), so a zip bomb ends in an error, not in running out of memory.
 */
const INFLATE_LIMITS = {
  /** All parts read from one package together. */
  totalBytes: 2 * 1024 * 1024 * 1024,
  /** One part (its text must fit in one JavaScript string). */
  partBytes: 512 * 1024 * 1024 - 64,
  /** Parts bigger than this may not be compressed more than `ratio` to 1. */
  ratioFrom: 10 * 1024 * 1024,
  ratio: 100,
};

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Counts what a package's reads inflate, against INFLATE_LIMITS.totalBytes. */
export class InflateBudget {
  used = 0;
}

/**
 * The uncompressed content of an entry, checked: within the limits, exactly the declared size, with the
 * declared CRC-32 (a flipped byte in a part is an error, never a different value).
 */
export function entryData(
  entry: ZipEntry,
  codec: ZipCodec = fflateCodec,
  budget?: InflateBudget
): Uint8Array {
  const { size } = entry;
  if (size > INFLATE_LIMITS.partBytes)
    throw new ZipFormatError(
      `the part ${entry.name} is ${MB(size)} uncompressed, more than can be read (${MB(INFLATE_LIMITS.partBytes)})`
    );
  if (
    entry.method !== 0 &&
    size > INFLATE_LIMITS.ratioFrom &&
    size > INFLATE_LIMITS.ratio * Math.max(1, entry.raw.length)
  )
    throw new ZipFormatError(
      `the part ${entry.name} would inflate ${MB(entry.raw.length)} to ${MB(size)} (more than ${INFLATE_LIMITS.ratio} to 1): it looks like a zip bomb`
    );
  if (budget) {
    if (budget.used + size > INFLATE_LIMITS.totalBytes)
      throw new ZipFormatError(
        `its parts are more than ${MB(INFLATE_LIMITS.totalBytes)} uncompressed together`
      );
    budget.used += size;
  }
  let data: Uint8Array;
  if (entry.method === 0) data = entry.raw;
  else {
    try {
      data = codec.inflateRaw(entry.raw, size);
    } catch (e) {
      throw new ZipFormatError(
        `the part ${entry.name} is damaged: it cannot be decompressed (${(e as Error).message})`
      );
    }
  }
  if (data.length !== size)
    throw new ZipFormatError(
      `the part ${entry.name} is damaged: it is not the size its zip entry says`
    );
  const crc = codec.crc32 ? codec.crc32(data) : crc32(data);
  if (crc !== entry.crc)
    throw new ZipFormatError(
      `the part ${entry.name} is damaged: its checksum (CRC-32) does not match`
    );
  return data;
}

/**
 * Compression level for rewritten parts. On a 100 MB sheet level 1 is 3-5x faster than level 6 for a
 * ~25% bigger entry (about what exceljs writes), and the rewrite of big sheets is what a run waits for.
 */
const LEVEL_SMALL = 6;
const LEVEL_BIG = 1;
/** Parts above this many bytes are big (LEVEL_BIG). */
const BIG_PART = 4_000_000;

/** The deflate level the writer uses for a part of `bytes` bytes (the bench's byte floor uses it too). */
export function levelFor(bytes: number): number {
  return bytes > BIG_PART ? LEVEL_BIG : LEVEL_SMALL;
}

/** Encoded text is compressed in pieces of about this many bytes. */
const BYTE_CHUNK = 1 << 20;
/** At most this many characters are encoded in one go (UTF-8 takes at most 3 bytes per UTF-16 unit). */
const MAX_TEXT = Math.floor(BYTE_CHUNK / 3) - 1;
/** Pieces being compressed off the main thread before write() waits (room()). */
const MAX_PENDING = 4;

const encoder = new TextEncoder();

/**
 * Writes one part's XML text given in pieces: the text is encoded and compressed about a megabyte at a
 * time, so a big sheet is never held as one string or one byte array. The result is what writeZip would
 * make of the whole text: a part up to BIG_PART bytes is compressed in one go (byte for byte the same),
 * a bigger one with LEVEL_BIG as a stream. Like encodeXml, a UTF-16 encoding declaration becomes UTF-8.
 * With `offThread`, the codec's deflateRawAsync compresses while the caller goes on making text; it
 * should then wait for room() between pieces, and end with finishAsync().
 */
export class PartWriter {
  private first = true;
  private buf: Uint8Array = new Uint8Array(BYTE_CHUNK);
  private pos = 0;
  private crc = 0;
  private size = 0;
  /** Encoded bytes not compressed yet: until the part is known to be big (or for a codec that cannot stream). */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private big = false;
  private stream?: DeflateStream;
  private readonly raw: Uint8Array[] = [];
  private readonly jobs: { result: Promise<Uint8Array>; done: boolean }[] = [];
  /** Off the main thread: buffers whose piece is compressed, to encode into again. */
  private readonly free: Uint8Array[] = [];
  /** Jobs there were at the last room(). */
  private jobsSeen = 0;

  constructor(
    private readonly codec: ZipCodec = fflateCodec,
    private readonly offThread = false
  ) {
    if (offThread && !codec.deflateRawAsync)
      throw new Error("the codec cannot compress off the main thread");
  }

  /** Appends text (a long text is cut between characters, never inside a surrogate pair). */
  write(text: string): void {
    if (this.first) {
      text = fixEncodingDeclaration(text);
      this.first = false;
    }
    for (let i = 0; i < text.length;) {
      let j = Math.min(text.length, i + MAX_TEXT);
      if (j < text.length && (text.charCodeAt(j) & 0xfc00) === 0xdc00) j++;
      this.encode(i === 0 && j === text.length ? text : text.slice(i, j));
      i = j;
    }
  }

  /**
   * Off the main thread: a promise to wait for before the next piece of text, when enough pieces are
   * being compressed (which also lets finished ones give their memory back) or when a piece was just
   * handed over (letCompressionRun); else undefined.
   */
  room(): Promise<unknown> | undefined {
    const n = this.jobs.length;
    if (n > MAX_PENDING) {
      const job = this.jobs[n - MAX_PENDING - 1];
      if (!job.done) return job.result;
    }
    if (n > this.jobsSeen) {
      this.jobsSeen = n;
      return this.codec.letCompressionRun?.();
    }
    return undefined;
  }

  /** Ends the part (not offThread). */
  finish(): CompressedPart {
    if (this.offThread) throw new Error("finishAsync() ends a part compressed off the main thread");
    this.compress(true);
    return this.result();
  }

  /** Ends the part, once every piece is compressed. */
  async finishAsync(): Promise<CompressedPart> {
    this.compress(true);
    for (const job of this.jobs) this.raw.push(await job.result);
    return this.result();
  }

  private result(): CompressedPart {
    if (!this.big) {
      const data = concatBytes(this.held, this.heldBytes);
      this.held = [];
      this.raw.push(this.codec.deflateRaw(data, levelFor(data.length)));
    }
    return { crc: this.crc, size: this.size, raw: this.raw };
  }

  private encode(text: string): void {
    if (this.buf.length - this.pos < text.length * 3) this.compress(false);
    this.pos += encoder.encodeInto(text, this.pos ? this.buf.subarray(this.pos) : this.buf).written;
  }

  /** Compresses what the buffer holds (`final`: the part ends here). */
  private compress(final: boolean): void {
    const bytes = this.buf.subarray(0, this.pos);
    this.pos = 0;
    this.crc = this.codec.crc32 ? this.codec.crc32(bytes, this.crc) : crc32(bytes, this.crc);
    this.size += bytes.length;
    // Off the main thread the buffer goes with the piece (and comes back when it is compressed); else it
    // is reused at once, so what is held is copied.
    if (this.offThread) this.buf = this.free.pop() ?? new Uint8Array(BYTE_CHUNK);
    if (this.big) {
      this.deflate(bytes, final);
      return;
    }
    this.held.push(this.offThread ? bytes : bytes.slice());
    this.heldBytes += bytes.length;
    if (this.heldBytes > BIG_PART && (this.offThread || this.codec.deflateRawStream)) {
      // Big: compress what is held and go on as a stream.
      this.big = true;
      const held = this.held;
      this.held = [];
      held.forEach((h, i) => this.deflate(h, final && i === held.length - 1));
    }
  }

  private deflate(bytes: Uint8Array, final: boolean): void {
    if (this.offThread) {
      const job = { result: this.codec.deflateRawAsync!(bytes, LEVEL_BIG, final), done: false };
      const settle = () => {
        job.done = true;
        if (bytes.buffer.byteLength === BYTE_CHUNK) this.free.push(new Uint8Array(bytes.buffer));
      };
      job.result.then(settle, settle);
      this.jobs.push(job);
      return;
    }
    this.stream ??= this.codec.deflateRawStream!(LEVEL_BIG);
    for (const r of this.stream.push(bytes, final)) this.raw.push(r);
  }
}

/** The arrays one after the other (`total`: their length, when known). */
export function concatBytes(
  parts: Uint8Array[],
  total = parts.reduce((n, p) => n + p.length, 0)
): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let p = 0;
  for (const b of parts) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

/** A zip entry ready to write: its name in bytes and its stored (raw) data. */
interface Prepared {
  name: Uint8Array;
  utf8: boolean;
  method: number;
  crc: number;
  size: number;
  raw: Uint8Array[];
  rawLength: number;
  time: number;
  date: number;
}

/**
 * The fields a local header (from its offset 6) and a central directory header (from its offset 8) share:
 * flags, method, time, date, CRC-32, compressed and uncompressed size, name length.
 */
function headerFields(view: DataView, at: number, e: Prepared): void {
  view.setUint16(at, e.utf8 ? 0x800 : 0, true);
  view.setUint16(at + 2, e.method, true);
  view.setUint16(at + 4, e.time, true);
  view.setUint16(at + 6, e.date, true);
  view.setUint32(at + 8, e.crc, true);
  view.setUint32(at + 12, e.rawLength, true);
  view.setUint32(at + 16, e.size, true);
  view.setUint16(at + 20, e.name.length, true);
}

/** Builds a zip. Copied entries keep their compressed bytes, CRC and timestamp. */
export function writeZip(outputs: ZipOutput[], codec: ZipCodec = fflateCodec): Uint8Array {
  const enc = new TextEncoder();
  const prepared: Prepared[] = outputs.map((o) => {
    if ("copy" in o) {
      const e = o.copy;
      return {
        name: enc.encode(e.name),
        utf8: !isAscii(e.name),
        method: e.method,
        crc: e.crc,
        size: e.size,
        raw: [e.raw],
        rawLength: e.raw.length,
        time: e.time,
        date: e.date,
      };
    }
    let part: CompressedPart;
    if ("part" in o) part = o.part;
    else {
      const raw = codec.deflateRaw(o.data, levelFor(o.data.length));
      part = {
        crc: codec.crc32 ? codec.crc32(o.data) : crc32(o.data),
        size: o.data.length,
        raw: [raw],
      };
    }
    const rawLength = part.raw.reduce((n, r) => n + r.length, 0);
    // Excel stamps parts with 1980-01-01 00:00; doing the same keeps output deterministic.
    return {
      name: enc.encode(o.name),
      utf8: !isAscii(o.name),
      method: 8,
      crc: part.crc,
      size: part.size,
      raw: part.raw,
      rawLength,
      time: 0,
      date: (0 << 9) | (1 << 5) | 1,
    };
  });

  let total = 22;
  for (const e of prepared) total += 30 + e.name.length + e.rawLength + 46 + e.name.length;
  if (total > 0xfffffff0 || prepared.length > 0xfffe)
    throw new Error("workbook too large to write (zip64 is not supported)");

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let p = 0;
  const offsets: number[] = [];
  for (const e of prepared) {
    offsets.push(p);
    view.setUint32(p, SIG_LOCAL, true);
    view.setUint16(p + 4, 20, true);
    headerFields(view, p + 6, e);
    view.setUint16(p + 28, 0, true);
    out.set(e.name, p + 30);
    p += 30 + e.name.length;
    for (const r of e.raw) {
      out.set(r, p);
      p += r.length;
    }
  }
  const cdStart = p;
  prepared.forEach((e, i) => {
    view.setUint32(p, SIG_CENTRAL, true);
    view.setUint16(p + 4, 20, true);
    view.setUint16(p + 6, 20, true);
    headerFields(view, p + 8, e);
    // extra, comment, disk, internal and external attributes: 0
    view.setUint32(p + 42, offsets[i], true);
    out.set(e.name, p + 46);
    p += 46 + e.name.length;
  });
  view.setUint32(p, SIG_EOCD, true);
  view.setUint16(p + 8, prepared.length, true);
  view.setUint16(p + 10, prepared.length, true);
  view.setUint32(p + 12, p - cdStart, true);
  view.setUint32(p + 16, cdStart, true);
  return out;
}

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

let CRC_TABLE: Int32Array | undefined;

function crcTable(): Int32Array {
  if (CRC_TABLE) return CRC_TABLE;
  // Slicing-by-4 tables: 4 x 256 entries.
  const t = new Int32Array(1024);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 4; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  CRC_TABLE = t;
  return t;
}

/** CRC-32 of `data`, continuing from `value` (the CRC of the bytes before it). */
export function crc32(data: Uint8Array, value = 0): number {
  const t = crcTable();
  let c = ~value;
  let i = 0;
  const n4 = data.length - (data.length % 4);
  for (; i < n4; i += 4) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c =
      t[768 + (c & 0xff)] ^
      t[512 + ((c >>> 8) & 0xff)] ^
      t[256 + ((c >>> 16) & 0xff)] ^
      t[(c >>> 24) & 0xff];
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
