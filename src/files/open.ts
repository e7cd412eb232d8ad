/**
 * Picks the file adapter for a CLI input (cli.md): a folder of CSV files, a folder of JSON files (BC's OData
 * responses, one per table: jsonFolder.ts), a .json file or an .xlsx file.
 * The output has the input's format; without an output path the input is updated in place (atomically).
 */
import { promises as fs } from "fs";
import * as path from "path";
import type { WorkbookPort } from "../workbook/port";
import {
  acquireLock,
  ensureDir,
  isOsError,
  lockPathFor,
  realTarget,
  removeLeftoverTemps,
  writeFailure,
  type HeldLock,
} from "./commit";
import { CsvFolderWorkbook } from "./csv";
import { JsonWorkbook } from "./json";
import { JsonFolderWorkbook, listJsonFiles } from "./jsonFolder";

export type WorkbookFormat = "csv" | "jsonFolder" | "json" | "xlsx";

interface XlsxModule {
  XlsxWorkbook: {
    open(inputPath: string, options: { outputPath?: string }): Promise<WorkbookPort>;
  };
}

/** The xlsx adapter, loaded only when an .xlsx file is opened (it lives in src/files/xlsx). */
function loadXlsx(): XlsxModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: a CSV or JSON run never pays for it
  return require("./xlsx") as XlsxModule;
}

/**
 * The format of an input path: a directory is CSV, or a JSON folder when it holds .json files and no .csv
 * file; else by extension; null when none fits.
 */
export async function workbookFormat(inputPath: string): Promise<WorkbookFormat | null> {
  let st;
  try {
    st = await fs.stat(inputPath);
  } catch {
    throw new Error(`The input "${inputPath}" does not exist.`);
  }
  if (st.isDirectory()) {
    const names = await fs.readdir(inputPath);
    const csv = names.some((n) => !n.startsWith(".") && /\.(csv|parquet)$/.test(n.toLowerCase()));
    return !csv && (await listJsonFiles(inputPath)).length > 0 ? "jsonFolder" : "csv";
  }
  const ext = path.extname(inputPath).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".xlsx") return "xlsx";
  return null;
}

export async function openWorkbook(inputPath: string, outputPath?: string): Promise<WorkbookPort> {
  const format = await workbookFormat(inputPath);
  if (format === null)
    throw new Error(
      `Cannot open "${inputPath}": the input must be an .xlsx file, a folder of CSV files or a .json file.`
    );
  if (outputPath !== undefined) {
    const outExt = path.extname(outputPath).toLowerCase();
    if (format === "json" && outExt !== ".json")
      throw new Error(`The output "${outputPath}" must be a .json file, like the input.`);
    if (format === "xlsx" && outExt !== ".xlsx")
      throw new Error(`The output "${outputPath}" must be an .xlsx file, like the input.`);
    if (format === "csv" || format === "jsonFolder") {
      const st = await fs.stat(outputPath).catch(() => null);
      if (
        (st !== null && !st.isDirectory()) ||
        (st === null && (outExt === ".json" || outExt === ".xlsx" || outExt === ".csv"))
      )
        throw new Error(`The output "${outputPath}" must be a folder, like the input.`);
    }
  }
  switch (format) {
    case "csv":
      return CsvFolderWorkbook.open(inputPath, { outputFolder: outputPath });
    case "jsonFolder":
      return JsonFolderWorkbook.open(inputPath, { outputFolder: outputPath });
    case "json":
      return JsonWorkbook.open(inputPath, { outputPath });
    case "xlsx":
      return loadXlsx().XlsxWorkbook.open(inputPath, { outputPath });
  }
}

/** A workbook opened for a run: the port, what the opening did that the user should know, and the lock. */
export interface OpenedWorkbook {
  port: WorkbookPort;
  /** E.g. a stale lock taken over, an interrupted commit completed. */
  notices: string[];
  /** Releases the lock (every path: done, input error, failure). */
  close(): Promise<void>;
}

/**
 * Opens a workbook for a CLI run under its lock (commit.ts), held until close(): a second run on the same
 * workbook is refused (LockHeldError) instead of interleaving with this one. Leftovers of a killed run are
 * cleared first (a CSV folder's half-done commit is completed when the folder is opened). When the lock
 * cannot be created because the input's folder is read-only and the output goes elsewhere, the run goes on
 * without it (the input is only read; its unchanged-since-read check still guards it).
 */
export async function openForRun(
  inputPath: string,
  outputPath?: string,
  command?: string
): Promise<OpenedWorkbook> {
  const format = await workbookFormat(inputPath);
  if (format === null)
    throw new Error(
      `Cannot open "${inputPath}": the input must be an .xlsx file, a folder of CSV files or a .json file.`
    );
  const notices: string[] = [];
  const folder = format === "csv" || format === "jsonFolder";
  const real = await realTarget(inputPath);
  const outReal = outputPath === undefined ? real : await realTarget(outputPath);
  const inPlace = outReal === real;
  // --out may name a file in a folder that does not exist yet (npm run demo writes to out/).
  if (outputPath !== undefined && !folder)
    await ensureDir(path.dirname(path.resolve(outputPath)), false);
  const lockPath = await lockPathFor(inputPath, folder);
  let lock: HeldLock | null = null;
  try {
    lock = await acquireLock(lockPath, inputPath, command);
  } catch (e) {
    if (!(isOsError(e) && !inPlace && ["EROFS", "EACCES", "EPERM"].includes(e.code)))
      throw writeFailure(e, lockPath, inPlace ? "inputUnchanged" : "nothingWritten");
    notices.push(`The input's folder is read-only: ${inputPath} was read without a lock.`);
  }
  if (lock?.tookOver)
    notices.push(
      `Took over the lock ${lockPath} left by ${lock.tookOver.owner} (process ${lock.tookOver.pid}, since ${lock.tookOver.started}), which is no longer running.`
    );
  try {
    if (!folder && lock !== null)
      await removeLeftoverTemps(path.dirname(real), path.basename(real));
    const port = await openWorkbook(inputPath, outputPath);
    const recovered =
      port instanceof CsvFolderWorkbook || port instanceof JsonFolderWorkbook
        ? port.recovered
        : null;
    if (recovered !== null)
      notices.push(
        `Completed the commit of an interrupted run (journal of ${recovered.journal.created}): ${recovered.completed} of ${recovered.journal.renames.length} files renamed into place before reading.`
      );
    return { port, notices, close: async () => void (await lock?.release()) };
  } catch (e) {
    await lock?.release();
    throw e;
  }
}
