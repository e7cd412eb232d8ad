/** Help texts per command (`glpost <command> --help`), "did you mean" for misspellings, and --version. */
import * as fs from "fs";
import * as path from "path";

const READING =
  "Every command that reads a workbook takes --date-order dmy|mdy|ymd: how slashed dates such as 1/5/2026 read (default: the Settings' Date Order, else auto).";
const INPUT =
  "<input> is an .xlsx file, a folder of CSV files or a .json file; without --out it is updated in place.";
const FILTERS =
  "Filters in BC syntax: A|B, A&B, A..B, ..B, A.., <>A, <A, >=A, A*, A?, @a, '' (blank), ( ); dates as yyyy-mm-dd.";

/** Per command: its usage line(s) and what it does. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  post: `glpost post <input> [--out <output>] [--method entry|group] [--document-no <no>]
            [--item <filter>] [--date <filter>] [--dry-run] [--json] [--user <user id>] [--stream]

Post Inventory Cost to G/L: posts the value entries' unposted cost as G/L entries, writes G/L Entries,
G/L - Item Ledger Relation, G/L Registers, Skipped Entries and Run Summary (the run's trial balance), and
updates the Value Entries' posted columns. --method defaults to group, which needs --document-no; --method
entry posts one set of G/L entries per value entry with the entries' own document numbers.
--dry-run computes everything and writes nothing unless --out is given; it prints the trial balance and the
skipped entries. --stream posts a CSV folder whose Value Entries are too many to hold in memory, a chunk at
a time (Value Entries in Entry No. order; progress on stderr). ${FILTERS}
${INPUT}`,
  check: `glpost check <input> [--out <output>] [--method entry|group] [--document-no <no>] [--only-warnings] [--json]

The test report (Post Inventory Cost to G/L - Test): every line that would post, with its warnings, printed
as a table. Writes the report table only with --out (the input is never changed).
${INPUT}`,
  reconcile: `glpost reconcile <input> [--out <output>] [--date <filter>] [--item <filter>] [--location <filter>] [--json]

Inventory - G/L Reconciliation: the inventory ledger against the G/L per account type, each difference
explained by cause; writes the matrix and Reconciliation Detail. ${FILTERS}
${INPUT}`,
  trace: `glpost trace <input> (--gl-entry <no> | --value-entry <no>) [--json]

From a G/L entry to the value entries it came from (or back), through G/L - Item Ledger Relation.`,
  repair: `glpost repair <input> [--out <output>] [--json] [--user <user id>]

Completes or rolls back a run that was interrupted while writing.
${INPUT}`,
  undo: `glpost undo <input> [--register <no>] [--out <output>] [--json]

Takes back the last run: removes its G/L entries, relation rows and register, and sets the posted columns back.
${INPUT}`,
  init: `glpost init <output .xlsx | folder | .json>

A new workbook to paste your own Business Central data into: every input table empty with its columns, a
Settings table with the defaults, and a README saying what goes where, which columns are required and how
to get each table out of Business Central. Never overwrites an existing file (or a folder that is not empty).`,
};

export function commandHelp(command: string): string {
  const text = COMMAND_HELP[command];
  return `Usage:\n  ${text.split("\n").join("\n  ")}\n\n${command === "init" || command === "trace" ? "" : READING + "\n"}`;
}

/** Levenshtein distance (small strings: options and commands). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The candidate closest to `word` when it is close enough to be a typo (a third of its length, at least 2), else null. */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

/** " Did you mean "x"?" or "". */
export function suggestion(word: string, candidates: readonly string[]): string {
  const s = didYouMean(word, candidates);
  return s === null ? "" : ` Did you mean "${s}"?`;
}

/** The version in package.json (found upward from this file: src/cli in tests, lib/src/cli when built). */
export function version(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here: one folder up
    }
  }
  return "unknown";
}
