/** Argument parsing for glpost (cli.md). Wrong usage is exit code 2, with a message saying what is wrong. */
import { DATE_ORDERS, type DateOrder } from "../workbook/dateOrder";
import { COMMAND_HELP, suggestion } from "./usage";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Command =
  "post" | "check" | "reconcile" | "undo" | "repair" | "trace" | "init" | "help" | "version";

export interface Args {
  command: Command;
  /** help: the command whose help is asked for (`glpost post --help`), else the general usage. */
  helpFor?: string;
  input: string;
  out?: string;
  method?: "entry" | "group";
  documentNo?: string;
  item?: string;
  date?: string;
  location?: string;
  dryRun: boolean;
  onlyWarnings: boolean;
  json: boolean;
  user?: string;
  /** How slashed dates read (workbook.md): dmy, mdy or ymd. */
  dateOrder?: DateOrder;
  /** trace: the start entry (text as given; checked in parseArgs). */
  glEntry?: string;
  valueEntry?: string;
  /** undo: the register (text as given; checked in parseArgs). */
  register?: string;
  /** post: read, post and write a CSV folder's Value Entries a chunk at a time (app/stream.ts). */
  stream?: boolean;
}

const VALUE_OPTIONS: Record<string, keyof Args> = {
  "--out": "out",
  "--method": "method",
  "--document-no": "documentNo",
  "--item": "item",
  "--date": "date",
  "--location": "location",
  "--user": "user",
  "--date-order": "dateOrder",
  "--gl-entry": "glEntry",
  "--value-entry": "valueEntry",
  "--register": "register",
};
const FLAGS: Record<string, keyof Args> = {
  "--dry-run": "dryRun",
  "--only-warnings": "onlyWarnings",
  "--json": "json",
  "--stream": "stream",
};

/** Options each command takes (cli.md). */
const ALLOWED: Record<Exclude<Command, "help" | "version">, string[]> = {
  init: ["--json"],
  post: [
    "--out",
    "--method",
    "--document-no",
    "--item",
    "--date",
    "--dry-run",
    "--json",
    "--user",
    "--date-order",
    "--stream",
  ],
  check: ["--out", "--method", "--document-no", "--only-warnings", "--json", "--date-order"],
  reconcile: ["--out", "--date", "--item", "--location", "--json", "--date-order"],
  undo: ["--register", "--out", "--json", "--date-order"],
  repair: ["--out", "--json", "--date-order", "--user"],
  trace: ["--gl-entry", "--value-entry", "--json", "--date-order"],
};

export const USAGE = `Usage:
  glpost post   <input> [--out <output>] [--method entry|group] [--document-no <no>]
                [--item <filter>] [--date <filter>] [--dry-run] [--json] [--user <user id>] [--stream]
  glpost check  <input> [--out <output>] [--method entry|group] [--document-no <no>] [--only-warnings] [--json]
  glpost repair <input> [--out <output>] [--json]   (completes or rolls back a run that was interrupted while writing)
  glpost reconcile <input> [--out <output>] [--date <filter>] [--item <filter>] [--location <filter>] [--json]
  glpost trace  <input> (--gl-entry <no> | --value-entry <no>) [--json]
  glpost undo   <input> [--register <no>] [--out <output>] [--json]   (takes back the last run: only a register with no later one)
  glpost init   <output .xlsx | folder | .json>   (a new workbook with every input table, Settings and a README)
  glpost --version | glpost <command> --help

<input> is an .xlsx file, a folder of CSV files or a .json file; without --out it is updated in place.
Every command takes --date-order dmy|mdy|ymd: how slashed dates such as 1/5/2026 read (default: Settings' Date Order, else auto).
--method defaults to group, which needs --document-no. Filters in BC syntax: A|B, A&B, A..B, ..B, A.., <>A, <A, >=A, A*, A?, @a, '' (blank), ( ); dates as yyyy-mm-dd.
Exit codes: 0 done (also with skipped entries), 1 input errors (or the workbook is locked by another run),
2 wrong usage, 3 a write or I/O failure (path, OS error, state of the files), 4 an internal error (nothing written).`;

export function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  const bare = { input: "", dryRun: false, onlyWarnings: false, json: argv.includes("--json") };
  if (command === "--version" || command === "-V" || command === "version")
    return { command: "version", ...bare };
  if (command === undefined || command === "help" || command === "--help" || command === "-h")
    return {
      command: "help",
      helpFor: rest[0] !== undefined && rest[0] in COMMAND_HELP ? rest[0] : undefined,
      ...bare,
    };
  if (command in ALLOWED && (rest.includes("--help") || rest.includes("-h")))
    return { command: "help", helpFor: command, ...bare };
  if (command.startsWith("-") && !(command in ALLOWED))
    throw new UsageError(
      `"${command}" is not a command; put the command first (glpost post <input> ...).${suggestion(command, ["--version", "--help"])}`
    );
  if (!(command in ALLOWED))
    throw new UsageError(
      `Unknown command "${command}". Commands: post, check, repair, reconcile, trace, undo, init.${suggestion(command, Object.keys(ALLOWED))}`
    );
  const cmd = command as Exclude<Command, "help" | "version">;
  const args: Args = { command: cmd, input: "", dryRun: false, onlyWarnings: false, json: false };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const [name, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    if (name.startsWith("--")) {
      if (!ALLOWED[cmd].includes(name))
        throw new UsageError(
          `"${name}" is not an option of glpost ${cmd}.${suggestion(name, ALLOWED[cmd])} (glpost ${cmd} --help lists them.)`
        );
      if (name in FLAGS) {
        if (inline !== undefined) throw new UsageError(`"${name}" takes no value.`);
        (args as unknown as Record<string, unknown>)[FLAGS[name]] = true;
      } else {
        const value = inline ?? rest[++i];
        if (value === undefined) throw new UsageError(`"${name}" needs a value.`);
        (args as unknown as Record<string, unknown>)[VALUE_OPTIONS[name]] = value;
      }
    } else positional.push(a);
  }
  if (positional.length === 0 && cmd === "init")
    throw new UsageError(
      "glpost init needs the new workbook to create: a new .xlsx file, a folder or a .json file."
    );
  if (positional.length === 0)
    throw new UsageError(
      `glpost ${cmd} needs an <input>: an .xlsx file, a folder of CSV files or a .json file.`
    );
  if (positional.length > 1)
    throw new UsageError(
      `glpost ${cmd} takes one <input>, got ${positional.length}: ${positional.join(" ")}.`
    );
  args.input = positional[0];
  if (args.dateOrder !== undefined && !(DATE_ORDERS as readonly string[]).includes(args.dateOrder))
    throw new UsageError(`--date-order must be dmy, mdy or ymd, not "${args.dateOrder}".`);
  if (cmd === "trace") {
    if ((args.glEntry === undefined) === (args.valueEntry === undefined))
      throw new UsageError("glpost trace needs one of --gl-entry <no> or --value-entry <no>.");
    const [name, v] =
      args.glEntry !== undefined
        ? ["--gl-entry", args.glEntry]
        : ["--value-entry", args.valueEntry!];
    if (!/^[1-9]\d{0,9}$/.test(v.trim()))
      throw new UsageError(`${name} must be an entry number, not "${v}".`);
  }
  if (args.register !== undefined && !/^[1-9]\d{0,9}$/.test(args.register.trim()))
    throw new UsageError(`--register must be a register number, not "${args.register}".`);
  if (args.method !== undefined && args.method !== "entry" && args.method !== "group")
    throw new UsageError(`--method must be entry or group, not "${args.method}".`);
  return args;
}
