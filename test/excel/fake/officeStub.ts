/**
 * A stand-in for Office.js on the try page: Office.onReady, requirement sets, document settings,
 * Office.actions (ribbon commands), Office.addin, and a global Excel whose run() works on the fake
 * workbook. Nothing is loaded from the network.
 */
import { fakeRun } from "./fakeExcel";
import type { WorkbookModel } from "./model";

type Action = (event: { completed(): void; source?: { id: string } }) => unknown;

export interface OfficeStub {
  /** Resolves Office.onReady (call once the workbook is loaded). */
  ready(): void;
  setModel(model: WorkbookModel): void;
  model(): WorkbookModel;
  /** Runs a ribbon command as Excel would (ExecuteFunction). */
  invoke(id: string): Promise<void>;
  actions: Map<string, Action>;
  paneShown: number;
}

export function installOfficeStub(initial: WorkbookModel): OfficeStub {
  let model = initial;
  let resolveReady: (info: { host: string; platform: string }) => void = () => undefined;
  const readyPromise = new Promise<{ host: string; platform: string }>((r) => (resolveReady = r));
  const actions = new Map<string, Action>();
  const settings = new Map<string, unknown>();
  const stub: OfficeStub = {
    ready: () => resolveReady({ host: "Excel", platform: "OfficeOnline" }),
    setModel: (m) => (model = m),
    model: () => model,
    actions,
    paneShown: 0,
    invoke: (id) =>
      new Promise<void>((resolve, reject) => {
        const a = actions.get(id);
        if (!a) return reject(new Error(`No action ${id} associated.`));
        Promise.resolve(a({ completed: () => resolve(), source: { id } })).catch(reject);
      }),
  };
  const g = globalThis as unknown as Record<string, unknown>;
  g.Office = {
    onReady: (cb?: (info: unknown) => void) => readyPromise.then((info) => (cb?.(info), info)),
    HostType: { Excel: "Excel" },
    PlatformType: { OfficeOnline: "OfficeOnline" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    context: {
      host: "Excel",
      requirements: {
        isSetSupported: (set: string, version?: string) => model.supports(set, version ?? "1.1"),
      },
      document: {
        settings: {
          get: (k: string) => settings.get(k) ?? null,
          set: (k: string, v: unknown) => void settings.set(k, v),
          remove: (k: string) => void settings.delete(k),
          saveAsync: (cb?: (r: { status: string }) => void) => cb?.({ status: "succeeded" }),
        },
      },
    },
    actions: { associate: (id: string, fn: Action) => void actions.set(id, fn) },
    addin: {
      showAsTaskpane: async () => {
        stub.paneShown++;
      },
      hide: async () => undefined,
    },
  };
  g.Excel = { run: <T>(batch: (ctx: never) => Promise<T>) => fakeRun(model)(batch as never) };
  g.CustomFunctions = {
    associate: () => undefined,
    // As Office's: new CustomFunctions.Error(code, message), the cell shows the code, the tooltip the message.
    Error: class extends Error {
      constructor(
        readonly code: string,
        message?: string
      ) {
        super(message ?? code);
      }
    },
    ErrorCode: {
      invalidValue: "#VALUE!",
      notAvailable: "#N/A",
      divisionByZero: "#DIV/0!",
      invalidNumber: "#NUM!",
      nullReference: "#NULL!",
      invalidName: "#NAME?",
      invalidReference: "#REF!",
    },
  };
  return stub;
}
