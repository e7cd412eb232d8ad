/**
 * The commit protocol every file adapter uses (workbook.md, Safety; cli.md exit 3), in one place:
 *
 * - Lock: an O_EXCL lock file held from the read to the end of the commit, so two runs on one workbook
 *   never interleave. `<file>.glpost-lock` beside an .xlsx/.json file, `.glpost-lock` inside a CSV folder
 *   (symlinks resolved first, so a link and its target share one lock). Its content is one JSON line:
 *   `{"glpost":"lock","owner":"ALICE","host":"pc1","pid":4242,"started":"2026-12-02T06:00:00.000Z","command":"post"}`.
 *   A live lock refuses the run (LockHeldError). A stale one (same host, its pid no longer running) is
 *   taken over under a second O_EXCL file (`<lock>.takeover`), so two runs cannot both take it; the run
 *   says so. A lock from another host, or one that cannot be read, is never taken: the message says who
 *   holds it since when and what to do.
 * - Snapshot: size, mtime and SHA-256 of a file as read; checked again under the lock just before the
 *   commit point, so an edit by someone who does not take the lock (Excel, a text editor) is not lost.
 * - One file (.xlsx, .json): written to a temporary file beside its real target, fsynced, renamed over it.
 * - A CSV folder: every output file staged as a temporary file, then the commit journal
 *   `.glpost-journal` (written to a temporary name, fsynced, renamed into place: the commit point), then
 *   the renames, then the journal is removed. Journal, one JSON object:
 *   `{"glpost":"commit-journal","version":1,"id":"<hex>","created":"<ISO time>","renames":[{"from":
 *   ".Value Entries.csv.glpost-<hex>.tmp","to":"Value Entries.csv","size":123,"sha256":"<hex>"}, ...]}`
 *   (paths relative to the folder). A run that opens a folder holding a journal completes the renames
 *   first (roll forward); temporary files without a journal are removed (the commit never happened).
 * - Failures: an I/O error becomes WriteFailedError (exit 3) with the path, the OS error and the state the
 *   files are in; temporary files are removed on every path except a half-done folder commit, whose
 *   remaining temporary files are what the next run renames into place.
 */
import { createHash, randomBytes } from "crypto";
import { createReadStream, promises as fs, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { ConcurrentChangeError, WriteFailedError, type WriteFailureState } from "../workbook/port";

// ---------------------------------------------------------------------------------------------
// Errors

/** True for an error that comes from the OS (an errno code such as ENOSPC), not from a bug. */
export function isOsError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  // Not instanceof Error: Node's own errors come from another realm under test runners (jest's vm).
  const code = typeof e === "object" && e !== null ? (e as NodeJS.ErrnoException).code : undefined;
  return (
    typeof code === "string" &&
    /^E[A-Z0-9]+$/.test(code) &&
    typeof (e as Error).message === "string"
  );
}

const STATE_TEXT: Record<Exclude<WriteFailureState, "halfDone">, string> = {
  nothingWritten: "Nothing was written.",
  inputUnchanged: "Nothing was written; the input is unchanged.",
};

/** An OS error as a WriteFailedError naming the path; ConcurrentChangeError, WriteFailedError and bugs pass through. */
export function writeFailure(
  e: unknown,
  file: string,
  state: Exclude<WriteFailureState, "halfDone">
): unknown {
  if (e instanceof WriteFailedError || e instanceof ConcurrentChangeError || !isOsError(e))
    return e;
  return new WriteFailedError(file, e.code, osText(e), state, STATE_TEXT[state]);
}

/** "no space left on device (ENOSPC)": the OS message without Node's "ENOSPC: ..., open '/x'" framing. */
function osText(e: NodeJS.ErrnoException & { code: string }): string {
  const m = /^[A-Z0-9]+: ([^,]+)/.exec(e.message);
  return `${m ? m[1] : e.message} (${e.code})`;
}

// ---------------------------------------------------------------------------------------------
// Snapshot: what a file was when it was read

export interface FileStamp {
  file: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The SHA-256 of a file, read in blocks (a streamed Value Entries file may be larger than a Buffer can hold). */
export async function sha256OfFile(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const block of createReadStream(file, { highWaterMark: 1 << 22 }))
    h.update(block as Buffer);
  return h.digest("hex");
}

