/**
 * The streamed run (`glpost post <folder> --stream`): Post Inventory Cost to G/L on a folder of CSV files whose
 * Value Entries are too many to hold in memory (Excel stops at 1,048,576 rows; a BC database holds far more).
 * The value entries are read, posted and written back a chunk at a time; what stays in memory is the setup,
 * the existing ledger's numbering, the group table (per Posting Group) and the skipped entries, so memory
 * grows with G/L entries, not value entries.
 *
 * It is the in-memory run's code, fed in chunks, not a second implementation: readPostingInput reads
 * everything but the Value Entries' rows, ValueEntryChunks reads each chunk with readValueEntries' rules,
 * PostingRun posts (postWith feeds it the same way), planWrites plans each chunk's writes, and the CSV
 * writes are applyWrite's bytes (csvStream.ts). The differences, all from not holding the whole table:
 *   - Value Entries must be in Entry No. order (as BC exports it), else an input error on the row;
 *   - the number style and the date order are fixed by the first chunk that decides them;
 *   - per Posting Group, the G/L - Item Ledger Relation rows come in value-entry order (the in-memory run
 *     writes them in G/L entry order): the same rows, keyed (G/L Entry No., Value Entry No.) as BC's table;
 *   - a Value Entries posted column the file lacks is an input error when a chunk would have to add it.
 * Safety is the same: the folder's lock (the caller's), every file staged under a temp name, the folder
 * checked unchanged, then one journal and the renames (commit.ts); an input error anywhere writes nothing.
 */
import { createReadStream, promises as fs } from "fs";
import * as path from "path";
import { parseRunOptions, type CheckedRunOptions } from "../engine/evaluate";
import { InvariantError } from "../engine/invariants";
import { PostingRun } from "../engine/post";
import { createEnv } from "../engine/evaluate";
import { TrialBalanceBuilder } from "../engine/trialBalance";
import type { GLEntryTable } from "../engine/glEntryTable";
import type { OutcomeCounts, PostingInput, PostingResult } from "../engine/types";
import {
  commitFolder,
  ensureDir,
  newId,
  recoverFolder,
  sha256,
  stagingPath,
  stampOf,
  type StagedFile,
} from "../files/commit";
import {
  CsvFolderWorkbook,
  encodeText,
  isParquetFile,
  listCsvFiles,
  tableNameOf,
  withRecordProblems,
} from "../files/csv";
import { openParquetTable, ParquetReadError, type ParquetColumn } from "../files/parquet";
import {
  ParquetTypeError,
  StreamedParquetRewrite,
  StreamedParquetTable,
  writableColumns,
} from "../files/parquetStream";
import {
  csvChunks,
  scanCsvFile,
  StreamedCsvRewrite,
  StreamedCsvTable,
  type CsvChunk,
} from "../files/csvStream";
import { formatInputError, type InputError } from "../workbook/inputErrors";
import { findTable, findColumn, looseHeader } from "../workbook/names";
import { OUTPUT_TABLES } from "../workbook/outputSchema";
import { planRegisterAppend, planRunSummary, planWrites } from "../workbook/outputs";
import type { SourceTable, TableRef, TableWrite } from "../workbook/port";
import { readPostingInput, ValueEntryChunks } from "../workbook/read";
import type { ReadContext } from "../workbook/readContext";
import { runBeyondBound } from "../workbook/ledgerState";
import { VALUE_ENTRIES } from "../workbook/schema";
import {
  internalError,
  runOptions,
  summarize,
  unreadable,
  writeFailed,
  type InputErrorInfo,
  type RunOutcome,
  type RunRequest,
} from "./run";

export interface StreamRequest extends RunRequest {
  /** Write the result into this folder instead of the input folder. */
  outputFolder?: string;
  /**
   * About this many characters of Value Entries per chunk (default 512 KiB: about 3,500 rows of a BC export;
   * measured on 300,000 entries, 4 MiB chunks took 1.2-1.3x as long: more of each chunk outlives a scavenge).
   */
  chunkChars?: number;
  /** Progress as text lines (the CLI prints them on stderr). */
  onStreamProgress?: (line: string) => void;
  /** At most one progress line per this many milliseconds (default 1000; 0: one per chunk). */
  progressEveryMs?: number;
}

/** A chunk of Value Entries as read: its table of rows, its first row's index among all, and the CSV text. */
interface Chunk {
  table: SourceTable;
  firstRow: number;
  last: boolean;
  /** The CSV chunk (its text is rewritten); null for Parquet. */
  csv: CsvChunk | null;
}

