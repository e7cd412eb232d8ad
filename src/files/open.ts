/**
 * Picks the file adapter for a CLI input (cli.md): a folder of CSV files, a folder of JSON files (BC's OData
 * responses, one per table: jsonFolder.ts), a .json file or an .xlsx file.
 * The output has the input's format; without an output path the input is updated in place (atomically).
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { WorkbookPort } from '../workbook/port';
import { CsvFolderWorkbook } from './csv';
import { JsonWorkbook } from './json';
import { JsonFolderWorkbook, listJsonFiles } from './jsonFolder';

export type WorkbookFormat = 'csv' | 'jsonFolder' | 'json' | 'xlsx';

interface XlsxModule {
  XlsxWorkbook: { open(inputPath: string, options: { outputPath?: string }): Promise<WorkbookPort> };
}

/** The xlsx adapter, loaded only when an .xlsx file is opened (it lives in src/files/xlsx). */
function loadXlsx(): XlsxModule {
  return require('./xlsx') as XlsxModule;
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
    const csv = names.some((n) => !n.startsWith('.') && n.toLowerCase().endsWith('.csv'));
    return !csv && (await listJsonFiles(inputPath)).length > 0 ? 'jsonFolder' : 'csv';
  }
  const ext = path.extname(inputPath).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.xlsx') return 'xlsx';
  return null;
}

export async function openWorkbook(inputPath: string, outputPath?: string): Promise<WorkbookPort> {
  const format = await workbookFormat(inputPath);
  if (format === null)
    throw new Error(`Cannot open "${inputPath}": the input must be an .xlsx file, a folder of CSV files or a .json file.`);
  if (outputPath !== undefined) {
    const outExt = path.extname(outputPath).toLowerCase();
    if (format === 'json' && outExt !== '.json') throw new Error(`The output "${outputPath}" must be a .json file, like the input.`);
    if (format === 'xlsx' && outExt !== '.xlsx') throw new Error(`The output "${outputPath}" must be an .xlsx file, like the input.`);
    if (format === 'csv' || format === 'jsonFolder') {
      const st = await fs.stat(outputPath).catch(() => null);
      if ((st !== null && !st.isDirectory()) || (st === null && (outExt === '.json' || outExt === '.xlsx' || outExt === '.csv')))
        throw new Error(`The output "${outputPath}" must be a folder, like the input.`);
    }
  }
  switch (format) {
    case 'csv':
      return CsvFolderWorkbook.open(inputPath, { outputFolder: outputPath });
    case 'jsonFolder':
      return JsonFolderWorkbook.open(inputPath, { outputFolder: outputPath });
    case 'json':
      return JsonWorkbook.open(inputPath, { outputPath });
    case 'xlsx':
      return loadXlsx().XlsxWorkbook.open(inputPath, { outputPath });
  }
}
