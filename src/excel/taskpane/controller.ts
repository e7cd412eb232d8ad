/**
 * The task pane's state and actions, without DOM: run options, the workbook's settings, a run with its
 * progress and outcome, navigation, Automatic Cost Posting. The pane (view.ts) renders it; the ribbon
 * commands (commands.ts) use the same instance, since the shared runtime runs both in one page.
 */
import { reconcileWorkbook, traceWorkbook, type ReconcileSummary } from '../../app/reconcile';
import { repairWorkbook } from '../../app/repair';
import type { TraceResult } from '../../engine/trace';
import { postWorkbook, type RunOutcome, type RunProgress, type RunRequest } from '../../app/run';
import type { PostingMethod } from '../../engine/types';
import type { TableRef, WorkbookPort } from '../../workbook/port';
import { findTable } from '../../workbook/names';
import { OUTPUT_TABLES, outputTableSpellings, type OutputKey } from '../../workbook/outputs';
import { ExcelWorkbookPort, type ExcelRun } from '../adapter';
import { AutoPoster, type AutoPostReport, type PostEntries } from '../autoPost';
import { defaultDocumentNo, incrementDocumentNo } from '../registers';
import { readSettings, saveSettings, SETTING_DEFAULTS, type LoadedSettings, type SettingValues } from '../settings';

export type PostFn = (port: WorkbookPort, request: RunRequest) => Promise<RunOutcome>;

export interface RunOptions {
  postingMethod: PostingMethod;
  documentNo: string;
  itemFilter: string;
  dateFilter: string;
}

/** Where the pane keeps the last run options (the workbook's add-in settings, else browser storage). */
export interface OptionsStore {
  load(): Partial<RunOptions> | null;
  save(o: RunOptions): void;
}

export type RunState =
  | { phase: 'idle' }
  | { phase: 'running'; post: boolean; progress: RunProgress }
  | { phase: 'finished'; post: boolean; outcome: RunOutcome }
  | { phase: 'failed'; post: boolean; message: string };

export interface ControllerDeps {
  port: ExcelWorkbookPort;
  run: ExcelRun;
  post?: PostFn;
  postEntries?: PostEntries;
  store?: OptionsStore;
  userId?: () => string | undefined;
}

