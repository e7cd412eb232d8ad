/**
 * The task pane's state and actions, without DOM: run options, the workbook's settings, a run with its
 * progress and outcome, navigation, Automatic Cost Posting. The pane (view.ts) renders it; the ribbon
 * commands (commands.ts) use the same instance, since the shared runtime runs both in one page.
 */
import { reconcileWorkbook, traceWorkbook, type ReconcileSummary } from "../app/reconcile";
import { createMissingTables } from "../app/init";
import { repairWorkbook } from "../app/repair";
import { undoMessage, undoWorkbook, type UndoOutcome } from "../app/undo";
import type { TraceResult } from "../engine/trace";
import { traceSelection } from "./traceSelection";
import { postWorkbook, type RunOutcome, type RunProgress, type RunRequest } from "../app/run";
import type { PostingMethod } from "../engine/types";
import type { TableRef, WorkbookPort } from "../workbook/port";
import { findColumnInHeader, findTable } from "../workbook/names";
import { OUTPUT_TABLES, outputTableSpellings, type OutputKey } from "../workbook/outputSchema";
import { ExcelWorkbookPort, type ExcelRun } from "./adapter";
import { AutoPoster, type AutoPostReport, type PostEntries } from "./autoPost";
import { defaultDocumentNo, incrementDocumentNo } from "./registers";
import {
  loadPaneSettings,
  saveSettings,
  SETTING_DEFAULTS,
  type LoadedSettings,
  type SettingValues,
} from "./settings";

export type PostFn = (port: WorkbookPort, request: RunRequest) => Promise<RunOutcome>;

export interface PaneRunOptions {
  postingMethod: PostingMethod;
  documentNo: string;
  itemFilter: string;
  dateFilter: string;
}

/** Where the pane keeps the last run options (the workbook's add-in settings, else browser storage). */
export interface OptionsStore {
  load(): Partial<PaneRunOptions> | null;
  save(o: PaneRunOptions): void;
}

export type RunState =
  | { phase: "idle" }
  | { phase: "running"; post: boolean; progress: RunProgress }
  | { phase: "finished"; post: boolean; outcome: RunOutcome }
  | { phase: "failed"; post: boolean; message: string };

export interface ControllerDeps {
  port: ExcelWorkbookPort;
  run: ExcelRun;
  post?: PostFn;
  postEntries?: PostEntries;
  store?: OptionsStore;
  userId?: () => string | undefined;
}

export class Controller {
  options: PaneRunOptions = {
    postingMethod: "per Posting Group",
    documentNo: "",
    itemFilter: "",
    dateFilter: "",
  };
  settings: SettingValues = { ...SETTING_DEFAULTS };
  loadedSettings: LoadedSettings | null = null;
  settingsMessage = "";
  /** The document no. suggested from the last register (shown as a hint). */
  suggestedDocumentNo = "";
  state: RunState = { phase: "idle" };
  /** What the last Repair did (shown until the next run), or null. */
  repairNote: { ok: boolean; text: string } | null = null;
  /**
   * The ribbon's Post Cost to G/L asks first (issue 11): what it would post, shown in the pane with Post and
   * Cancel (a confirmation in the pane works in the shared runtime; Office dialogs would need a page of their own).
   */
  confirmation: {
    postingMethod: PostingMethod;
    documentNo: string;
    entries: number;
    glEntries: number;
    text: string;
  } | null = null;
  /** What the last Undo Last Run did (shown until the next run), or null. */
  undoNote: { ok: boolean; text: string } | null = null;
  autoPost: { active: boolean; reports: AutoPostReport[]; message: string } = {
    active: false,
    reports: [],
    message: "",
  };
  /** The last Reconcile (Inventory - G/L Reconciliation, app/reconcile.ts) or Trace, shown in their pane section. */
  reconciliation: { busy: boolean; summary: ReconcileSummary | null; message: string } = {
    busy: false,
    summary: null,
    message: "",
  };
  locationFilter = "";
  traced: {
    result: TraceResult | null;
    message: string;
    rows?: { gl: Map<number, number>; value: Map<number, number> };
  } = { result: null, message: "" };
  private listeners = new Set<() => void>();
  private poster: AutoPoster | null = null;
  readonly port: ExcelWorkbookPort;

