/** The delete write in the Excel add-in's port (glpost repair's roll back), on the fake Excel object model. */
import { buildWorkbook, tableValues } from "./fake";
import { portFor } from "./helpers";

test("removes rows anywhere in an Excel table and in a plain sheet; the rows below move up", async () => {
  const model = buildWorkbook([
    {
      name: "GL",
      table: "GLEntries",
      at: "C2",
      rows: [
        ["Entry No.", "Amount", "Mine"],
        [1, 10, "a"],
        [2, -10, "b"],
        [3, 5, "c"],
        [4, -5, "d"],
      ],
    },
    {
      name: "Relations",
      rows: [
        ["G/L Entry No.", "Value Entry No."],
        [1, 1],
        [2, 1],
        [3, 2],
        [4, 2],
      ],
    },
  ]);
  const port = portFor(model);
  await port.write(
    [
      { kind: "delete", table: { name: "GLEntries", kind: "table", sheet: "GL" }, rows: [0, 2] },
      {
        kind: "delete",
        table: { name: "Relations", kind: "sheet", sheet: "Relations" },
        rows: [2, 3],
      },
    ],
    null
  );
  expect(tableValues(model, "GLEntries")).toEqual([
    ["Entry No.", "Amount", "Mine"],
    [2, -10, "b"],
    [4, -5, "d"],
  ]);
  expect(model.sheetValues("Relations")).toEqual([
    ["G/L Entry No.", "Value Entry No."],
    [1, 1],
    [2, 1],
  ]);
  const reread = await port.readTable({ name: "GLEntries", kind: "table", sheet: "GL" });
  expect(reread.rows).toEqual([
    [2, -10, "b"],
    [4, -5, "d"],
  ]);
});
