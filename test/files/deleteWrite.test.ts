/**
 * The delete write (port.ts) in each file adapter: rows anywhere in a table are removed, the rows below move
 * up, nothing else changes. Checked with the acceptance tests' independent readers (exceljs, a plain CSV
 * parser, JSON.parse) on a posted bike-chain example.
 */
import { main, type Io } from "../../src/cli/main";
import { openWorkbook } from "../../src/files/open";
import { exampleIn, FORMATS, readTable } from "../acceptance/formats";

const quiet: Io = { stdout: () => {}, stderr: () => {}, tty: false };

test.each(FORMATS)(
  "%s: removing rows 0, 1, 9 and the last of G/L Entries keeps the others in order, cell for cell",
  async (format) => {
    const input = await exampleIn("bike-chain", format);
    expect(await main(["post", input, "--method", "entry"], quiet)).toBe(0);
    const before = await readTable(input, format, "G/L Entries");
    expect(before).toHaveLength(34);
    const port = await openWorkbook(input);
    const refs = await port.listTables();
    const ref = refs
      .filter((r) => /^g\W*l\W*entries$/i.test(r.name))
      .sort((a, b) => +(b.kind === "table") - +(a.kind === "table"))[0];
    const drop = [0, 1, 9, 33];
    await port.write([{ kind: "delete", table: ref, rows: drop }], null);
    const after = await readTable(input, format, "G/L Entries");
    expect(after).toEqual(before.filter((_, i) => !drop.includes(i)));
    // An Excel table shrinks with it (no blank rows left inside it).
    expect((await (await openWorkbook(input)).readTable(ref)).rows).toHaveLength(30);
    // The other tables are as they were: the relation rows still name all 34 G/L entries.
    expect(await readTable(input, format, "G/L - Item Ledger Relation")).toHaveLength(34);
  }
);