/** The stamp of a file as read (bytes: its content as read, to avoid reading it twice). */
export async function stampOf(file: string, bytes?: Uint8Array): Promise<FileStamp> {
  const digest = bytes !== undefined ? sha256(bytes) : await sha256OfFile(file);
  const st = await fs.stat(file);
  return { file, size: st.size, mtimeMs: st.mtimeMs, sha256: digest };
}

/** Throws ConcurrentChangeError when the file is gone or differs from its stamp (size, mtime, SHA-256). */
export async function checkUnchanged(stamp: FileStamp, label = stamp.file): Promise<void> {
  let st;
  try {
    st = await fs.stat(stamp.file);
  } catch {
    throw new ConcurrentChangeError(
      `${label} was moved or deleted since it was read. Nothing was written; run again.`
    );
  }
  if (
    st.size !== stamp.size ||
    st.mtimeMs !== stamp.mtimeMs ||
    (await sha256OfFile(stamp.file)) !== stamp.sha256
  )
    throw new ConcurrentChangeError(
      `${label} was changed by someone else since it was read. Nothing was written; run again.`
    );
}

// ---------------------------------------------------------------------------------------------
// Paths

/** The file a write to `file` lands in: a symlink's target (the link stays a link), else the path itself. */
export async function realTarget(file: string): Promise<string> {
  const abs = path.resolve(file);
  try {
    return await fs.realpath(abs);
  } catch {
    // Missing: resolve the folder (it may be a link) and keep the name; a dangling link: its target.
    const link = await fs.readlink(abs).catch(() => null);
    if (link !== null) return path.resolve(path.dirname(abs), link);
    const dir = await fs.realpath(path.dirname(abs)).catch(() => path.dirname(abs));
    return path.join(dir, path.basename(abs));
  }
}

const TEMP_SUFFIX = /\.glpost-[0-9a-f]{12}\.tmp$/;

