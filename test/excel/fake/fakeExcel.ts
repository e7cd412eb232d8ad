/**
 * An in-memory fake of the subset of the Excel JavaScript API the add-in uses, with Excel's batch
 * semantics: method calls and property sets are queued and run in order at context.sync(); a property
 * can be read only after load() and sync(); *OrNullObject methods answer isNullObject; getItem of a
 * missing item fails the sync with ItemNotFound. Every sync's request and response payload is measured
 * as JSON (the way Office serialises a batch) and a sync over the limit fails as Excel on the web does.
 *
 * Used by the adapter's unit tests and by the browser "try" page, which runs the real task pane against it.
 */
import { parseAddress, rangeAddress, sheetAddress } from "../../../src/excel/address";
import {
  FakeExcelError,
  PayloadLimitError,
  WorkbookModel,
  coerceInput,
  intersects,
  type Box,
  type ChangeEvent,
  type Scalar,
  type SheetModel,
  type SyncRecord,
  type TableModel,
} from "./model";

type LoadArg = string | string[] | { select?: string; $select?: string } | undefined;

interface Action {
  bytes: number;
  write: boolean;
  run: () => void;
}

const PER_ACTION_BYTES = 40;

function jsonSize(x: unknown): number {
  return x === undefined ? 0 : JSON.stringify(x).length;
}

export class FakeRequestContext {
  readonly workbook: FakeWorkbook;
  readonly runtime: FakeRuntime;
  readonly trackedObjects = { add(): void {}, remove(): void {} };
  private queue: Action[] = [];
  private responseBytes = 0;
  calculationSuspended = false;
  screenUpdatingSuspended = false;
  /** Cell changes made by this batch, raised as events after the sync. */
  changes: ChangeEvent[] = [];
  /** The batch changed the active sheet or the selection. */
  viewChanged = false;

  constructor(readonly model: WorkbookModel) {
    this.workbook = new FakeWorkbook(this);
    this.runtime = new FakeRuntime(this);
  }

  enqueue(method: string, args: unknown, run: () => void, write = false): void {
    this.queue.push({ bytes: PER_ACTION_BYTES + method.length + jsonSize(args), write, run });
  }

  respond(value: unknown): void {
    this.responseBytes += jsonSize(value) + 8;
  }

  async sync<T>(passThroughValue?: T): Promise<T> {
    const actions = this.queue;
    if (actions.length === 0) return passThroughValue as T;
    this.queue = [];
    this.responseBytes = 0;
    const requestBytes = actions.reduce((n, a) => n + a.bytes, 0);
    const record: SyncRecord = {
      actions: actions.length,
      requestBytes,
      responseBytes: 0,
      calculationSuspended: false,
      screenUpdatingSuspended: false,
      writes: actions.filter((a) => a.write).length,
    };
    this.model.syncs.push(record);
    await Promise.resolve();
    if (requestBytes > this.model.limits.requestBytes) {
      throw new PayloadLimitError("request", requestBytes, this.model.limits.requestBytes);
    }
    this.changes = [];
    try {
      for (const a of actions) a.run();
    } finally {
      record.calculationSuspended = this.calculationSuspended;
      record.screenUpdatingSuspended = this.screenUpdatingSuspended;
      this.calculationSuspended = false;
      this.screenUpdatingSuspended = false;
      record.responseBytes = this.responseBytes;
      const changes = this.changes;
      this.changes = [];
      if (this.model.eventsEnabled) for (const c of changes) this.model.emitChange(c);
      if (record.writes > 0 || this.viewChanged) this.model.onAfterSync?.();
      this.viewChanged = false;
    }
    if (this.responseBytes > this.model.limits.responseBytes) {
      throw new PayloadLimitError("response", this.responseBytes, this.model.limits.responseBytes);
    }
    return passThroughValue as T;
  }

  changed(
    sheet: SheetModel,
    box: Box,
    changeType: ChangeEvent["changeType"] = "RangeEdited"
  ): void {
    this.changes.push({ sheet, box: { ...box }, changeType, source: "Local" });
  }
}

