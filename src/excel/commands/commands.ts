/// <reference types="office-js" />
/**
 * Ribbon commands (manifest: ExecuteFunction postCostToGL, testReport and reconcile). In the shared runtime they run
 * in the task pane's page: they show the pane and run there, so progress and the summary appear in it.
 */
import type { RunOutcome } from "../../app/run";
import { getController } from "../runtime";

async function showPane(): Promise<void> {
  try {
    await Office.addin.showAsTaskpane();
  } catch {
    // Older hosts: the result still shows the next time the pane opens.
  }
}

function describe(outcome: RunOutcome | null, post: boolean): string {
  if (!outcome) return "The run failed: see the task pane.";
  switch (outcome.kind) {
    case "done": {
      const s = outcome.summary;
      return post
        ? `Posted ${s.entries.posted} entries as ${s.glEntries} G/L entries (register ${s.registerNo ?? "–"}); ${s.entries.skipped} skipped.`
        : `Test report written: ${s.entries.posted} entries would post, ${s.entries.skipped} skipped.`;
    }
    case "inputErrors":
      return `${outcome.errors.length} input error(s): nothing was posted.`;
    default:
      return outcome.message;
  }
}

/** What the last ribbon command did (the try page and tests read it). */
export let lastCommandMessage = "";

/**
 * A ribbon command: shows the pane, runs `body` there and keeps what it says as lastCommandMessage (an error's
 * message when it throws); tells Office the command completed in every case.
 */
async function ribbonCommand(
  event: Office.AddinCommands.Event | undefined,
  body: () => Promise<string>
): Promise<void> {
  try {
    await showPane();
    lastCommandMessage = await body();
  } catch (e) {
    lastCommandMessage = e instanceof Error ? e.message : String(e);
  } finally {
    event?.completed();
  }
}

export function runCommand(post: boolean, event?: Office.AddinCommands.Event): Promise<void> {
  // Post Cost to G/L asks first: the question (method, document no., how many entries) waits in the pane.
  return ribbonCommand(event, async () =>
    post
      ? getController().askToPostFromRibbon()
      : describe(await getController().runFromRibbon(post), post)
  );
}

/** Ribbon Reconcile: Inventory - G/L Reconciliation with the pane's filters, shown in the pane and written to the workbook. */
export function runReconcile(event?: Office.AddinCommands.Event): Promise<void> {
  return ribbonCommand(event, async () => {
    const s = await getController().reconcile();
    return s === null
      ? getController().reconciliation.message
      : s.explanations.length === 0
        ? "Reconciled: no difference."
        : `Reconciled: ${s.explanations.length} explained difference(s), sum of the absolute differences ${s.difference}.`;
  });
}

/** Ribbon Undo Last Run: takes the last register back (app/undo.ts), says what it did in the pane. */
export function runUndo(event?: Office.AddinCommands.Event): Promise<void> {
  return ribbonCommand(event, async () => {
    await getController().undo();
    return getController().undoNote?.text ?? "A run is in progress: nothing was undone.";
  });
}

/** Ribbon Trace: the selected G/L or value entry row and every entry linked to it, listed in the pane. */
export function runTrace(event?: Office.AddinCommands.Event): Promise<void> {
  return ribbonCommand(event, () => getController().traceSelected());
}

export function registerCommands(): void {
  Office.actions.associate("traceSelection", (event: Office.AddinCommands.Event) =>
    runTrace(event)
  );
  Office.actions.associate("reconcile", (event: Office.AddinCommands.Event) => runReconcile(event));
  Office.actions.associate("postCostToGL", (event: Office.AddinCommands.Event) =>
    runCommand(true, event)
  );
  Office.actions.associate("undoLastRun", (event: Office.AddinCommands.Event) => runUndo(event));
  Office.actions.associate("testReport", (event: Office.AddinCommands.Event) =>
    runCommand(false, event)
  );
}

Office.onReady(() => registerCommands());
