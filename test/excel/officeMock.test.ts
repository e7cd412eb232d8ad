/**
 * office-addin-mock (Microsoft's Office.js mock) where it fits: the load/sync discipline the adapter and
 * the in-memory fake follow (a property read before load + sync is an error string in the mock, an error in
 * the fake).
 */
import { OfficeMockObject } from "office-addin-mock";

describe("office-addin-mock", () => {
  // office-addin-mock cannot load collection paths such as 'items/name' ("Property name needs to be present
  // in object model before load is called"), which listTables and locate use: the adapter's tests run on the
  // in-memory fake (test/excel/fake), which models collections, null objects, batching and payloads.
  test("the mock flags a read before load + sync, the trap the adapter avoids", async () => {
    const mock = new OfficeMockObject({
      context: {
        workbook: {
          range: { address: "A1" },
          getSelectedRange() {
            return this.range;
          },
        },
      },
    }) as unknown as {
      context: {
        workbook: { getSelectedRange(): { address: string; load(p: string): void } };
        sync(): Promise<void>;
      };
    };
    const r = mock.context.workbook.getSelectedRange();
    expect(r.address).toBe("Error, property was not loaded");
    r.load("address");
    await mock.context.sync();
    expect(r.address).toBe("A1");
  });
});

test("the fake refuses the same read before load + sync", async () => {
  const { buildWorkbook, FakeRequestContext } = await import("./fake");
  const ctx = new FakeRequestContext(buildWorkbook([{ name: "S", rows: [["a"]] }]));
  const r = ctx.workbook.worksheets.getItem("S").getRange("A1");
  expect(() => r.values).toThrow(/not available/);
  r.load("values");
  await ctx.sync();
  expect(r.values).toEqual([["a"]]);
});
