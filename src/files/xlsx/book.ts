/**
 * XlsxBook: a WorkbookPort over .xlsx bytes in memory. No Node APIs here (a browser page can bundle it);
 * the file wrapper (xlsxWorkbook.ts) adds opening, the changed-file guard and the atomic save.
 */
import type {
  SourceTable,
  TableRef,
  TableWrite,
  WorkbookPort,
  WriteGuard,
  WriteProgress,
} from "../../workbook/port";
import { looseName } from "../../workbook/names";
import { formatCell } from "./cellRef";
import { XlsxCellError, XlsxFormatError, XlsxWriteError } from "./errors";
import { WorkbookModel, loadModel } from "./model";
import { PartStore } from "./opc";
import { Grid, ValueFix, readExcelTable, readSheetTable, sheetHasContent } from "./read";
import { parseSharedStrings } from "./sharedStrings";
import { SheetXml, locateSheet } from "./sheetScan";
import { Styles } from "./styles";
import { WriteSession } from "./write";
import { XmlError } from "./xml";
import { ZipCodec, ZipFormatError, fflateCodec, readZip } from "./zip";

/** What a user can do about a damaged part. */
const REPAIR = "open it in Excel and save it again (or export it again from Business Central)";

/** A malformed part or a damaged zip entry found while reading: a format error naming what was read. */
function readingError(name: string, what: string, e: unknown): unknown {
  if (e instanceof XmlError || e instanceof ZipFormatError)
    return new XlsxFormatError(
      name,
      `${what} cannot be read: ${e.message}. The file is damaged or was not written by Excel: ${REPAIR}`
    );
  return e;
}

/** A malformed part found only while writing (a cell the read did not need): nothing is written, the user repairs the file. */
function writingError(name: string, e: unknown): unknown {
  if (e instanceof XmlError || e instanceof ZipFormatError)
    return new XlsxWriteError(
      `${name} cannot be written: a part of it is damaged (${e.message}). Nothing was written: ${REPAIR}`
    );
  return e;
}

const FORMULA_WITHOUT_VALUE =
  "has a formula without a saved value: open and save the workbook in Excel first";

export interface XlsxBookOptions {
  /** Names the workbook in error messages (a file path, or a name for in-memory bytes). */
  name?: string;
  /** Deflate implementation (default fflate; XlsxWorkbook passes node:zlib). */
  codec?: ZipCodec;
}

