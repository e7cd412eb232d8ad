/// <reference types="office-js" />
/**
 * The one Controller of the shared runtime: the task pane and the ribbon commands use the same instance
 * (and so the same state, progress and result).
 */
import { ExcelWorkbookPort, type ExcelRun } from "./adapter";
import { Controller, type OptionsStore, type PaneRunOptions } from "./controller";

const KEY = "invtcost.runOptions";

/** Run options live in the workbook's add-in settings (Office.context.document.settings), else localStorage. */
export function officeOptionsStore(): OptionsStore {
  const settings = (): Office.Settings | null => {
    try {
      return globalThis.Office?.context?.document?.settings ?? null;
    } catch {
      return null;
    }
  };
  return {
    load(): Partial<PaneRunOptions> | null {
      try {
        const s = settings();
        const v = s
          ? (s.get(KEY) as Partial<PaneRunOptions> | null)
          : JSON.parse(globalThis.localStorage?.getItem(KEY) ?? "null");
        return v && typeof v === "object" ? v : null;
      } catch {
        return null;
      }
    },
    save(o: PaneRunOptions): void {
      const value = {
        postingMethod: o.postingMethod,
        itemFilter: o.itemFilter,
        dateFilter: o.dateFilter,
      };
      try {
        const s = settings();
        if (s) {
          s.set(KEY, value);
          s.saveAsync(() => undefined);
        } else globalThis.localStorage?.setItem(KEY, JSON.stringify(value));
      } catch {
        // Not saved: the next run starts from the defaults.
      }
    },
  };
}

const excelRun: ExcelRun = (batch) =>
  (globalThis as unknown as { Excel: { run: ExcelRun } }).Excel.run(batch);

let controller: Controller | null = null;

export function getController(): Controller {
  controller ??= new Controller({
    port: new ExcelWorkbookPort({ run: excelRun }),
    run: excelRun,
    store: officeOptionsStore(),
  });
  return controller;
}
