/** glpost init as a command: creates the workbook (init.ts) and says what to do next. */
import type { Args } from "./args";
import { UsageError } from "./args";
import { initWorkbook, TargetExistsError } from "./init";

interface InitIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export async function initOn(args: Args, io: InitIo): Promise<number> {
  let made;
  try {
    made = await initWorkbook(args.input);
  } catch (e) {
    // An existing target is the user's choice of name: wrong usage, nothing written.
    if (e instanceof TargetExistsError) throw new UsageError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code !== "string") throw e;
    const message = `cannot create ${args.input}: ${err.message}. Nothing usable was written; fix the path or the permissions and run glpost init again.`;
    if (args.json)
      io.stdout(
        JSON.stringify({ writeError: { path: args.input, code: err.code, message } }, null, 2) +
          "\n"
      );
    io.stderr(`glpost: ${message}\n`);
    return 3;
  }
  if (args.json)
    io.stdout(JSON.stringify({ created: made.path, format: made.format }, null, 2) + "\n");
  io.stderr(
    `Created ${made.path}: Value Entries, Inventory Posting Setup, General Posting Setup (required), Items, G/L Accounts, Default Dimensions, User Setup (optional), Settings with the defaults, and a README saying which columns are required and how to get each table out of Business Central.\n` +
      `Paste your data into it, then: glpost check ${made.path} --method entry, and glpost post ${made.path} --method entry (or --document-no <no> per Posting Group).\n`
  );
  return 0;
}