/** The loaded state of one version of the workbook's bytes. */
class Loaded {
  readonly store: PartStore;
  readonly model: WorkbookModel;
  private sst?: readonly string[];
  private readonly rich = new Set<number>();
  private styles?: Styles | null;
  private readonly sheetCache = new Map<string, SheetXml>();

  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
    readonly codec: ZipCodec
  ) {
    if (bytes.length === 0) throw new XlsxFormatError(name, "the file is empty");
    // A password-protected workbook is an OLE compound file, not a zip.
    if (
      bytes.length >= 4 &&
      bytes[0] === 0xd0 &&
      bytes[1] === 0xcf &&
      bytes[2] === 0x11 &&
      bytes[3] === 0xe0
    ) {
      throw new XlsxFormatError(
        name,
        "it is an OLE compound file (a password-protected workbook or an old .xls), not a zip package"
      );
    }
    try {
      this.store = new PartStore(readZip(bytes), codec);
    } catch (e) {
      throw new XlsxFormatError(name, `it is not a readable zip file (${(e as Error).message})`);
    }
    try {
      this.model = loadModel(this.store, name);
    } catch (e) {
      if (e instanceof XlsxFormatError) throw e;
      throw readingError(name, "its workbook structure", e);
    }
  }

  sharedStrings = (): readonly string[] => {
    if (!this.sst) {
      const p = this.model.sharedStringsPath;
      try {
        const xml = p ? this.store.text(p) : undefined;
        this.sst = xml ? parseSharedStrings(xml, this.rich) : [];
      } catch (e) {
        throw readingError(this.name, `its shared strings (${p})`, e);
      }
      // Its text is kept (the items are mostly slices of it anyway): a write appends to it.
    }
    return this.sst;
  };

  /** The shared strings that are more than one plain text (rich text, phonetic guides). */
  richStrings = (): ReadonlySet<number> => {
    this.sharedStrings();
    return this.rich;
  };

  stylesheet(): Styles | undefined {
    if (this.styles === undefined) {
      try {
        const xml = this.model.stylesPath ? this.store.text(this.model.stylesPath) : undefined;
        this.styles = xml ? new Styles(xml) : null;
      } catch (e) {
        throw readingError(this.name, `its styles (${this.model.stylesPath})`, e);
      }
    }
    return this.styles ?? undefined;
  }

  sheet(path: string): SheetXml {
    let s = this.sheetCache.get(path);
    if (!s) {
      try {
        const xml = this.store.text(path);
        if (xml === undefined)
          throw new XlsxFormatError(this.name, `the worksheet part ${path} is missing`);
        s = locateSheet(xml);
      } catch (e) {
        throw readingError(this.name, `the worksheet part ${path}`, e);
      }
      this.sheetCache.set(path, s);
    }
    return s;
  }

  /** 1904-based workbooks: date-formatted serials are shifted to the 1900 system the layers above expect. */
  valueFix(): ValueFix | undefined {
    if (!this.model.date1904) return undefined;
    const styles = this.stylesheet();
    if (!styles) return undefined;
    return (v, s) => (typeof v === "number" && s >= 0 && styles.isDateStyle(s) ? v + 1462 : v);
  }
}

/** A table whose cells include formulas without a saved value cannot be read: Excel would show their result. */
function checkValues(file: string, where: string, grid: Grid): void {
  if (grid.noValue.length === 0) return;
  const cells = grid.noValue.map(({ row, col }) => ({
    row,
    column:
      grid.header[col - grid.c0] || formatCell(col, grid.headerRow ?? row).replace(/\d+$/, ""),
    cell: formatCell(col, row),
  }));
  throw new XlsxCellError(file, where, cells, FORMULA_WITHOUT_VALUE);
}

export class XlsxBook implements WorkbookPort {
  private state: Loaded;

  /** Use fromBytes (or XlsxWorkbook.open). */
  constructor(bytes: Uint8Array, options: XlsxBookOptions = {}) {
    this.state = new Loaded(bytes, options.name ?? "workbook", options.codec ?? fflateCodec);
  }

  /** Reads a workbook from bytes; throws XlsxFormatError when they are not a valid .xlsx. */
  static fromBytes(bytes: Uint8Array, options?: XlsxBookOptions): XlsxBook {
    return new XlsxBook(bytes, options);
  }

  /** The workbook part's content type (it decides the file extension Excel accepts). */
  get workbookContentType(): string | undefined {
    return this.state.model.workbookContentType;
  }

  /** The workbook's name in messages. */
  get name(): string {
    return this.state.name;
  }

  /** The current bytes (as loaded, or as last written). */
  get bytes(): Uint8Array {
    return this.state.bytes;
  }