/** Parquet rows per chunk (about what 512 KiB of CSV holds). */
const PARQUET_CHUNK_ROWS = 4096;

/** Output rows planned and written at a time (per Posting Group's G/L entries and relation rows). */
const BLOCK_ROWS = 16384;

/** At most this many input errors are collected before the run stops reading (all are reported so far). */
const MAX_ERRORS = 1000;

function inputErrors(errors: InputError[]): RunOutcome {
  return {
    kind: "inputErrors",
    errors: errors.map((e): InputErrorInfo => ({ ...e, text: formatInputError(e) })),
  };
}

/** The streamed post of a CSV folder (the caller holds its lock). */
export async function postStreamed(folder: string, request: StreamRequest): Promise<RunOutcome> {
  const say = request.onStreamProgress ?? (() => {});
  if (!request.post)
    return {
      kind: "usageError",
      message:
        "--stream posts: a dry run (--dry-run) or a check reads the whole folder; run it without --stream.",
    };
  const checked = parseRunOptions(runOptions(request));
  if (!checked.ok) return { kind: "usageError", message: checked.error };
  const options: CheckedRunOptions = checked.options;
  const source = path.resolve(folder);
  const target = path.resolve(request.outputFolder ?? folder);
  const inPlace = target === source;

  // The Value Entries file, found as the reader finds it.
  await recoverFolder(source);
  const names = await listCsvFiles(source);
  const refs: TableRef[] = names.map((f) => ({ name: tableNameOf(f), kind: "csv" }));
  const veRef = findTable(refs, VALUE_ENTRIES.name, VALUE_ENTRIES.aliases);
  if (veRef === undefined) {
    // Nothing to stream: the reader says what is missing.
    const wb = await CsvFolderWorkbook.open(source);
    const read = await readPostingInput(wb);
    return inputErrors(read.errors);
  }
  const veFile = names.find((f) => tableNameOf(f) === veRef.name)!;
  const vePath = path.join(source, veFile);
  const parquet = isParquetFile(veFile);
  say(`Scanning ${veFile}`);

  // The chunks of Value Entries, from the CSV file or the Parquet file, as tables of rows.
  let source$: AsyncGenerator<Chunk>;
  let wb: CsvFolderWorkbook;
  let parquetColumns: ParquetColumn[] = [];
  let csvScan: Awaited<ReturnType<typeof scanCsvFile>> | null = null;
  if (parquet) {
    let table;
    try {
      table = await openParquetTable(vePath);
      parquetColumns = writableColumns(veFile, table);
    } catch (e) {
      if (e instanceof ParquetReadError || e instanceof ParquetTypeError)
        return inputErrors([
          {
            table: VALUE_ENTRIES.name,
            column: e instanceof ParquetTypeError ? e.column : e.column,
            message: e.message,
          },
        ]);
      throw e;
    }
    const stamp = await stampOf(vePath);
    const pt = table;
    source$ = (async function* () {
      let firstRow = 0;
      for await (const c of pt.chunks(PARQUET_CHUNK_ROWS)) {
        const t: SourceTable = {
          ref: { name: veRef.name, kind: "csv" },
          header: pt.header,
          rows: c.rows,
          rowNumbers: c.rowNumbers,
        };
        yield { table: t, firstRow, last: firstRow + c.rows.length >= pt.rowCount, csv: null };
        firstRow += c.rows.length;
      }
    })();
    wb = await CsvFolderWorkbook.open(source, {
      outputFolder: target,
      streamed: { file: veFile, stamp, header: table.header },
    });
  } else {
    const scan = (csvScan = await scanCsvFile(vePath));
    if (scan.problem !== undefined)
      return inputErrors([
        {
          table: VALUE_ENTRIES.name,
          row: scan.problem.line,
          message: `${veFile} cannot be read as text: ${scan.problem.message}`,
        },
      ]);
    const chunks = csvChunks(vePath, scan.encoding, request.chunkChars ?? 512 << 10);
    const firstChunk = (await chunks.next()).value as CsvChunk;
    const fp = firstChunk.parsed;
    const headText =
      fp.headerSpan === null
        ? ""
        : fp.text.slice(0, fp.spans.length > 0 ? fp.spans[0].start : fp.text.length);
    const headWithBom = (scan.bom ? "\ufeff" : "") + headText;
    const asChunk = (c: CsvChunk): Chunk => {
      const p = c.parsed;
      const t: SourceTable = withRecordProblems(
        {
          ref: { name: veRef.name, kind: "csv" },
          header: p.header,
          rows: p.rows,
          rowNumbers: p.rowNumbers,
          numberStyle: p.numberStyle,
        },
        veFile,
        p
      );
      return { table: t, firstRow: c.firstRow, last: c.last, csv: c };
    };
    source$ = (async function* () {
      yield asChunk(firstChunk);
      for await (const c of chunks) yield asChunk(c);
    })();
    wb = await CsvFolderWorkbook.open(source, {
      outputFolder: target,
      streamed: {
        file: veFile,
        head: encodeText(headWithBom, scan.encoding),
        text: headWithBom,
        encoding: scan.encoding,
        stamp: scan.stamp,
        numberStyle: fp.numberStyle?.decimal != null ? fp.numberStyle : undefined,
      },
    });
  }

  say("Reading the setup and the ledger");
  let read;
  try {
    read = await readPostingInput(wb, { dateOrder: request.dateOrder });
  } catch (e) {
    return unreadable(e);
  }
  if (read.input === null || read.errors.length > 0) return inputErrors(read.errors);
  const input: PostingInput = read.input;
  const context: ReadContext = read.context;
  const veTableRef = context.tables.valueEntries!;
  const reader = new ValueEntryChunks(
    { ref: veTableRef, header: context.valueEntriesHeader, rows: [], rowNumbers: [] },
    read.readOptions,
    context
  );

  const id = newId();
  if (!inPlace) {
    await ensureDir(target, false);
    await recoverFolder(target);
  }
  const tables = new Map<string, StreamedCsvTable | StreamedParquetTable>();
  const pendingNew = new Map<string, string>();
  let rewrite: StreamedCsvRewrite | StreamedParquetRewrite | null = null;
  let rewrote = false;
  let spill: fs.FileHandle | null = null;
  // Named as the folder's temp files are, so that a killed run's is removed when the folder is next opened.
  const spillPath = path.join(target, `.contributions.glpost-${id}.tmp`);
  const discardAll = async () => {
    await Promise.all([...tables.values()].map((t) => t.discard()));
    await rewrite?.discard();
    await spill?.close().catch(() => undefined);
    await fs.rm(spillPath, { force: true }).catch(() => undefined);
  };

  const put = async (w: TableWrite) => {
    const t = wb.streamTarget(w, pendingNew);
    let table = tables.get(t.file);
    if (table === undefined) {
      const final = path.join(target, t.file);
      const { temp, mode } = await stagingPath(final, id);
      table = isParquetFile(t.file)
        ? new StreamedParquetTable(
            t.file,
            final,
            temp,
            mode,
            wb.contentOf(t.file) !== undefined ? path.join(source, t.file) : null,
            context.scale.decimals
          )
        : await StreamedCsvTable.create(t, final, temp, mode);
      tables.set(t.file, table);
      if (t.parsed === null) pendingNew.set(t.file, "");
    }
    await table.put(w);
  };

  const errors: InputError[] = [];
  const env = createEnv(input, options);
  const run = new PostingRun(input, options, env, null);
  const tb = new TrialBalanceBuilder();
  const skippedAll: PostingResult["skipped"] = [];
  const counts: OutcomeCounts = run.counts;
  let entriesRead = 0;
  let glEntriesWritten = 0;
  const started = Date.now();
  let lastSaid = 0;
  // Each chunk's writes are planned as a run's whose register is this one (Register Changes name it); its
  // row is written once, at the end, from finish().
  const registerStub: PostingResult["register"] = {
    no: run.registerNo,
    fromEntryNo: 0,
    toEntryNo: 0,
    creationDate: options.now.date,
    creationTime: options.now.time,
    sourceCode: input.settings.sourceCode,
    userId: options.userId,
    postingMethod: options.postingMethod,
    documentNo: "",
    entriesPosted: 0,
    entriesSkipped: 0,
    amountPosted: 0,
    inputFingerprint: "",
  };
  const headerLoose = looseHeader(context.valueEntriesHeader);

  try {
    const final = path.join(target, veFile);
    const { temp, mode } = await stagingPath(final, id);
    rewrite = parquet
      ? await StreamedParquetRewrite.create(
          final,
          temp,
          mode,
          context.valueEntriesHeader,
          parquetColumns
        )
      : await StreamedCsvRewrite.create(final, temp, csvScan!.encoding, csvScan!.bom, mode, veFile);
    if (run.perGroup) spill = await fs.open(spillPath, "wx");

    for await (const chunk of source$) {
      const table = chunk.table;
      table.ref = veTableRef;
      for (const x of table.problems ?? []) errors.push({ table: VALUE_ENTRIES.name, ...x });
      const { entries, rows, postedValues } = reader.read(table, errors);
      if (errors.length > 0) {
        if (errors.length >= MAX_ERRORS) break;
        continue; // keep reading, to report what else is wrong; nothing is written
      }
      const postedParts = new Uint8Array(entries.length);
      for (let i = 0; i < entries.length; i++) {
        run.add(entries[i], i);
        postedParts[i] = run.lastPostedParts;
      }
      const skipped = run.takeSkipped();
      for (const s of skipped) skippedAll.push({ ...s, index: chunk.firstRow + s.index });
      let glEntryTable: GLEntryTable | undefined;
      let relations: PostingResult["relations"] = {
        glRegisterNo: run.registerNo,
        glEntryNo: [],
        valueEntryNo: [],
      };
      if (!run.perGroup) {
        const taken = run.takeGLEntries();
        const t = (glEntryTable = taken.table);
        relations = {
          glRegisterNo: run.registerNo,
          glEntryNo: t.entryNos(),
          valueEntryNo: taken.valueEntryNos,
        };
        tb.add(t);
        glEntriesWritten += t.length;
      } else {
        let bytes: Buffer | null = null;
        run.takeContributions((groups, entryNos, count) => {
          bytes = Buffer.allocUnsafe(count * 12);
          for (let k = 0; k < count; k++) {
            bytes.writeInt32LE(groups[k], k * 12);
            bytes.writeDoubleLE(entryNos[k], k * 12 + 4);
          }
        });
        if (bytes !== null) await spill!.write(bytes);
      }
      const chunkInput: PostingInput = { ...input, valueEntries: entries };
      const chunkContext: ReadContext = {
        ...context,
        valueEntryRows: rows,
        valueEntriesRowCount: table.rows.length,
        postedValues,
      };
      const chunkResult: PostingResult = {
        options,
        glEntries: [],
        glEntryTable,
        relations,
        register: registerStub,
        postedParts,
        skipped,
        outcomes: [],
        counts,
        totals: run.totals,
        overriddenDimensionErrors: 0,
      };
      let update: TableWrite | null = null;
      for (const w of planWrites(chunkResult, chunkInput, chunkContext, null)) {
        if (w.kind === "update") {
          update = w;
          for (const c of w.columns)
            if (findColumn(headerLoose, c.name) < 0)
              errors.push({
                table: VALUE_ENTRIES.name,
                column: c.name,
                message: `The column "${c.name}" is missing: this run posts amounts that it records there, and a streamed run rewrites the file row by row, so it cannot add a column. Add the column (blank cells) and run again, or post without --stream.`,
              });
        } else if (w.kind === "append" && w.names === OUTPUT_TABLES.glRegisters.names) continue;
        else await put(w);
      }
      if (errors.length > 0) break;
      if (update !== null) rewrote = true;
      if (rewrite instanceof StreamedParquetRewrite) await rewrite.put(table.rows, update);
      else await rewrite.put(chunk.csv!, update);
      entriesRead += entries.length;
      // A line a second at most (and one for the last chunk).
      const now = Date.now();
      if (now - lastSaid >= (request.progressEveryMs ?? 1000) || chunk.last) {
        lastSaid = now;
        const s = (now - started) / 1000;
        say(
          `${entriesRead.toLocaleString("en")} value entries read, ${(run.perGroup ? counts.posted : glEntriesWritten).toLocaleString("en")} ${run.perGroup ? "posted" : "G/L entries"} (${Math.round(entriesRead / Math.max(s, 0.001)).toLocaleString("en")}/s, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB)`
        );
      }
    }
    if (errors.length === 0) reader.finish(errors);
    if (errors.length > 0) {
      await discardAll();
      return inputErrors(errors);
    }

    const end = run.finish();
    if (run.perGroup) {
      const table = end.glEntryTable;
      tb.add(table);
      glEntriesWritten = table.length;
      const result = {
        options,
        glEntries: [],
        relations: { glRegisterNo: run.registerNo, glEntryNo: [], valueEntryNo: [] },
        register: null,
        postedParts: new Uint8Array(0),
        skipped: [],
        outcomes: [],
        counts,
        totals: run.totals,
        overriddenDimensionErrors: 0,
      };
      // In blocks: the rows of every G/L entry at once would be many times the entries' own size.
      for (let from = 0; from < table.length; from += BLOCK_ROWS) {
        const block = {
          ...result,
          glEntryTable: table.range(from, Math.min(table.length, from + BLOCK_ROWS)),
        };
        for (const w of planWrites(block, { ...input, valueEntries: [] }, context, null))
          if (w.kind === "append" && w.names === OUTPUT_TABLES.glEntries.names) await put(w);
      }
      // The relation rows, from the contributions written out: each group's G/L Entry No. is now known.
      await spill!.close();
      spill = null;
      say("Writing the G/L - Item Ledger Relation");
      await relationRows(spillPath, end.glEntryNoOfGroup, async (rows) => {
        for (const w of planWrites(
          {
            ...result,
            glEntries: [],
            relations: {
              glRegisterNo: run.registerNo,
              glEntryNo: rows.gl,
              valueEntryNo: rows.ve,
            },
          },
          { ...input, valueEntries: [] },
          context,
          null
        ))
          if (w.kind === "append" && w.names === OUTPUT_TABLES.glItemLedgerRelation.names)
            await put(w);
      });
    }
    // Balanced per posting date in LCY and ACY, and the totals are the entries', asserted before the commit.
    const balance = tb.result(run.totals);
    if (balance.problem !== null) throw new InvariantError(balance.problem);
    const beyond = runBeyondBound({
      glEntries:
        end.register === null
          ? []
          : [{ entryNo: end.register.toEntryNo, transactionNo: run.lastTransactionNo }],
      register: end.register,
    });
    if (beyond !== null) {
      await discardAll();
      return inputErrors([beyond]);
    }
    if (end.register !== null) await put(planRegisterAppend(end.register, context));
    await put(planRunSummary(balance, end.register?.no ?? null, context));

    // Stage: the tables written; Value Entries only when it changed (or for another output folder).
    const staged: StagedFile[] = [];
    for (const t of tables.values()) staged.push(await t.close());
    if (rewrote || !inPlace) staged.push(await rewrite.close());
    else await rewrite.discard();
    rewrite = null;
    await fs.rm(spillPath, { force: true });
    if (!inPlace) {
      const written = new Set([...tables.keys(), veFile]);
      for (const file of wb.fileNames()) {
        if (written.has(file)) continue;
        const final = path.join(target, file);
        const { temp } = await stagingPath(final, id);
        await fs.writeFile(temp, wb.contentOf(file)!, { flag: "wx" });
        const content = wb.contentOf(file)!;
        staged.push({
          final,
          temp,
          size: content.length,
          sha256: sha256(content),
        });
      }
    }
    say("Committing");
    tables.clear();
    await commitFolder(target, [], {
      staged,
      id,
      inPlace,
      guard: () => wb.checkUnchanged(),
    });
    const summary = summarize(
      {
        options,
        glEntries: [],
        relations: { glRegisterNo: run.registerNo, glEntryNo: [], valueEntryNo: [] },
        register: end.register,
        postedParts: new Uint8Array(0),
        skipped: skippedAll,
        outcomes: [],
        counts,
        totals: run.totals,
        amountByAccountType: run.amountByAccountType,
        overriddenDimensionErrors: run.overriddenDimensionErrors,
      },
      context,
      balance
    );
    summary.glEntries = glEntriesWritten;
    return { kind: "done", summary };
  } catch (e) {
    await discardAll();
    // A Parquet cell that cannot be read for sure: an input error on its row and column.
    if (e instanceof ParquetReadError)
      return inputErrors([
        {
          table: e.file === vePath ? VALUE_ENTRIES.name : path.basename(e.file),
          row: e.row,
          column: e.column,
          message: e.message,
        },
      ]);
    if (e instanceof Error && e.name === "MoneyOverflowError") return unreadable(e);
    if (e instanceof InvariantError) return internalError(e);
    return writeFailed(e);
  }
}

/** Reads the contributions written out and gives their relation rows, a block at a time. */
async function relationRows(
  file: string,
  glEntryNoOfGroup: Float64Array,
  to: (rows: { gl: number[]; ve: number[] }) => Promise<void>
): Promise<void> {
  let carry = Buffer.alloc(0);
  for await (const raw of createReadStream(file, { highWaterMark: 12 * BLOCK_ROWS })) {
    const block = carry.length > 0 ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer);
    const n = Math.floor(block.length / 12);
    const gl: number[] = new Array(n);
    const ve: number[] = new Array(n);
    for (let k = 0; k < n; k++) {
      gl[k] = glEntryNoOfGroup[block.readInt32LE(k * 12)];
      ve[k] = block.readDoubleLE(k * 12 + 4);
    }
    carry = Buffer.from(block.subarray(n * 12));
    if (n > 0) await to({ gl, ve });
  }
}