function notLoaded(prop: string): never {
  throw new FakeExcelError(
    "PropertyNotLoaded",
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`
  );
}

function loadList(arg: LoadArg, defaults: string[]): string[] {
  if (arg === undefined) return defaults;
  if (typeof arg === "string")
    return arg
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(arg)) return arg;
  const sel = arg.select ?? arg.$select;
  return sel ? loadList(sel, defaults) : defaults;
}

/** Base of every proxy: loaded properties, null-object state. */
abstract class FakeObject {
  protected props: Record<string, unknown> = {};
  protected _isNull: boolean | undefined;
  constructor(protected readonly ctx: FakeRequestContext) {}

  get context(): FakeRequestContext {
    return this.ctx;
  }
  get isNullObject(): boolean {
    if (this._isNull === undefined) notLoaded("isNullObject");
    return this._isNull;
  }
  protected prop<T>(name: string): T {
    if (!(name in this.props)) notLoaded(name);
    return this.props[name] as T;
  }
  protected abstract readProp(name: string): unknown;
  protected abstract defaultProps(): string[];
  protected alive(): boolean {
    return true;
  }
  load(arg?: LoadArg): this {
    const names = loadList(arg, this.defaultProps());
    this.ctx.enqueue("load", names, () => {
      if (this.alive()) this.fill(names);
    });
    return this;
  }
  /** Reads the named properties now (inside a running batch) as a response of the sync. */
  fill(names: string[]): void {
    for (const n of names) {
      const v = this.readProp(n);
      this.props[n] = v;
      this.ctx.respond(v);
    }
  }
  toJSON(): Record<string, unknown> {
    return { ...this.props };
  }
}

/**
 * A proxy for one model object (a sheet, a table) found by a resolver when its batch runs, as Excel resolves
 * getItem / getItemOrNullObject / add; a missing one is a null object or ItemNotFound.
 */
abstract class FakeResolved<M> extends FakeObject {
  protected model: M | null = null;
  constructor(
    ctx: FakeRequestContext,
    protected readonly resolver: () => M | null
  ) {
    super(ctx);
  }
  /** Queues the resolution of a new proxy as the batch step `method`. */
  protected static queue<P extends FakeResolved<unknown>>(
    proxy: P,
    method: string,
    args: unknown,
    nullable: boolean,
    write: boolean
  ): P {
    proxy.ctx.enqueue(method, args, () => proxy.resolveNow(nullable), write);
    return proxy;
  }
  resolveNow(nullable = false): void {
    this.model = this.resolver();
    this._isNull = this.model === null;
    if (!this.model && !nullable)
      throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist.");
  }
  /** The model once this proxy has been resolved inside a running batch. */
  protected resolved(): M {
    if (!this.model)
      throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist.");
    return this.model;
  }
  protected override alive(): boolean {
    return this.model !== null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Workbook, application, runtime

export class FakeWorkbook extends FakeObject {
  readonly worksheets: FakeWorksheetCollection;
  readonly tables: FakeTableCollection;
  readonly application: FakeApplication;
  readonly functions: FakeFunctions;
  constructor(ctx: FakeRequestContext) {
    super(ctx);
    this.worksheets = new FakeWorksheetCollection(ctx);
    this.tables = new FakeTableCollection(ctx, null);
    this.application = new FakeApplication(ctx);
    this.functions = new FakeFunctions(ctx);
  }
  protected readProp(name: string): unknown {
    if (name === "name") return "Workbook";
    return undefined;
  }
  protected defaultProps(): string[] {
    return ["name"];
  }
  getSelectedRange(): FakeRange {
    return new FakeRange(this.ctx, "getSelectedRange", [], () => {
      const sel = this.ctx.model.selection;
      if (sel) return { sheet: sel.sheet, box: sel.box };
      const sheet = this.ctx.model.activeSheet ?? this.ctx.model.sheets[0];
      return { sheet, box: { row: 0, col: 0, rowCount: 1, colCount: 1 } };
    });
  }
}

/** workbook.functions: only DATE, the one the adapter calls (to tell the workbook's date system). */
export class FakeFunctions {
  constructor(private readonly ctx: FakeRequestContext) {}
  date(year: number, month: number, day: number): FakeFunctionResult {
    const serial =
      Date.UTC(year, month - 1, day) / 86400000 + 25569 - (this.ctx.model.date1904 ? 1462 : 0);
    return new FakeFunctionResult(this.ctx, serial);
  }
}

export class FakeFunctionResult extends FakeObject {
  constructor(
    ctx: FakeRequestContext,
    private readonly result: number
  ) {
    super(ctx);
  }
  protected readProp(name: string): unknown {
    return name === "value" ? this.result : name === "error" ? null : undefined;
  }
  protected defaultProps(): string[] {
    return ["value", "error"];
  }
  get value(): number {
    return this.prop("value");
  }
}

export class FakeApplication extends FakeObject {
  calculationMode = "Automatic";
  protected readProp(name: string): unknown {
    return name === "calculationMode" ? this.calculationMode : undefined;
  }
  protected defaultProps(): string[] {
    return ["calculationMode"];
  }
  suspendApiCalculationUntilNextSync(): void {
    this.ctx.enqueue("suspendApiCalculationUntilNextSync", [], () => {
      this.ctx.calculationSuspended = true;
    });
  }
  suspendScreenUpdatingUntilNextSync(): void {
    if (!this.ctx.model.supports("ExcelApi", "1.9"))
      throw new FakeExcelError(
        "ApiNotFound",
        "suspendScreenUpdatingUntilNextSync needs ExcelApi 1.9"
      );
    this.ctx.enqueue("suspendScreenUpdatingUntilNextSync", [], () => {
      this.ctx.screenUpdatingSuspended = true;
    });
  }
}

export class FakeRuntime extends FakeObject {
  protected readProp(name: string): unknown {
    return name === "enableEvents" ? this.ctx.model.eventsEnabled : undefined;
  }
  protected defaultProps(): string[] {
    return ["enableEvents"];
  }
  get enableEvents(): boolean {
    return this.prop("enableEvents");
  }
  set enableEvents(v: boolean) {
    this.ctx.enqueue("set enableEvents", v, () => {
      this.ctx.model.eventsEnabled = v;
    });
    this.props.enableEvents = v;
  }
}

// ---------------------------------------------------------------------------------------------------
// Events

type Handler = (args: unknown) => unknown;

export class FakeEventHandlers {
  constructor(
    private readonly ctx: FakeRequestContext,
    private readonly kind: "table" | "worksheet",
    private readonly target: () => TableModel | SheetModel | null
  ) {}
  add(handler: Handler): { remove(): void; context: FakeRequestContext } {
    let off: (() => void) | null = null;
    const model = this.ctx.model;
    this.ctx.enqueue("addHandler", this.kind, () => {
      const t = this.target();
      if (!t) throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist.");
      off = model.addChangeListener((e) => {
        const table = this.kind === "table" ? (t as TableModel) : null;
        const sheet = table ? table.sheet : (t as SheetModel);
        if (e.sheet !== sheet) return;
        let box = e.box;
        if (table) {
          if (!intersects(table.box, e.box)) return;
          const r0 = Math.max(table.box.row, e.box.row);
          const c0 = Math.max(table.box.col, e.box.col);
          const r1 = Math.min(table.box.row + table.box.rowCount, e.box.row + e.box.rowCount);
          const c1 = Math.min(table.box.col + table.box.colCount, e.box.col + e.box.colCount);
          box = { row: r0, col: c0, rowCount: r1 - r0, colCount: c1 - c0 };
        }
        const args = {
          address: rangeAddress(box.row, box.col, box.rowCount, box.colCount),
          changeType: e.changeType,
          source: e.source,
          type: this.kind === "table" ? "TableChanged" : "WorksheetChanged",
          tableId: table?.id,
          worksheetId: sheet.id,
        };
        setTimeout(() => void handler(args), 0);
      });
    });
    return {
      context: this.ctx,
      remove: () => {
        this.ctx.enqueue("removeHandler", this.kind, () => off?.());
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Worksheets

export class FakeWorksheetCollection extends FakeObject {
  private _items: FakeWorksheet[] | undefined;
  get items(): FakeWorksheet[] {
    if (!this._items) notLoaded("items");
    return this._items;
  }
  protected readProp(): unknown {
    return undefined;
  }
  protected defaultProps(): string[] {
    return ["name"];
  }
  override load(arg?: LoadArg): this {
    const names = loadList(arg, ["name", "id", "position"]).map((n) => n.replace(/^items\//, ""));
    this.ctx.enqueue("load", names, () => {
      this._items = this.ctx.model.sheets.map((s) => {
        const ws = new FakeWorksheet(this.ctx, () => s);
        ws.resolveNow();
        ws.fill(names);
        return ws;
      });
    });
    return this;
  }
  getItem(name: string): FakeWorksheet {
    return FakeWorksheet.create(
      this.ctx,
      "getItem",
      name,
      false,
      () => this.ctx.model.sheet(name) ?? null
    );
  }
  getItemOrNullObject(name: string): FakeWorksheet {
    return FakeWorksheet.create(
      this.ctx,
      "getItemOrNullObject",
      name,
      true,
      () => this.ctx.model.sheet(name) ?? null
    );
  }
  getActiveWorksheet(): FakeWorksheet {
    return FakeWorksheet.create(
      this.ctx,
      "getActiveWorksheet",
      [],
      false,
      () => this.ctx.model.activeSheet ?? this.ctx.model.sheets[0] ?? null
    );
  }
  add(name?: string): FakeWorksheet {
    return FakeWorksheet.create(
      this.ctx,
      "add",
      name,
      false,
      () => {
        let n = name;
        if (!n) {
          let i = this.ctx.model.sheets.length + 1;
          while (this.ctx.model.sheet(`Sheet${i}`)) i++;
          n = `Sheet${i}`;
        }
        return this.ctx.model.addSheet(n);
      },
      true
    );
  }
  getCount(): { value: number } {
    const result = { value: 0 };
    this.ctx.enqueue("getCount", [], () => {
      result.value = this.ctx.model.sheets.length;
      this.ctx.respond(result.value);
    });
    return result;
  }
}

export class FakeWorksheet extends FakeResolved<SheetModel> {
  readonly tables: FakeTableCollection;
  readonly onChanged: FakeEventHandlers;
  readonly freezePanes: { freezeRows(n: number): void };

  constructor(ctx: FakeRequestContext, resolver: () => SheetModel | null) {
    super(ctx, resolver);
    this.tables = new FakeTableCollection(ctx, () => this.sheet());
    this.onChanged = new FakeEventHandlers(ctx, "worksheet", () => this.model);
    this.freezePanes = { freezeRows: (n: number) => ctx.enqueue("freezeRows", n, () => undefined) };
  }

  static create(
    ctx: FakeRequestContext,
    method: string,
    args: unknown,
    nullable: boolean,
    resolver: () => SheetModel | null,
    write = false
  ): FakeWorksheet {
    return FakeResolved.queue(new FakeWorksheet(ctx, resolver), method, args, nullable, write);
  }

  /** The sheet once this proxy has been resolved inside a running batch. */
  sheet(): SheetModel {
    return this.resolved();
  }
  protected readProp(name: string): unknown {
    const s = this.sheet();
    switch (name) {
      case "name":
        return s.name;
      case "id":
        return s.id;
      case "position":
        return this.ctx.model.sheets.indexOf(s);
      case "visibility":
        return "Visible";
      default:
        return undefined;
    }
  }
  protected defaultProps(): string[] {
    return ["name", "id", "position"];
  }
  get name(): string {
    return this.prop("name");
  }
  get id(): string {
    return this.prop("id");
  }
  get position(): number {
    return this.prop("position");
  }

  getRange(address?: string): FakeRange {
    return new FakeRange(this.ctx, "getRange", address ?? "", () => {
      const s = this.sheet();
      if (!address) {
        return { sheet: s, box: { row: 0, col: 0, rowCount: 1048576, colCount: 16384 } };
      }
      const b = parseAddress(address);
      return {
        sheet: s,
        box: { row: b.row, col: b.col, rowCount: b.rowCount, colCount: b.colCount },
      };
    });
  }
  getRangeByIndexes(row: number, col: number, rowCount: number, colCount: number): FakeRange {
    return new FakeRange(this.ctx, "getRangeByIndexes", [row, col, rowCount, colCount], () => ({
      sheet: this.sheet(),
      box: { row, col, rowCount, colCount },
    }));
  }
  getUsedRange(valuesOnly?: boolean): FakeRange {
    return new FakeRange(this.ctx, "getUsedRange", valuesOnly ?? false, () => {
      const s = this.sheet();
      const b = s.usedBox(valuesOnly ?? false);
      return { sheet: s, box: b ?? { row: 0, col: 0, rowCount: 1, colCount: 1 } };
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): FakeRange {
    return new FakeRange(
      this.ctx,
      "getUsedRangeOrNullObject",
      valuesOnly ?? false,
      () => {
        const s = this.sheet();
        const b = s.usedBox(valuesOnly ?? false);
        return b ? { sheet: s, box: b } : null;
      },
      true
    );
  }
  activate(): void {
    this.ctx.enqueue("activate", [], () => {
      this.ctx.model.activeSheet = this.sheet();
      this.ctx.model.selection = null;
      this.ctx.viewChanged = true;
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Tables

export class FakeTableCollection extends FakeObject {
  private _items: FakeTable[] | undefined;
  constructor(
    ctx: FakeRequestContext,
    private readonly scope: (() => SheetModel) | null
  ) {
    super(ctx);
  }
  get items(): FakeTable[] {
    if (!this._items) notLoaded("items");
    return this._items;
  }
  protected readProp(): unknown {
    return undefined;
  }
  protected defaultProps(): string[] {
    return ["name"];
  }
  private list(): TableModel[] {
    const all = this.ctx.model.tables;
    if (!this.scope) return all;
    const s = this.scope();
    return all.filter((t) => t.sheet === s);
  }
  override load(arg?: LoadArg): this {
    const names = loadList(arg, ["name", "id", "style", "showHeaders", "showTotals"]).map((n) =>
      n.replace(/^items\//, "")
    );
    this.ctx.enqueue("load", names, () => {
      this._items = this.list().map((t) => {
        const ft = new FakeTable(this.ctx, () => t);
        ft.resolveNow();
        ft.fill(names);
        return ft;
      });
    });
    return this;
  }
  getItem(name: string): FakeTable {
    return FakeTable.create(
      this.ctx,
      "getItem",
      name,
      false,
      () => this.list().find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null
    );
  }
  getItemOrNullObject(name: string): FakeTable {
    return FakeTable.create(
      this.ctx,
      "getItemOrNullObject",
      name,
      true,
      () => this.list().find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null
    );
  }
  add(address: string | FakeRange, hasHeaders: boolean): FakeTable {
    const addr = typeof address === "string" ? address : "";
    return FakeTable.create(
      this.ctx,
      "add",
      [addr, hasHeaders],
      false,
      () => {
        let sheet: SheetModel;
        let box: Box;
        if (typeof address !== "string") {
          const t = address.target();
          sheet = t.sheet;
          box = t.box;
        } else {
          const b = parseAddress(address);
          const s = b.sheet
            ? this.ctx.model.sheet(b.sheet)
            : (this.scope?.() ?? this.ctx.model.activeSheet);
          if (!s) throw new FakeExcelError("ItemNotFound", `No worksheet for ${address}`);
          sheet = s;
          box = { row: b.row, col: b.col, rowCount: b.rowCount, colCount: b.colCount };
        }
        if (!hasHeaders) {
          sheet.insertRows(box.row, 1, box.col, box.colCount);
          box = { ...box, rowCount: box.rowCount + 1 };
        }
        return this.ctx.model.addTable(sheet, box);
      },
      true
    );
  }
}

export class FakeTable extends FakeResolved<TableModel> {
  readonly rows: FakeTableRowCollection;
  readonly columns: FakeTableColumnCollection;
  readonly onChanged: FakeEventHandlers;
  readonly worksheet: FakeWorksheet;

  constructor(ctx: FakeRequestContext, resolver: () => TableModel | null) {
    super(ctx, resolver);
    this.rows = new FakeTableRowCollection(ctx, () => this.table());
    this.columns = new FakeTableColumnCollection(ctx, () => this.table());
    this.onChanged = new FakeEventHandlers(ctx, "table", () => this.model);
    this.worksheet = new FakeWorksheet(ctx, () => this.table().sheet);
    // The navigation resolves lazily: its loads run after this table is resolved.
    const ws = this.worksheet;
    const origLoad = ws.load.bind(ws);
    ws.load = (arg?: LoadArg) => {
      ctx.enqueue("worksheet", [], () => ws.resolveNow());
      return origLoad(arg);
    };
  }

  static create(
    ctx: FakeRequestContext,
    method: string,
    args: unknown,
    nullable: boolean,
    resolver: () => TableModel | null,
    write = false
  ): FakeTable {
    return FakeResolved.queue(new FakeTable(ctx, resolver), method, args, nullable, write);
  }
  table(): TableModel {
    return this.resolved();
  }
  protected readProp(name: string): unknown {
    const t = this.table();
    switch (name) {
      case "name":
        return t.name;
      case "id":
        return t.id;
      case "style":
        return t.style;
      case "showHeaders":
        return t.showHeaders;
      case "showTotals":
        return false;
      default:
        return undefined;
    }
  }
  protected defaultProps(): string[] {
    return ["name", "id", "style", "showHeaders", "showTotals"];
  }
  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.ctx.enqueue("set name", v, () => this.ctx.model.renameTable(this.table(), v), true);
    this.props.name = v;
  }
  get id(): string {
    return this.prop("id");
  }
  get style(): string {
    return this.prop("style");
  }
  set style(v: string) {
    this.ctx.enqueue("set style", v, () => {
      this.table().style = v;
    });
    this.props.style = v;
  }
  set showBandedRows(v: boolean) {
    this.ctx.enqueue("set showBandedRows", v, () => undefined);
  }
  get showTotals(): boolean {
    return this.prop("showTotals");
  }
  getHeaderRowRange(): FakeRange {
    return new FakeRange(this.ctx, "getHeaderRowRange", [], () => {
      const t = this.table();
      return {
        sheet: t.sheet,
        box: { row: t.box.row, col: t.box.col, rowCount: 1, colCount: t.box.colCount },
      };
    });
  }
  getDataBodyRange(): FakeRange {
    return new FakeRange(this.ctx, "getDataBodyRange", [], () => {
      const t = this.table();
      return {
        sheet: t.sheet,
        box: { row: t.bodyRow, col: t.box.col, rowCount: t.bodyRowCount, colCount: t.box.colCount },
      };
    });
  }
  getRange(): FakeRange {
    return new FakeRange(this.ctx, "getRange", [], () => {
      const t = this.table();
      return { sheet: t.sheet, box: { ...t.box } };
    });
  }
  /** ExcelApi 1.13. The new range must keep the header row and overlap the old one. */
  resize(address: string | FakeRange): void {
    this.ctx.enqueue(
      "resize",
      typeof address === "string" ? address : "",
      () => {
        const t = this.table();
        const b = typeof address === "string" ? parseAddress(address) : address.target().box;
        if (b.row !== t.box.row)
          throw new FakeExcelError("InvalidArgument", "The header row must stay in place.");
        t.box = { row: b.row, col: b.col, rowCount: Math.max(2, b.rowCount), colCount: b.colCount };
      },
      true
    );
  }
  delete(): void {
    this.ctx.enqueue(
      "delete",
      [],
      () => {
        const t = this.table();
        this.ctx.model.tables = this.ctx.model.tables.filter((x) => x !== t);
      },
      true
    );
  }
}

export class FakeTableRowCollection extends FakeObject {
  constructor(
    ctx: FakeRequestContext,
    private readonly tableOf: () => TableModel
  ) {
    super(ctx);
  }
  protected readProp(name: string): unknown {
    return name === "count" ? this.tableOf().bodyRowCount : undefined;
  }
  protected defaultProps(): string[] {
    return ["count"];
  }
  get count(): number {
    return this.prop("count");
  }
  /** Inserts rows at `index` (null = after the last row), shifting cells below the table down. */
  add(index: number | null | undefined, values: (Scalar | null)[][]): void {
    this.ctx.enqueue(
      "add",
      [index ?? null, values],
      () => {
        const t = this.tableOf();
        const n = values.length;
        if (n === 0) return;
        for (const row of values) {
          if (row.length !== t.box.colCount) {
            throw new FakeExcelError(
              "InvalidArgument",
              "The number of columns in the input array doesn't match the table."
            );
          }
        }
        const at = index === null || index === undefined ? t.bodyRowCount : index;
        const sheetRow = t.bodyRow + at;
        t.sheet.insertRows(sheetRow, n, t.box.col, t.box.colCount);
        t.box.rowCount += n;
        for (const other of this.ctx.model.tables) {
          if (
            other !== t &&
            other.sheet === t.sheet &&
            other.box.row >= sheetRow &&
            intersects({ ...other.box, row: t.box.row }, { ...t.box })
          ) {
            other.box.row += n;
          }
        }
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < t.box.colCount; c++) {
            const v = values[r][c];
            // Rows added to a table take the number format of the row above.
            const fmt = t.sheet.formats[sheetRow - 1]?.[t.box.col + c];
            if (fmt) t.sheet.setFormat(sheetRow + r, t.box.col + c, fmt);
            if (v !== null)
              t.sheet.set(
                sheetRow + r,
                t.box.col + c,
                coerceInput(v, t.sheet.format(sheetRow + r, t.box.col + c))
              );
          }
        }
        this.ctx.changed(
          t.sheet,
          { row: sheetRow, col: t.box.col, rowCount: n, colCount: t.box.colCount },
          "RowInserted"
        );
      },
      true
    );
  }
}

export class FakeTableColumnCollection extends FakeObject {
  private _items: { name: string; index: number }[] | undefined;
  constructor(
    ctx: FakeRequestContext,
    private readonly tableOf: () => TableModel
  ) {
    super(ctx);
  }
  get items(): { name: string; index: number }[] {
    if (!this._items) notLoaded("items");
    return this._items;
  }
  protected readProp(name: string): unknown {
    return name === "count" ? this.tableOf().box.colCount : undefined;
  }
  protected defaultProps(): string[] {
    return ["count"];
  }
  override load(arg?: LoadArg): this {
    void arg;
    this.ctx.enqueue("load", "items", () => {
      const t = this.tableOf();
      this._items = [];
      for (let c = 0; c < t.box.colCount; c++)
        this._items.push({ name: String(t.sheet.get(t.box.row, t.box.col + c) ?? ""), index: c });
      this.ctx.respond(this._items);
    });
    return this;
  }
  /** Adds a column (index null = after the last); values include the header row when given. */
  add(index?: number | null, values?: (Scalar | null)[][], name?: string): void {
    this.ctx.enqueue(
      "add",
      [index ?? null, values ?? null, name ?? null],
      () => {
        const t = this.tableOf();
        const at = index === null || index === undefined ? t.box.colCount : index;
        const col = t.box.col + at;
        t.sheet.insertColumn(col, t.box.row, t.box.rowCount);
        t.box.colCount += 1;
        if (values) {
          for (let r = 0; r < values.length && r < t.box.rowCount; r++) {
            const v = values[r][0];
            if (v !== null) t.sheet.set(t.box.row + r, col, v);
          }
        }
        if (name) t.sheet.set(t.box.row, col, name);
        if (t.sheet.get(t.box.row, col) === undefined)
          t.sheet.set(t.box.row, col, `Column${at + 1}`);
        this.ctx.changed(
          t.sheet,
          { row: t.box.row, col, rowCount: t.box.rowCount, colCount: 1 },
          "ColumnInserted"
        );
      },
      true
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Ranges

interface RangeTarget {
  sheet: SheetModel;
  box: Box;
}

export class FakeRange extends FakeObject {
  private _target: RangeTarget | null = null;
  readonly format: { autofitColumns(): void; columnWidth?: number; font: { bold?: boolean } };

  constructor(
    ctx: FakeRequestContext,
    method: string,
    args: unknown,
    private readonly resolver: () => RangeTarget | null,
    nullable = false
  ) {
    super(ctx);
    ctx.enqueue(method, args, () => {
      this._target = this.resolver();
      this._isNull = this._target === null;
      if (!this._target && !nullable)
        throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist.");
    });
    this.format = {
      autofitColumns: () => ctx.enqueue("autofitColumns", [], () => undefined),
      font: {},
    };
  }
  target(): RangeTarget {
    if (!this._target)
      throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist.");
    return this._target;
  }
  protected override alive(): boolean {
    return this._target !== null;
  }
  protected readProp(name: string): unknown {
    const { sheet, box } = this.target();
    switch (name) {
      case "address":
        return sheetAddress(sheet.name, rangeAddress(box.row, box.col, box.rowCount, box.colCount));
      case "addressLocal":
        return rangeAddress(box.row, box.col, box.rowCount, box.colCount);
      case "rowIndex":
        return box.row;
      case "columnIndex":
        return box.col;
      case "rowCount":
        return box.rowCount;
      case "columnCount":
        return box.colCount;
      case "cellCount":
        return box.rowCount * box.colCount;
      case "values":
      case "text":
      case "numberFormat": {
        if (box.rowCount * box.colCount > 5_000_000)
          throw new FakeExcelError("ResponsePayloadSizeLimitExceeded", "Too many cells.");
        const out: unknown[][] = [];
        for (let r = 0; r < box.rowCount; r++) {
          const row: unknown[] = [];
          for (let c = 0; c < box.colCount; c++) {
            if (name === "numberFormat") row.push(sheet.format(box.row + r, box.col + c));
            else {
              const v = sheet.get(box.row + r, box.col + c);
              row.push(name === "text" ? (v === undefined ? "" : String(v)) : (v ?? ""));
            }
          }
          out.push(row);
        }
        return out;
      }
      default:
        return undefined;
    }
  }
  protected defaultProps(): string[] {
    return [
      "address",
      "rowIndex",
      "columnIndex",
      "rowCount",
      "columnCount",
      "values",
      "numberFormat",
    ];
  }
  get address(): string {
    return this.prop("address");
  }
  get rowIndex(): number {
    return this.prop("rowIndex");
  }
  get columnIndex(): number {
    return this.prop("columnIndex");
  }
  get rowCount(): number {
    return this.prop("rowCount");
  }
  get columnCount(): number {
    return this.prop("columnCount");
  }
  get text(): string[][] {
    return this.prop("text");
  }
  get values(): Scalar[][] {
    return this.prop("values");
  }
  set values(v: (Scalar | null)[][]) {
    this.ctx.enqueue("set values", v, () => this.setGrid(v, "values"), true);
  }
  get numberFormat(): string[][] {
    return this.prop("numberFormat");
  }
  set numberFormat(v: (string | null)[][]) {
    this.ctx.enqueue("set numberFormat", v, () => this.setGrid(v, "numberFormat"), true);
  }
  private setGrid(v: (Scalar | null)[][], what: "values" | "numberFormat"): void {
    const { sheet, box } = this.target();
    if (
      !Array.isArray(v) ||
      v.length !== box.rowCount ||
      v.some((r) => !Array.isArray(r) || r.length !== box.colCount)
    ) {
      throw new FakeExcelError(
        "InvalidArgument",
        "The number of rows or columns in the input array doesn't match the size or dimensions of the range."
      );
    }
    for (let r = 0; r < box.rowCount; r++) {
      for (let c = 0; c < box.colCount; c++) {
        const x = v[r][c];
        if (x === null) continue; // null leaves the cell unchanged
        if (what === "numberFormat") sheet.setFormat(box.row + r, box.col + c, String(x));
        else
          sheet.set(
            box.row + r,
            box.col + c,
            coerceInput(x, sheet.format(box.row + r, box.col + c))
          );
      }
    }
    if (what === "values") this.ctx.changed(sheet, box);
  }
  clear(applyTo?: "All" | "Formats" | "Contents" | string): void {
    this.ctx.enqueue(
      "clear",
      applyTo ?? "All",
      () => {
        const { sheet, box } = this.target();
        for (
          let r = box.row;
          r < box.row + box.rowCount && r < Math.max(sheet.values.length, sheet.formats.length);
          r++
        ) {
          for (let c = box.col; c < box.col + box.colCount; c++) {
            if (applyTo !== "Formats") sheet.set(r, c, undefined);
            if (applyTo === "All" || applyTo === "Formats" || applyTo === undefined)
              sheet.setFormat(r, c, undefined);
          }
        }
        this.ctx.changed(sheet, box);
      },
      true
    );
  }
  /** Deletes the cells, shifting up (rows of a table inside the range leave the table). */
  delete(shift: "Up" | "Left" | string): void {
    this.ctx.enqueue(
      "delete",
      shift,
      () => {
        const { sheet, box } = this.target();
        if (shift !== "Up")
          throw new FakeExcelError("NotImplemented", "The fake deletes with shift Up only.");
        sheet.deleteRows(box.row, box.rowCount, box.col, box.colCount);
        for (const t of this.ctx.model.tables) {
          if (t.sheet !== sheet) continue;
          const covers =
            box.col <= t.box.col && box.col + box.colCount >= t.box.col + t.box.colCount;
          if (!covers) continue;
          const r0 = Math.max(box.row, t.bodyRow);
          const r1 = Math.min(box.row + box.rowCount, t.box.row + t.box.rowCount);
          if (t.box.row >= box.row + box.rowCount) t.box.row -= box.rowCount;
          else if (r1 > r0) t.box.rowCount = Math.max(2, t.box.rowCount - (r1 - r0));
        }
        this.ctx.changed(sheet, box, "RowDeleted");
      },
      true
    );
  }
  /**
   * ExcelApi 1.9. Pastes the source into this range the way Excel pastes: a smaller source is repeated
   * to fill the destination (when the destination is a multiple of it), a larger one overflows it.
   */
  copyFrom(
    source: FakeRange | string,
    copyType: "All" | "Formats" | "Values" | "Formulas" | string = "All"
  ): void {
    if (!this.ctx.model.supports("ExcelApi", "1.9"))
      throw new FakeExcelError("ApiNotFound", "copyFrom needs ExcelApi 1.9");
    this.ctx.enqueue(
      "copyFrom",
      [typeof source === "string" ? source : "", copyType],
      () => {
        const dst = this.target();
        let src: RangeTarget;
        if (typeof source === "string") {
          const b = parseAddress(source);
          const sheet = b.sheet ? this.ctx.model.sheet(b.sheet) : dst.sheet;
          if (!sheet) throw new FakeExcelError("ItemNotFound", `No worksheet for ${source}`);
          src = {
            sheet,
            box: { row: b.row, col: b.col, rowCount: b.rowCount, colCount: b.colCount },
          };
        } else src = source.target();
        const tileR =
          dst.box.rowCount % src.box.rowCount === 0 ? dst.box.rowCount : src.box.rowCount;
        const tileC =
          dst.box.colCount % src.box.colCount === 0 ? dst.box.colCount : src.box.colCount;
        const vals = copyType === "All" || copyType === "Values" || copyType === "Formulas";
        const fmts = copyType === "All" || copyType === "Formats";
        const srcV: (Scalar | undefined)[][] = [];
        const srcF: (string | undefined)[][] = [];
        for (let r = 0; r < src.box.rowCount; r++) {
          srcV.push([]);
          srcF.push([]);
          for (let c = 0; c < src.box.colCount; c++) {
            srcV[r].push(src.sheet.get(src.box.row + r, src.box.col + c));
            srcF[r].push(src.sheet.formats[src.box.row + r]?.[src.box.col + c]);
          }
        }
        for (let r = 0; r < tileR; r++) {
          for (let c = 0; c < tileC; c++) {
            const sr = r % src.box.rowCount;
            const sc = c % src.box.colCount;
            if (vals) dst.sheet.set(dst.box.row + r, dst.box.col + c, srcV[sr][sc]);
            if (fmts) dst.sheet.setFormat(dst.box.row + r, dst.box.col + c, srcF[sr][sc]);
          }
        }
        if (vals) this.ctx.changed(dst.sheet, { ...dst.box, rowCount: tileR, colCount: tileC });
      },
      true
    );
  }
  select(): void {
    this.ctx.enqueue("select", [], () => {
      const t = this.target();
      this.ctx.model.activeSheet = t.sheet;
      this.ctx.model.selection = { sheet: t.sheet, box: { ...t.box } };
      this.ctx.viewChanged = true;
    });
  }
  getCell(row: number, col: number): FakeRange {
    return new FakeRange(this.ctx, "getCell", [row, col], () => {
      const t = this.target();
      return {
        sheet: t.sheet,
        box: { row: t.box.row + row, col: t.box.col + col, rowCount: 1, colCount: 1 },
      };
    });
  }
  getRow(row: number): FakeRange {
    return new FakeRange(this.ctx, "getRow", row, () => {
      const t = this.target();
      return {
        sheet: t.sheet,
        box: { row: t.box.row + row, col: t.box.col, rowCount: 1, colCount: t.box.colCount },
      };
    });
  }
  getColumn(col: number): FakeRange {
    return new FakeRange(this.ctx, "getColumn", col, () => {
      const t = this.target();
      return {
        sheet: t.sheet,
        box: { row: t.box.row, col: t.box.col + col, rowCount: t.box.rowCount, colCount: 1 },
      };
    });
  }
}

// ---------------------------------------------------------------------------------------------------

/** What `Excel.run` is for the adapter: a batch function gets a context and returns a promise. */
export type FakeRun = <T>(batch: (ctx: FakeRequestContext) => Promise<T>) => Promise<T>;

export function fakeRun(model: WorkbookModel): FakeRun {
  return async <T>(batch: (ctx: FakeRequestContext) => Promise<T>): Promise<T> => {
    const ctx = new FakeRequestContext(model);
    const result = await batch(ctx);
    // Excel.run syncs what the batch left queued.
    await ctx.sync();
    return result;
  };
}

/** A global `Excel` object for pages that run the add-in's code against the fake (the try page). */
export function fakeExcelNamespace(model: WorkbookModel): {
  run: FakeRun;
  RequestContext: unknown;
} {
  return { run: fakeRun(model), RequestContext: FakeRequestContext };
}