export class Controller {
  options: RunOptions = { postingMethod: 'per Posting Group', documentNo: '', itemFilter: '', dateFilter: '' };
  settings: SettingValues = { ...SETTING_DEFAULTS };
  loadedSettings: LoadedSettings | null = null;
  settingsMessage = '';
  /** The document no. suggested from the last register (shown as a hint). */
  suggestedDocumentNo = '';
  state: RunState = { phase: 'idle' };
  /** What the last Repair did (shown until the next run), or null. */
  repairNote: { ok: boolean; text: string } | null = null;
  autoPost: { active: boolean; reports: AutoPostReport[]; message: string } = { active: false, reports: [], message: '' };
  /** The last Reconcile (Inventory - G/L Reconciliation, app/reconcile.ts) or Trace, shown in their pane section. */
  reconciliation: { busy: boolean; summary: ReconcileSummary | null; message: string } = { busy: false, summary: null, message: '' };
  locationFilter = '';
  traced: { result: TraceResult | null; message: string } = { result: null, message: '' };
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
    if (saved) this.options = { ...this.options, ...saved, documentNo: '' };
    try {
      const refs = await this.port.listTables();
      this.loadedSettings = await readSettings(this.port, refs);
      this.settings = { ...this.loadedSettings.values };
      this.suggestedDocumentNo = await defaultDocumentNo(this.port, refs);
      if (this.options.postingMethod === 'per Posting Group') this.options.documentNo = this.suggestedDocumentNo;
      this.settingsMessage =
        this.loadedSettings.form === 'none' ? 'No Settings table yet: defaults are used. Save creates one.' : 'Read from the Settings table.';
    } catch (e) {
      this.settingsMessage = `Could not read the workbook: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.changed();
    await this.syncAutoPost();
  }

  setOptions(o: Partial<RunOptions>): void {
    const method = o.postingMethod;
    this.options = { ...this.options, ...o };
    if (method === 'per Entry') this.options.documentNo = '';
    if (method === 'per Posting Group' && o.documentNo === undefined && this.options.documentNo === '') {
      this.options.documentNo = this.suggestedDocumentNo;
    }
    this.changed();
  }

  /** Post (post = true) or dry run with the current options. */
  async run(post: boolean): Promise<RunOutcome | null> {
    if (this.state.phase === 'running') return null;
    const o = this.options;
    this.deps.store?.save(o);
    this.repairNote = null;
    this.state = { phase: 'running', post, progress: { stage: 'reading', done: 0, total: 0, message: 'Reading the workbook…' } };
    this.changed();
    const request: RunRequest = {
      postingMethod: o.postingMethod,
      documentNo: o.documentNo.trim(),
      post,
      itemFilter: o.itemFilter.trim() || undefined,
      dateFilter: o.dateFilter.trim() || undefined,
      userId: this.deps.userId?.(),
      onProgress: (p) => {
        if (this.state.phase !== 'running') return;
        this.state = { phase: 'running', post, progress: p };
        this.changed();
      },
    };
    try {
      const outcome = await (this.deps.post ?? postWorkbook)(this.port, request);
      this.state = { phase: 'finished', post, outcome };
      if (outcome.kind === 'done' && post && !outcome.summary.dryRun && outcome.summary.registerNo !== null) {
        // The next run's suggestion follows this run's document no.
        if (o.postingMethod === 'per Posting Group' && o.documentNo.trim()) {
          this.suggestedDocumentNo = incrementDocumentNo(o.documentNo.trim());
          this.options = { ...this.options, documentNo: this.suggestedDocumentNo };
        }
      }
      this.changed();
      return outcome;
    } catch (e) {
      this.state = { phase: 'failed', post, message: e instanceof Error ? e.message : String(e) };
      this.changed();
      return null;
    }
  }

  /** glpost repair in the pane: completes or rolls back an interrupted run (app/repair.ts), then says what it did. */
  async repair(): Promise<void> {
    if (this.state.phase === 'running') return;
    let note: { ok: boolean; text: string };
    try {
      const o = await repairWorkbook(this.port, { userId: this.deps.userId?.() });
      if (o.kind === 'done') {
        const s = o.summary;
        note =
          s.action === 'none'
            ? { ok: true, text: 'Nothing to repair: no run was interrupted.' }
            : s.action === 'completed'
              ? { ok: true, text: `G/L Register ${s.registerNo} completed: its ${s.glEntries} G/L entries kept, the posted columns of ${s.valueEntries} value entries and the register row written. Nothing needs posting again for it.` }
              : { ok: true, text: `G/L Register ${s.registerNo} rolled back: its ${s.glEntries} G/L entries and their relation rows removed, the posted columns of ${s.valueEntries} value entries set back. Post again to post that cost once.` };
      } else if (o.kind === 'inputErrors') note = { ok: false, text: o.errors.map((e) => e.text).join(' ') };
      else note = { ok: false, text: o.message };
    } catch (e) {
      note = { ok: false, text: e instanceof Error ? e.message : String(e) };
    }
    this.repairNote = note;
    this.state = { phase: 'idle' };
    this.changed();
  }

  /**
   * Inventory - G/L Reconciliation with the pane's Posting Date and Item filters (and its Location filter):
   * writes the reconciliation and its detail tables, and keeps the summary for the pane.
   */
  async reconcile(): Promise<ReconcileSummary | null> {
    if (this.reconciliation.busy || this.state.phase === 'running') return null;
    this.reconciliation = { busy: true, summary: null, message: 'Reconciling…' };
    this.changed();
    let summary: ReconcileSummary | null = null;
    let message: string;
    try {
      const o = await reconcileWorkbook(this.port, { dateFilter: this.options.dateFilter.trim(), itemFilter: this.options.itemFilter.trim(), locationFilter: this.locationFilter.trim() });
      if (o.kind === 'done') {
        summary = o.summary;
        message =
          summary.difference === null
            ? 'With an Item or Location filter only the inventory side is shown.'
            : summary.explanations.length === 0
              ? 'No difference: the inventory ledger and the G/L agree.'
              : `Differences found (sum of the absolute differences ${summary.difference}); each is explained below.`;
      } else message = o.kind === 'inputErrors' ? o.errors.map((e) => e.text).join(' ') : o.message;
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    this.reconciliation = { busy: false, summary, message };
    this.changed();
    return summary;
  }

  /** Trace from a G/L entry or a value entry through G/L - Item Ledger Relation (reads only). */
  async trace(start: { glEntryNo: number } | { valueEntryNo: number }): Promise<TraceResult | null> {
    let result: TraceResult | null = null;
    let message: string;
    try {
      const o = await traceWorkbook(this.port, start);
      if (o.kind === 'done') {
        result = o.result.error === null ? o.result : null;
        message = o.result.error ?? `${o.result.glEntries.length} G/L entries and ${o.result.valueEntries.length} value entries are linked.`;
      } else message = o.kind === 'inputErrors' ? o.errors.map((e) => e.text).join(' ') : o.message;
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    this.traced = { result, message };
    this.changed();
    return result;
  }

  /** The ribbon: run with the saved options and the suggested document no. */
  async runFromRibbon(post: boolean): Promise<RunOutcome | null> {
    const saved = this.deps.store?.load();
    if (saved) this.options = { ...this.options, ...saved };
    if (this.options.postingMethod === 'per Posting Group') {
      this.suggestedDocumentNo = await defaultDocumentNo(this.port);
      this.options.documentNo = this.suggestedDocumentNo;
    } else this.options.documentNo = '';
    return this.run(post);
  }

  setSetting(key: keyof SettingValues, value: string): void {
    this.settings = { ...this.settings, [key]: value };
    this.changed();
  }

  async reloadSettings(): Promise<void> {
    this.loadedSettings = await readSettings(this.port);
    this.settings = { ...this.loadedSettings.values };
    this.settingsMessage = 'Reloaded from the workbook.';
    this.changed();
    await this.syncAutoPost();
  }

  async saveSettings(): Promise<void> {
    try {
      const loaded = this.loadedSettings ?? (await readSettings(this.port));
      await saveSettings(this.port, loaded, this.settings);
      this.loadedSettings = await readSettings(this.port);
      this.settings = { ...this.loadedSettings.values };
      this.settingsMessage = 'Saved to the Settings table.';
    } catch (e) {
      this.settingsMessage = `Could not save: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.changed();
    await this.syncAutoPost();
  }

  /** Starts or stops Automatic Cost Posting to match the saved setting. */
  async syncAutoPost(): Promise<void> {
    const on = this.loadedSettings?.values.automaticCostPosting === 'Yes';
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
      this.autoPost = { ...this.autoPost, active: ok, message: ok ? 'On: new and changed value entries post per Entry.' : 'On, but no Value Entries table was found.' };
      if (!ok) this.poster = null;
    } else if (!on && this.poster) {
      await this.poster.stop();
      this.poster = null;
      this.autoPost = { active: false, reports: [], message: '' };
    }
    this.changed();
  }

  // ----------------------------------------------------------------------------------------------
  // Navigation

  private async find(caption: string, aliases: readonly string[] = []): Promise<TableRef | undefined> {
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
}
