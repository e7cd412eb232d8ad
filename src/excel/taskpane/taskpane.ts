/// <reference types="office-js" />
/** The task pane page's entry: mount the pane once Office is ready. */
import { getController } from '../runtime';
import { mountTaskpane } from './view';

let mounted = false;

export function startTaskpane(): void {
  Office.onReady(() => {
    if (mounted) return;
    mounted = true;
    const root = document.getElementById('app');
    if (!root) return;
    const c = getController();
    mountTaskpane(root, c);
    void c.init();
  });
}

startTaskpane();
