/**
 * The run's invariants are asserted before anything is written (issue 9): a result that does not balance per
 * posting date (LCY or ACY) is a bug, reported as an internal error with nothing written.
 */
import * as path from "path";
import { postWorkbook } from "../../src/app/run";
import { assertPostingInvariants, InvariantError } from "../../src/engine/invariants";
import * as post from "../../src/engine/post";
import { CsvFolderWorkbook } from "../../src/files/csv";
import { day, input, options, ve } from "./builders";

const two = () =>
  postInventoryCost([
    ve({ entryNo: 1, entryType: "Direct Cost", costAmountActual: 7000 }),
    ve({
      entryNo: 2,
      postingDate: day("2026-01-11"),
      entryType: "Direct Cost",
      costAmountActual: 3000,
    }),
  ]);
function postInventoryCost(entries: ReturnType<typeof ve>[]) {
  return post.postInventoryCostToGL(input(entries), options());
}

describe("assertPostingInvariants", () => {
  test("a real run passes", () => {
    expect(() => assertPostingInvariants(two())).not.toThrow();
  });
  test("a hand-made result with G/L entry objects only is checked on them", () => {
    const r = two();
    const objects = r.glEntries.map((g) => ({ ...g }));
    objects[0].amount += 1;
    expect(() => assertPostingInvariants({ glEntries: objects, totals: r.totals })).toThrow(
      InvariantError
    );
    expect(() =>
      assertPostingInvariants({ glEntries: r.glEntries.map((g) => ({ ...g })), totals: r.totals })
    ).not.toThrow();
  });
  test("one cent off on one date, even when the whole run sums to 0, is caught", () => {
    const r = two();
    // Move one cent from the 10th's entries to the 11th's: the run still sums to 0, each date does not.
    r.glEntryTable!.amount[0] += 1;
    r.glEntryTable!.amount[2] -= 1;
    expect(() => assertPostingInvariants(r)).toThrow(InvariantError);
    expect(() => assertPostingInvariants(r)).toThrow(/posting date \d+ sum to 1 \(LCY\)/);
  });
  test("ACY alone off is caught too", () => {
    const r = two();
    r.glEntryTable!.additionalCurrencyAmount[1] = 5;
    expect(() => assertPostingInvariants(r)).toThrow(/sum to 0 \(LCY\) and 5 \(ACY\)/);
  });
});

test("postWorkbook: a broken invariant is an internal error and nothing is written", async () => {
  const wb = await CsvFolderWorkbook.open(
    path.join(__dirname, "..", "fixtures", "examples", "bike-chain")
  );
  const real = post.postInventoryCostToGL;
  const spy = jest.spyOn(post, "postInventoryCostToGL").mockImplementation((i, o) => {
    const r = real(i, o);
    r.glEntryTable!.amount[0] += 1; // the table is what is checked and written
    return r;
  });
  const writes: unknown[] = [];
  wb.write = async (w) => void writes.push(w);
  try {
    const outcome = await postWorkbook(wb, {
      postingMethod: "per Entry",
      documentNo: "",
      post: true,
    });
    expect(outcome.kind).toBe("internalError");
    expect(writes).toEqual([]);
  } finally {
    spy.mockRestore();
  }
});
