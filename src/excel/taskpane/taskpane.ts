/// <reference types="office-js" />
/** The task pane page's entry: mount the pane once Office is ready. */
import { getController } from "../runtime";
import { mountTaskpane } from "./view";
import { applyOfficeTheme } from "./theme";

let mounted = false;

export function startTaskpane(): void {
  Office.onReady(() => {
    if (mounted) return;
    mounted = true;
    const root = document.getElementById("app");
    if (!root) return;
    applyOfficeTheme(document.documentElement, Office.context?.officeTheme);
    try {
      // Office raises this when the user switches theme (File > Account > Office Theme).
      Office.context.document?.addHandlerAsync?.(
        Office.EventType.OfficeThemeChanged,
        (e: { officeTheme?: Office.OfficeTheme }) =>
          applyOfficeTheme(document.documentElement, e.officeTheme ?? Office.context.officeTheme)
      );
    } catch {
      // Hosts without the event keep the theme of the start.
    }
    const c = getController();
    mountTaskpane(root, c);
    void c.init();
  });
}

startTaskpane();
