/** glpost in a worker thread with a watchdog: a run that hangs is ended and reported, not waited for. */
import * as path from "path";
import { Worker } from "worker_threads";

export interface CliRun {
  /** The exit code, or null when main threw or the run was ended by the watchdog. */
  code: number | null;
  threw: string | null;
  hung: boolean;
  stderr: string;
}

export class CliWorker {
  private worker: Worker;
  private next = 0;

  constructor() {
    this.worker = new Worker(path.join(__dirname, "cliWorker.js"));
  }

  /** Runs main(argv); after `timeoutMs` the worker is terminated (and replaced) and the run counts as hung. */
  run(argv: string[], timeoutMs: number): Promise<CliRun> {
    const id = ++this.next;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        reject(e);
      };
      const timer = setTimeout(() => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        void worker.terminate();
        this.worker = new Worker(path.join(__dirname, "cliWorker.js"));
        resolve({ code: null, threw: null, hung: true, stderr: "" });
      }, timeoutMs);
      const onMessage = (m: {
        id: number;
        code: number | null;
        threw: string | null;
        stderr: string;
      }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        resolve({ code: m.code, threw: m.threw, hung: false, stderr: m.stderr });
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.postMessage({ id, argv });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