  constructor(private readonly deps: ControllerDeps) {
    this.port = deps.port;
  }

  /** Replaces the run function (the try page's test hook). */
  setPostFn(post: PostFn): void {
    this.deps.post = post;
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Reads the settings and the last register; restores the last options. */
  async init(): Promise<void> {
    const saved = this.deps.store?.load();
    if (saved) this.options = { ...this.options, ...saved, documentNo: "" };
    try {
      const refs = await this.port.listTables();
      this.loadedSettings = await loadPaneSettings(this.port, refs);
      this.settings = { ...this.loadedSettings.values };
      this.suggestedDocumentNo = await defaultDocumentNo(this.port, refs);
      if (this.options.postingMethod === "per Posting Group")
        this.options.documentNo = this.suggestedDocumentNo;
      this.settingsMessage =
        this.loadedSettings.form === "none"
          ? "No Settings table yet: defaults are used. Save creates one."
          : "Read from the Settings table.";
    } catch (e) {
      this.settingsMessage = `Could not read the workbook: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.changed();
    await this.syncAutoPost();
  }

  setOptions(o: Partial<PaneRunOptions>): void {
    const method = o.postingMethod;
    this.options = { ...this.options, ...o };
    if (method === "per Entry") this.options.documentNo = "";
    if (
      method === "per Posting Group" &&
      o.documentNo === undefined &&
      this.options.documentNo === ""
    ) {
      this.options.documentNo = this.suggestedDocumentNo;
    }
    this.changed();
  }

  /** Post (post = true) or dry run with the current options. */
  async run(post: boolean): Promise<RunOutcome | null> {
    if (this.state.phase === "running") return null;
    const o = this.options;
    this.deps.store?.save(o);
    this.repairNote = null;
    this.undoNote = null;
    this.state = {
      phase: "running",
      post,
      progress: { stage: "reading", done: 0, total: 0, message: "Reading the workbook…" },
    };
    this.changed();
    const request: RunRequest = {
      postingMethod: o.postingMethod,
      documentNo: o.documentNo.trim(),
      post,
      itemFilter: o.itemFilter.trim() || undefined,
      dateFilter: o.dateFilter.trim() || undefined,
      userId: this.deps.userId?.(),
      onProgress: (p) => {
        if (this.state.phase !== "running") return;
        this.state = { phase: "running", post, progress: p };
        this.changed();
      },
    };
    try {
      const outcome = await (this.deps.post ?? postWorkbook)(this.port, request);
      this.state = { phase: "finished", post, outcome };
      if (
        outcome.kind === "done" &&
        post &&
        !outcome.summary.dryRun &&
        outcome.summary.registerNo !== null
      ) {
        // The next run's suggestion follows this run's document no.
        if (o.postingMethod === "per Posting Group" && o.documentNo.trim()) {
          this.suggestedDocumentNo = incrementDocumentNo(o.documentNo.trim());
          this.options = { ...this.options, documentNo: this.suggestedDocumentNo };
        }
      }
      this.changed();
      return outcome;
    } catch (e) {
      this.state = { phase: "failed", post, message: e instanceof Error ? e.message : String(e) };
      this.changed();
      return null;
    }
  }

  /**
   * "Create the missing tables" beside input errors naming a missing required table: each is created empty
   * with its columns (app/init.ts, as glpost init makes them), ready for the user's data. Says what it made.
   */
  async createMissingTables(): Promise<void> {
    if (this.state.phase === "running") return;
    let note: { ok: boolean; text: string };
    try {
      const made = await createMissingTables(this.port);
      note =
        made.length === 0
          ? { ok: true, text: "No required table is missing." }
          : {
              ok: true,
              text: `Created ${made.map((n) => `"${n}"`).join(", ")} with their columns and no rows: paste your data into them (see "Getting data out of Business Central" in Help), then run again.`,
            };
    } catch (e) {
      note = { ok: false, text: e instanceof Error ? e.message : String(e) };
    }
    this.repairNote = note;
    this.state = { phase: "idle" };
    this.changed();
  }

  /** glpost repair in the pane: completes or rolls back an interrupted run (app/repair.ts), then says what it did. */
  async repair(): Promise<void> {
    if (this.state.phase === "running") return;
    let note: { ok: boolean; text: string };
    try {
      const o = await repairWorkbook(this.port, { userId: this.deps.userId?.() });
      if (o.kind === "done") {
        const s = o.summary;
        note =
          s.action === "none"
            ? { ok: true, text: "Nothing to repair: no run was interrupted." }
            : s.action === "completed"
              ? {
                  ok: true,
                  text: `G/L Register ${s.registerNo} completed: its ${s.glEntries} G/L entries kept, the posted columns of ${s.valueEntries} value entries and the register row written. Nothing needs posting again for it.`,
                }
              : {
                  ok: true,
                  text: `G/L Register ${s.registerNo} rolled back: its ${s.glEntries} G/L entries and their relation rows removed, the posted columns of ${s.valueEntries} value entries set back. Post again to post that cost once.`,
                };
      } else if (o.kind === "inputErrors")
        note = { ok: false, text: o.errors.map((e) => e.text).join(" ") };
      else note = { ok: false, text: o.message };
    } catch (e) {
      note = { ok: false, text: e instanceof Error ? e.message : String(e) };
    }
    this.repairNote = note;
    this.state = { phase: "idle" };
    this.changed();
  }

  /**
   * Inventory - G/L Reconciliation with the pane's Posting Date and Item filters (and its Location filter):
   * writes the reconciliation and its detail tables, and keeps the summary for the pane.
   */
  async reconcile(): Promise<ReconcileSummary | null> {
    if (this.reconciliation.busy || this.state.phase === "running") return null;
    this.reconciliation = { busy: true, summary: null, message: "Reconciling…" };
    this.changed();
    let summary: ReconcileSummary | null = null;
    let message: string;
    try {
      const o = await reconcileWorkbook(this.port, {
        dateFilter: this.options.dateFilter.trim(),
        itemFilter: this.options.itemFilter.trim(),
        locationFilter: this.locationFilter.trim(),
      });
      if (o.kind === "done") {
        summary = o.summary;
        message =
          summary.difference === null
            ? "With an Item or Location filter only the inventory side is shown."
            : summary.explanations.length === 0
              ? "No difference: the inventory ledger and the G/L agree."
              : `Differences found (sum of the absolute differences ${summary.difference}); each is explained below.`;
      } else message = o.kind === "inputErrors" ? o.errors.map((e) => e.text).join(" ") : o.message;
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    this.reconciliation = { busy: false, summary, message };
    this.changed();
    return summary;
  }

  /** Trace from a G/L entry or a value entry through G/L - Item Ledger Relation (reads only). */
  /** Trace on the selected row (the ribbon's Trace): the related entries with their sheet rows, to select each. */
  async traceSelected(): Promise<string> {
    let message: string;
    try {
      const t = await traceSelection(this.deps.run, this.port);
      if (t.kind === "done") {
        const from =
          "glEntryNo" in t.start
            ? `G/L entry ${t.start.glEntryNo}`
            : `value entry ${t.start.valueEntryNo}`;
        message = `${from}: ${t.result.glEntries.length} G/L entries and ${t.result.valueEntries.length} value entries are linked.`;
        this.traced = { result: t.result, message, rows: { gl: t.glRows, value: t.valueRows } };
      } else {
        message = t.kind === "inputErrors" ? t.errors.map((e) => e.text).join(" ") : t.message;
        this.traced = { result: null, message };
      }
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
      this.traced = { result: null, message };
    }
    this.changed();
    return message;
  }

  async trace(
    start: { glEntryNo: number } | { valueEntryNo: number }
  ): Promise<TraceResult | null> {
    let result: TraceResult | null = null;
    let message: string;
    try {
      const o = await traceWorkbook(this.port, start);
      if (o.kind === "done") {
        result = o.result.error === null ? o.result : null;
        message =
          o.result.error ??
          `${o.result.glEntries.length} G/L entries and ${o.result.valueEntries.length} value entries are linked.`;
      } else message = o.kind === "inputErrors" ? o.errors.map((e) => e.text).join(" ") : o.message;
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    this.traced = { result, message };
    this.changed();
    return result;
  }

  /**
   * The ribbon's Post: with the saved options and the suggested document no., computes what the run would post
   * (nothing written) and asks in the pane; confirmPost posts. Returns the question, or why there is none.
   */
  async askToPostFromRibbon(): Promise<string> {
    if (this.state.phase === "running") return "A run is in progress.";
    await this.ribbonOptions();
    const o = this.options;
    const preview = await (this.deps.post ?? postWorkbook)(this.port, {
      postingMethod: o.postingMethod,
      documentNo: o.documentNo.trim(),
      post: false,
      write: false,
      itemFilter: o.itemFilter.trim() || undefined,
      dateFilter: o.dateFilter.trim() || undefined,
      userId: this.deps.userId?.(),
    });
    if (preview.kind !== "done") {
      // Input errors and the like show as a run's outcome would (with Repair for an interrupted run).
      this.confirmation = null;
      this.state = { phase: "finished", post: true, outcome: preview };
      this.changed();
      return preview.kind === "inputErrors"
        ? `${preview.errors.length} input error(s): nothing was posted.`
        : preview.message;
    }
    const s = preview.summary;
    const method =
      o.postingMethod === "per Entry"
        ? "per Entry"
        : `per Posting Group, Document No. ${o.documentNo.trim()}`;
    const text =
      s.entries.posted === 0
        ? `Nothing to post (${method}): no value entry has cost left to post.`
        : `Post ${s.entries.posted} value entr${s.entries.posted === 1 ? "y" : "ies"} ${method} as ${s.glEntries} G/L entries${s.entries.skipped > 0 ? ` (${s.entries.skipped} skipped)` : ""}? Undo Last Run takes the run back.`;
    this.confirmation = {
      postingMethod: o.postingMethod,
      documentNo: o.documentNo.trim(),
      entries: s.entries.posted,
      glEntries: s.glEntries,
      text,
    };
    this.state = { phase: "idle" };
    this.changed();
    return text;
  }

  /** Post as confirmed (the options asked about); the pane's summary then says Undo Last Run takes it back. */
  async confirmPost(): Promise<RunOutcome | null> {
    const asked = this.confirmation;
    if (asked === null) return null;
    this.confirmation = null;
    this.options = {
      ...this.options,
      postingMethod: asked.postingMethod,
      documentNo: asked.documentNo,
    };
    return this.run(true);
  }

  cancelPost(): void {
    this.confirmation = null;
    this.changed();
  }

  /** Undo Last Run (ribbon and pane): glpost undo of the last register (app/undo.ts); says what it did. */
  async undo(): Promise<UndoOutcome | null> {
    if (this.state.phase === "running") return null;
    this.confirmation = null;
    this.repairNote = null;
    this.state = {
      phase: "running",
      post: true,
      progress: { stage: "writing", done: 0, total: 0, message: "Undoing the last run…" },
    };
    this.changed();
    let outcome: UndoOutcome | null = null;
    let note: { ok: boolean; text: string };
    try {
      outcome = await undoWorkbook(this.port);
      note =
        outcome.kind === "done"
          ? { ok: true, text: undoMessage(outcome) }
          : outcome.kind === "inputErrors"
            ? {
                ok: false,
                text: `Nothing was undone: ${outcome.errors.map((e) => e.text).join(" ")}`,
              }
            : { ok: false, text: outcome.message };
    } catch (e) {
      note = { ok: false, text: e instanceof Error ? e.message : String(e) };
    }
    this.undoNote = note;
    this.state = { phase: "idle" };
    if (outcome?.kind === "done")
      this.suggestedDocumentNo = await defaultDocumentNo(this.port).catch(
        () => this.suggestedDocumentNo
      );
    this.changed();
    return outcome;
  }

  private async ribbonOptions(): Promise<void> {
    const saved = this.deps.store?.load();
    if (saved) this.options = { ...this.options, ...saved };
    if (this.options.postingMethod === "per Posting Group") {
      this.suggestedDocumentNo = await defaultDocumentNo(this.port);
      this.options.documentNo = this.suggestedDocumentNo;
    } else this.options.documentNo = "";
  }

  /** The ribbon: run with the saved options and the suggested document no. */
  async runFromRibbon(post: boolean): Promise<RunOutcome | null> {
    await this.ribbonOptions();
    return this.run(post);
  }

  setSetting(key: keyof SettingValues, value: string): void {
    this.settings = { ...this.settings, [key]: value };
    this.changed();
  }

  async reloadSettings(): Promise<void> {
    this.loadedSettings = await loadPaneSettings(this.port);
    this.settings = { ...this.loadedSettings.values };
    this.settingsMessage = "Reloaded from the workbook.";
    this.changed();
    await this.syncAutoPost();
  }

  async saveSettings(): Promise<void> {
    try {
      const loaded = this.loadedSettings ?? (await loadPaneSettings(this.port));
      await saveSettings(this.port, loaded, this.settings);
      this.loadedSettings = await loadPaneSettings(this.port);
      this.settings = { ...this.loadedSettings.values };
      this.settingsMessage = "Saved to the Settings table.";
    } catch (e) {
      this.settingsMessage = `Could not save: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.changed();
    await this.syncAutoPost();
  }

  /** Starts or stops Automatic Cost Posting to match the saved setting. */
  async syncAutoPost(): Promise<void> {
    const on = this.loadedSettings?.values.automaticCostPosting === "Yes";
    if (on && !this.poster) {
      this.poster = new AutoPoster({
        run: this.deps.run,
        port: this.port,
        postEntries: this.deps.postEntries,
        onReport: (r) => {
          this.autoPost.reports = [r, ...this.autoPost.reports].slice(0, 20);
          this.changed();
        },
      });
      const ok = await this.poster.start().catch(() => false);
      this.autoPost = {
        ...this.autoPost,
        active: ok,
        message: ok
          ? "On: new and changed value entries post per Entry."
          : "On, but no Value Entries table was found.",
      };
      if (!ok) this.poster = null;
    } else if (!on && this.poster) {
      await this.poster.stop();
      this.poster = null;
      this.autoPost = { active: false, reports: [], message: "" };
    }
    this.changed();
  }

  // ----------------------------------------------------------------------------------------------
  // Navigation

  private async find(
    caption: string,
    aliases: readonly string[] = []
  ): Promise<TableRef | undefined> {
    return findTable(await this.port.listTables(), caption, aliases);
  }

  async selectOutput(key: OutputKey, lastRows?: number): Promise<string | null> {
    const ref = await this.find(OUTPUT_TABLES[key].names.name, outputTableSpellings(key));
    return ref ? this.port.select(ref, { lastRows }) : null;
  }

  async selectCell(table: string, row?: number, column?: string): Promise<string | null> {
    const ref = await this.find(table);
    if (!ref) return null;
    return this.port.select(ref, { sheetRow: row, column });
  }

  /**
   * Selects the first row of a table whose key columns hold the values (codes compared as BC does: trimmed,
   * case-insensitive); the table itself when no row does (a missing setup row: the place to add it).
   */
  async selectRowWhere(
    table: string,
    columns: readonly string[],
    values: readonly (string | number)[]
  ): Promise<string | null> {
    const ref = await this.find(table);
    if (!ref) return null;
    const t = await this.port.readTable(ref);
    const at = columns.map((c) => findColumnInHeader(t.header, c));
    const want = values.map((v) => String(v).trim().toUpperCase());
    const i = at.includes(-1)
      ? -1
      : t.rows.findIndex((r) =>
          at.every(
            (c, k) =>
              String(r[c] ?? "")
                .trim()
                .toUpperCase() === want[k]
          )
        );
    return this.port.select(ref, i < 0 ? {} : { sheetRow: t.rowNumbers[i] });
  }
}