export function tempName(finalPath: string, id: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.glpost-${id}.tmp`);
}

export function newId(): string {
  return randomBytes(6).toString("hex");
}

/**
 * Removes temporary files a killed run left in a folder (only for `name` when given). Call it holding the
 * lock, after any journal was rolled forward: then no temporary file of ours is still needed.
 */
export async function removeLeftoverTemps(dir: string, name?: string): Promise<string[]> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const prefix = name === undefined ? "." : `.${name}.glpost-`;
  const gone: string[] = [];
  for (const e of entries) {
    if (
      !e.startsWith(prefix) ||
      !(
        TEMP_SUFFIX.test(e) ||
        (name === undefined && /^\.glpost-journal\.[0-9a-f]{12}\.tmp$/.test(e))
      )
    )
      continue;
    await fs.unlink(path.join(dir, e)).then(
      () => gone.push(e),
      () => undefined
    );
  }
  return gone;
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the renames durable; not every platform can open a folder for fsync (Windows): best effort.
  const fh = await fs.open(dir, "r").catch(() => null);
  if (fh === null) return;
  await fh.sync().catch(() => undefined);
  await fh.close().catch(() => undefined);
}

/** Writes a new file (it must not exist), fsynced; chunks are written one by one (no single huge string). */
async function writeNewFile(
  file: string,
  content: Uint8Array | Iterable<Uint8Array | string>,
  mode?: number
): Promise<void> {
  const fh = await fs.open(file, "wx", mode);
  try {
    if (content instanceof Uint8Array) await fh.writeFile(content);
    else {
      let buf: string[] = [];
      let size = 0;
      for (const chunk of content) {
        if (typeof chunk === "string") {
          buf.push(chunk);
          size += chunk.length;
          if (size < 1 << 20) continue;
          await fh.write(buf.join(""), null, "utf8");
          buf = [];
          size = 0;
        } else {
          if (buf.length > 0) await fh.write(buf.join(""), null, "utf8");
          buf = [];
          size = 0;
          await fh.write(chunk);
        }
      }
      if (buf.length > 0) await fh.write(buf.join(""), null, "utf8");
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Permissions of the file being replaced (kept), or undefined for a new file. */
async function modeOf(file: string): Promise<number | undefined> {
  return fs.stat(file).then(
    (s) => s.mode & 0o777,
    () => undefined
  );
}

/** Creates the folder an output goes to; an OS error is a WriteFailedError ("nothing was written"). */
export async function ensureDir(dir: string, inPlace: boolean): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw writeFailure(e, dir, inPlace ? "inputUnchanged" : "nothingWritten");
  }
}

// ---------------------------------------------------------------------------------------------
// One file: temp + rename

export interface SaveOptions {
  /** Re-checks, just before the rename, that the input is as it was read (throws ConcurrentChangeError). */
  guard?: () => Promise<void>;
  /** The output is the input (in place): a failure leaves "the input unchanged". */
  inPlace: boolean;
}

/**
 * Saves a file atomically: a temporary file beside its real target, fsynced, the guard, one rename. A
 * reader sees the old file or the new one. Returns the path written (a symlink's target). On failure the
 * temporary file is removed and the error is a WriteFailedError (I/O), ConcurrentChangeError or a bug.
 */
export async function saveFile(
  target: string,
  content: Uint8Array | Iterable<Uint8Array | string>,
  options: SaveOptions
): Promise<string> {
  const state = options.inPlace ? "inputUnchanged" : "nothingWritten";
  let real = path.resolve(target);
  let temp: string | null = null;
  try {
    real = await realTarget(target);
    const mode = await modeOf(real);
    const t = tempName(real, newId());
    temp = t; // set first: a write that fails midway leaves a file to remove
    await writeNewFile(t, content, mode);
    if (mode !== undefined) await fs.chmod(t, mode);
    await options.guard?.();
    await fs.rename(t, real);
    temp = null;
    await fsyncDir(path.dirname(real));
    return real;
  } catch (e) {
    if (temp !== null) await fs.rm(temp, { force: true }).catch(() => undefined);
    throw writeFailure(e, real, state);
  }
}

// ---------------------------------------------------------------------------------------------
// A CSV folder: staged files, a journal, renames

export const JOURNAL_NAME = ".glpost-journal";

export interface JournalRename {
  /** Temporary file, relative to the folder. */
  from: string;
  /** Final file, relative to the folder (outside it for a symlinked file: "../shared/x.csv"). */
  to: string;
  size: number;
  sha256: string;
}

export interface Journal {
  glpost: "commit-journal";
  version: 1;
  id: string;
  created: string;
  renames: JournalRename[];
}

export interface FolderFile {
  /** Where the file goes (a symlink is written through to its target). */
  final: string;
  content: Uint8Array;
}

/** A file written beforehand to its temp name (StagedFile.temp, from stagingPath) by a streamed writer. */
export interface StagedFile {
  final: string;
  temp: string;
  size: number;
  sha256: string;
}

export interface FolderCommitOptions extends SaveOptions {
  progress?: (done: number, total: number, what: string) => void;
  /** Files already written to their temp names (a streamed run), committed with the others. */
  staged?: StagedFile[];
  /** The id of the staged files' temp names (stagingPath's). */
  id?: string;
}

/**
 * Where a streamed writer writes `final` before a commitFolder with the same id: the temp name beside the file
 * the write lands in (a symlink's target), with that file's permissions.
 */
export async function stagingPath(
  final: string,
  id: string
): Promise<{ temp: string; mode: number | undefined }> {
  const real = await realTarget(final);
  return { temp: tempName(real, id), mode: await modeOf(real) };
}

/**
 * Commits a set of files into a folder so that a glpost reader sees the old state or the new one, never a
 * mix: stage, guard, journal (the commit point), renames, journal removed. A rename failing midway leaves
 * the journal: WriteFailedError 'halfDone', and the next open of the folder (recoverFolder) completes it.
 */
export async function commitFolder(
  folder: string,
  files: FolderFile[],
  options: FolderCommitOptions
): Promise<void> {
  const state = options.inPlace ? "inputUnchanged" : "nothingWritten";
  const id = options.id ?? newId();
  const staged: { temp: string; real: string; size: number; sha256: string }[] = [];
  for (const f of options.staged ?? [])
    staged.push({ temp: f.temp, real: await realTarget(f.final), size: f.size, sha256: f.sha256 });
  const journalPath = path.join(folder, JOURNAL_NAME);
  const journalTemp = path.join(folder, `${JOURNAL_NAME}.${id}.tmp`);
  let current = folder;
  try {
    let done = 0;
    for (const f of files) {
      current = f.final;
      const real = await realTarget(f.final);
      current = real;
      const mode = await modeOf(real);
      const temp = tempName(real, id);
      staged.push({ temp, real, size: f.content.length, sha256: sha256(f.content) });
      await writeNewFile(temp, f.content, mode);
      if (mode !== undefined) await fs.chmod(temp, mode);
      options.progress?.(++done, files.length, path.basename(f.final));
    }
    await options.guard?.();
    const journal: Journal = {
      glpost: "commit-journal",
      version: 1,
      id,
      created: new Date().toISOString(),
      renames: staged.map((s) => ({
        from: path.relative(folder, s.temp),
        to: path.relative(folder, s.real),
        size: s.size,
        sha256: s.sha256,
      })),
    };
    current = journalPath;
    await writeNewFile(journalTemp, [JSON.stringify(journal) + "\n"]);
    for (const dir of new Set(staged.map((s) => path.dirname(s.real)))) await fsyncDir(dir);
    await fs.rename(journalTemp, journalPath);
    await fsyncDir(folder);
  } catch (e) {
    await Promise.all(
      [...staged.map((s) => s.temp), journalTemp].map((t) =>
        fs.rm(t, { force: true }).catch(() => undefined)
      )
    );
    throw writeFailure(e, current, state);
  }
  // Past the commit point: the journal says what the folder will hold.
  await applyJournal(
    folder,
    journalPath,
    staged.map((s) => ({ temp: s.temp, real: s.real }))
  );
}

/** Performs the renames of a journal in order, then removes it; a failure leaves it (halfDone). */
async function applyJournal(
  folder: string,
  journalPath: string,
  renames: { temp: string; real: string }[]
): Promise<void> {
  let i = 0;
  try {
    for (; i < renames.length; i++) {
      const r = renames[i];
      const exists = await fs.lstat(r.temp).then(
        () => true,
        () => false
      );
      // A temp that is gone was renamed before (a run that stopped midway).
      if (exists) await renameRetrying(r.temp, r.real);
    }
    for (const dir of new Set(renames.map((r) => path.dirname(r.real)))) await fsyncDir(dir);
    await fs.unlink(journalPath);
    await fsyncDir(folder);
  } catch (e) {
    if (!isOsError(e)) throw e;
    const failed = i < renames.length ? renames[i].real : journalPath;
    const left = renames.slice(i).map((r) => path.basename(r.real));
    const stateText =
      i < renames.length
        ? `The commit is half done: ${i} of ${renames.length} files are in place, not yet ${left.join(", ")}. ` +
          `The journal ${journalPath} records the rest: the next glpost run on ${folder} completes it (close the file if another program holds it).`
        : `Every file is in place but the journal ${journalPath} could not be removed: the next glpost run on ${folder} finishes it.`;
    throw new WriteFailedError(failed, e.code, osText(e), "halfDone", stateText);
  }
}

/** EBUSY is often brief (a virus scanner, Excel's preview): try a few times before giving up. */
async function renameRetrying(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (e) {
      if (!(isOsError(e) && e.code === "EBUSY" && attempt < 2)) throw e;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

export interface Recovery {
  /** The interrupted commit's journal as found. */
  journal: Journal;
  /** Files renamed into place now (the rest had been before the interruption). */
  completed: number;
}

/**
 * Before a folder is read (holding its lock): completes a commit a previous run left half done (its journal
 * is there), then removes temporary files that no journal names. Returns what was completed, or null.
 */
export async function recoverFolder(folder: string): Promise<Recovery | null> {
  const journalPath = path.join(folder, JOURNAL_NAME);
  let text: string | null = null;
  try {
    text = await fs.readFile(journalPath, "utf8");
  } catch (e) {
    if (!(isOsError(e) && e.code === "ENOENT")) throw e;
  }
  let recovery: Recovery | null = null;
  if (text !== null) {
    const journal = parseJournal(text, journalPath);
    const renames = journal.renames.map((r) => ({
      temp: path.resolve(folder, r.from),
      real: path.resolve(folder, r.to),
      r,
    }));
    let completed = 0;
    for (const { temp, r } of renames) {
      // Checked in blocks: a streamed run's Value Entries may be larger than a Buffer can hold.
      const st = await fs.stat(temp).catch((e: unknown) => {
        if (isOsError(e) && e.code === "ENOENT") return null;
        throw e;
      });
      if (st === null) continue;
      if (st.size !== r.size || (await sha256OfFile(temp)) !== r.sha256)
        throw new Error(
          `${journalPath}: the staged file ${temp} is not what the interrupted run wrote (size or SHA-256 differ); the folder cannot be completed safely. Restore the folder from a backup.`
        );
      completed++;
    }
    await applyJournal(folder, journalPath, renames);
    recovery = { journal, completed };
  }
  await removeLeftoverTemps(folder);
  return recovery;
}

function parseJournal(text: string, file: string): Journal {
  let j: Journal;
  try {
    j = JSON.parse(text) as Journal;
  } catch (e) {
    throw new Error(
      `${file} (the journal of an interrupted commit) cannot be read: ${(e as Error).message}. Restore the folder from a backup.`
    );
  }
  const ok =
    j !== null &&
    j.glpost === "commit-journal" &&
    j.version === 1 &&
    Array.isArray(j.renames) &&
    j.renames.every(
      (r) =>
        typeof r.from === "string" &&
        typeof r.to === "string" &&
        typeof r.size === "number" &&
        typeof r.sha256 === "string"
    );
  if (!ok)
    throw new Error(
      `${file} is not a glpost commit journal this version can complete (version ${String((j as { version?: unknown })?.version)}).`
    );
  return j;
}

// ---------------------------------------------------------------------------------------------
// The lock

export interface LockInfo {
  glpost: "lock";
  owner: string;
  host: string;
  pid: number;
  /** ISO time the lock was taken. */
  started: string;
  command?: string;
}

/** Another run holds the workbook (exit 1): who, since when, and what to do. */
export class LockHeldError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockInfo | null,
    /** The holder is known to be gone but the lock could not be taken over (or cannot be verified). */
    readonly stale: boolean,
    message: string
  ) {
    super(message);
    this.name = "LockHeldError";
  }
}

export interface HeldLock {
  path: string;
  info: LockInfo;
  /** The stale lock this run took over (its holder was no longer running), else null. */
  tookOver: LockInfo | null;
  release(): Promise<void>;
}

/** The lock file for an input: `<file>.glpost-lock` beside a file, `.glpost-lock` inside a folder. */
export async function lockPathFor(input: string, isFolder: boolean): Promise<string> {
  const real = await realTarget(input);
  return isFolder
    ? path.join(real, ".glpost-lock")
    : path.join(path.dirname(real), `${path.basename(real)}.glpost-lock`);
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readLock(
  file: string
): Promise<{ info: LockInfo | null; mtimeMs: number; text: string } | null> {
  try {
    const [text, st] = await Promise.all([fs.readFile(file, "utf8"), fs.stat(file)]);
    let info: LockInfo | null = null;
    try {
      const j = JSON.parse(text) as LockInfo;
      if (j && j.glpost === "lock" && typeof j.pid === "number" && typeof j.host === "string")
        info = j;
    } catch {
      info = null;
    }
    return { info, mtimeMs: st.mtimeMs, text };
  } catch (e) {
    if (isOsError(e) && e.code === "ENOENT") return null;
    throw e;
  }
}

function holderText(info: LockInfo): string {
  return `${info.owner || "an unknown user"} on ${info.host} (process ${info.pid}${info.command ? `, glpost ${info.command}` : ""}) since ${info.started}`;
}

async function createLock(file: string, info: LockInfo): Promise<boolean> {
  try {
    await writeNewFile(file, [JSON.stringify(info) + "\n"]);
    return true;
  } catch (e) {
    if (isOsError(e) && e.code === "EEXIST") return false;
    throw e;
  }
}

/**
 * Takes the lock or throws LockHeldError. `what` names the workbook in messages. An OS error creating the
 * lock (a read-only folder) is thrown as is: the caller decides (a run that writes elsewhere may go on).
 */
export async function acquireLock(
  lockPath: string,
  what: string,
  command?: string
): Promise<HeldLock> {
  const info: LockInfo = {
    glpost: "lock",
    owner: currentUser(),
    host: os.hostname(),
    pid: process.pid,
    started: new Date().toISOString(),
    command,
  };
  let tookOver: LockInfo | null = null;
  for (let attempt = 0; ; attempt++) {
    if (await createLock(lockPath, info)) break;
    const found = await readLock(lockPath);
    if (found === null) continue; // released meanwhile: try again
    const h = found.info;
    if (h === null) {
      // Being written this instant, or left empty by a crash right after it was created.
      const old = Date.now() - found.mtimeMs > 10_000;
      if (!old && attempt < 20) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      throw new LockHeldError(
        lockPath,
        null,
        old,
        `${what} is locked by another glpost run (the lock file ${lockPath} holds no owner${old ? ", and is older than 10 seconds" : ""}). If no glpost run is using it, delete ${lockPath} and run again.`
      );
    }
    if (h.host !== os.hostname())
      throw new LockHeldError(
        lockPath,
        h,
        false,
        `${what} is being posted by ${holderText(h)}. Wait until that run ends and run again; if no glpost run is active on ${h.host}, delete ${lockPath} and run again.`
      );
    if (alive(h.pid) || attempt >= 3)
      throw new LockHeldError(
        lockPath,
        h,
        false,
        `${what} is being posted by ${holderText(h)}. Wait until that run ends and run again; if that process is not glpost, delete ${lockPath} and run again.`
      );
    // Stale: same host, its process is gone. Take it over under a second exclusive file.
    const taken = await takeOver(lockPath, found.text, info);
    if (taken === "busy")
      throw new LockHeldError(
        lockPath,
        h,
        true,
        `${what} is locked by ${holderText(h)}, a process that is no longer running, and another run is taking the lock over right now. Run again in a moment; if this persists, delete ${lockPath} and ${lockPath}.takeover.`
      );
    if (taken === "done") {
      tookOver = h;
      break;
    }
  }
  let released = false;
  const onExit = () => {
    if (!released) rmSync(lockPath, { force: true });
  };
  // Ctrl-C or a kill: the lock goes, then the signal's default action (a half-done commit is completed
  // or discarded by the next run, so removing the lock here is safe). SIGKILL leaves it: stale, taken over.
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    released = true;
    process.kill(process.pid, signal);
  };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    path: lockPath,
    info,
    tookOver,
    release: async () => {
      if (released) return;
      released = true;
      process.removeListener("exit", onExit);
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      const now = await readLock(lockPath).catch(() => null);
      // Only our own lock is removed (never one a later run took over).
      if (
        now !== null &&
        now.info !== null &&
        now.info.pid === info.pid &&
        now.info.started === info.started &&
        now.info.host === info.host
      )
        await fs.unlink(lockPath).catch(() => undefined);
    },
  };
}

/** 'done': the stale lock is now ours; 'retry': it changed meanwhile; 'busy': another run is taking it over. */
async function takeOver(
  lockPath: string,
  staleText: string,
  info: LockInfo
): Promise<"done" | "retry" | "busy"> {
  const guard = `${lockPath}.takeover`;
  if (!(await createLock(guard, info))) {
    // A takeover file left by a run killed in these few lines: old ones are stale too.
    const g = await readLock(guard);
    if (g !== null && g.info !== null && g.info.host === os.hostname() && !alive(g.info.pid)) {
      await fs.rm(guard, { force: true });
      return "retry";
    }
    return "busy";
  }
  try {
    const again = await readLock(lockPath);
    if (again === null || again.text !== staleText) return "retry";
    await fs.unlink(lockPath);
    return (await createLock(lockPath, info)) ? "done" : "retry";
  } finally {
    await fs.rm(guard, { force: true });
  }
}