  async listTables(): Promise<TableRef[]> {
    const { model } = this.state;
    const out: TableRef[] = model.tables.map((t) => ({
      name: t.displayName,
      kind: "table",
      sheet: t.sheet.name,
    }));
    for (const s of model.sheets) {
      let content: boolean;
      try {
        content = sheetHasContent(this.state.sheet(s.path), this.state.sharedStrings);
      } catch (e) {
        throw readingError(this.state.name, `the sheet "${s.name}" (${s.path})`, e);
      }
      if (content) out.push({ name: s.name, kind: "sheet", sheet: s.name });
    }
    return out;
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    const st = this.state;
    let grid: Grid | undefined;
    if (ref.kind === "table") {
      const lower = ref.name.toLowerCase();
      const t =
        st.model.tables.find(
          (x) => x.displayName.toLowerCase() === lower || x.name.toLowerCase() === lower
        ) ?? st.model.tables.find((x) => looseName(x.displayName) === looseName(ref.name));
      if (!t) throw new Error(`${st.name}: table ${ref.name} was not found`);
      const where = `table "${t.displayName}" on sheet "${t.sheet.name}"`;
      try {
        grid = readExcelTable(st.sheet(t.sheet.path), st.sharedStrings, t, st.valueFix());
      } catch (e) {
        throw readingError(st.name, `the ${where} (${t.sheet.path})`, e);
      }
      checkValues(st.name, where, grid);
      return {
        ref: { name: t.displayName, kind: "table", sheet: t.sheet.name },
        header: grid.header,
        rows: grid.rows,
        rowNumbers: grid.rowNumbers,
      };
    }
    if (ref.kind === "sheet") {
      const lower = ref.name.toLowerCase();
      const s = st.model.sheets.find((x) => x.name.toLowerCase() === lower);
      if (!s) throw new Error(`${st.name}: sheet ${ref.name} was not found`);
      try {
        grid = readSheetTable(st.sheet(s.path), st.sharedStrings, st.valueFix());
      } catch (e) {
        throw readingError(st.name, `the sheet "${s.name}" (${s.path})`, e);
      }
      if (grid) checkValues(st.name, `sheet "${s.name}"`, grid);
      const sheetRef: TableRef = { name: s.name, kind: "sheet", sheet: s.name };
      return grid
        ? { ref: sheetRef, header: grid.header, rows: grid.rows, rowNumbers: grid.rowNumbers }
        : { ref: sheetRef, header: [], rows: [], rowNumbers: [] };
    }
    throw new Error(
      `${st.name}: ${ref.name} is a ${ref.kind} table, not part of an .xlsx workbook`
    );
  }

  /** A write session over this workbook with the writes applied, to be finished into bytes. */
  private applied(writes: TableWrite[], progress?: WriteProgress): WriteSession {
    const st = this.state;
    const session = new WriteSession({
      file: st.name,
      store: st.store,
      model: st.model,
      sst: st.sharedStrings,
      richStrings: st.richStrings,
    });
    session.applyAll(writes, progress);
    return session;
  }

  /**
   * The workbook with the writes applied, as new .xlsx bytes (this object is not changed). Untouched
   * parts are copied byte for byte; returns the current bytes when the writes change nothing.
   */
  toBytes(writes: TableWrite[], progress?: WriteProgress): Uint8Array {
    const st = this.state;
    try {
      return this.applied(writes, progress).finish() ?? st.bytes;
    } catch (e) {
      throw writingError(st.name, e);
    }
  }

  /** toBytes, compressing big sheets off the main thread when the codec can (the same bytes). */
  async toBytesAsync(writes: TableWrite[], progress?: WriteProgress): Promise<Uint8Array> {
    const st = this.state;
    try {
      return (await this.applied(writes, progress).finishAsync()) ?? st.bytes;
    } catch (e) {
      throw writingError(st.name, e);
    }
  }

  /**
   * Applies the writes in memory: afterwards this object reads the new content. The guard is the file
   * wrapper's business (an in-memory book has no one else to change it).
   */
  async write(
    writes: TableWrite[],
    guard: WriteGuard | null,
    progress?: WriteProgress
  ): Promise<void> {
    await this.beforeWrite(guard);
    const bytes = await this.toBytesAsync(writes, progress);
    await this.save(bytes);
    this.reload(bytes);
  }

  /** Hook: check that the source is unchanged (throw ConcurrentChangeError). */
  protected async beforeWrite(_guard: WriteGuard | null): Promise<void> {}

  /** Hook: store the new bytes somewhere. */
  protected async save(_bytes: Uint8Array): Promise<void> {}

  /** Continues from new bytes (after a write). */
  protected reload(bytes: Uint8Array): void {
    if (bytes !== this.state.bytes)
      this.state = new Loaded(bytes, this.state.name, this.state.codec);
  }
}
