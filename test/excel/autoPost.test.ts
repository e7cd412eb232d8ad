import { AutoPoster, type AutoPostReport } from '../../src/excel/autoPost';
import { buildWorkbook, excelRunFor } from '../../src/excel/fake';
import type { RunOutcome } from '../../src/app/run';
import { portFor } from './helpers';

function setup(kind: 'table' | 'sheet') {
  const model = buildWorkbook([
    {
      name: 'Value Entries',
      table: kind === 'table' ? 'ValueEntries' : undefined,
      rows: [
        ['Entry No.', 'Item No.', 'Cost Amount (Actual)', 'Cost Posted to G/L'],
        [1, 'A', 10, 10],
        [2, 'B', 20, 0],
      ],
    },
  ]);
  const port = portFor(model);
  const calls: number[][] = [];
  const reports: AutoPostReport[] = [];
  let notify: () => void = () => undefined;
  const postEntries = async (_port: unknown, entryNos: number[]): Promise<RunOutcome> => {
    calls.push(entryNos);
    return {
      kind: 'done',
      summary: {
        postingMethod: 'per Entry',
        documentNo: '',
        dryRun: false,
        entries: { posted: entryNos.filter((n) => n !== 4).length, alreadyPosted: 0, ignored: 0, skipped: entryNos.includes(4) ? 1 : 0 },
        glEntries: 2,
        registerNo: 1,
        fromEntryNo: 1,
        toEntryNo: 2,
        totals: { debit: '1.00', credit: '1.00' },
        skipped: entryNos.includes(4) ? [{ entryNo: 4, reasonCode: 'ACCOUNT_MISSING', reason: 'Inventory Account is missing in Inventory Posting Setup, BLUE RESALE.' }] : [],
        overriddenDimensionErrors: 0,
      },
    };
  };
  const poster = new AutoPoster({
    run: excelRunFor(model),
    port,
    postEntries,
    debounceMs: 5,
    onReport: (r) => {
      reports.push(r);
      notify();
    },
  });
  const nextReport = () => new Promise<void>((resolve) => (notify = resolve));
  return { model, port, poster, calls, reports, nextReport };
}

const settle = () => new Promise((r) => setTimeout(r, 40));

describe('Automatic Cost Posting', () => {
  test.each(['table', 'sheet'] as const)('rows added or changed in Value Entries (%s) post per Entry at once; problems are reported per row', async (kind) => {
    const { model, poster, calls, reports, nextReport } = setup(kind);
    expect(await poster.start()).toBe(true);

    let next = nextReport();
    model.userEdit('Value Entries', 'A4:C5', [[3, 'C', 30], [4, 'D', 40]]);
    await next;
    expect(calls).toEqual([[3, 4]]);
    expect(reports[0].posted).toBe(1);
    expect(reports[0].problems).toEqual([{ row: 5, entryNo: 4, message: 'ACCOUNT_MISSING: Inventory Account is missing in Inventory Posting Setup, BLUE RESALE.' }]);

    next = nextReport();
    model.userEdit('Value Entries', 'C3', [[25]]);
    await next;
    expect(calls[1]).toEqual([2]);
    await poster.stop();
  });

  test('several quick edits post together', async () => {
    const { model, poster, calls, nextReport } = setup('table');
    await poster.start();
    const next = nextReport();
    model.userEdit('Value Entries', 'C2', [[11]]);
    model.userEdit('Value Entries', 'C3', [[21]]);
    await next;
    expect(calls).toEqual([[1, 2]]);
    await poster.stop();
  });

  test('changes to the posted columns only, and the add-in\'s own writes, post nothing', async () => {
    const { model, port, poster, calls } = setup('table');
    await poster.start();
    model.userEdit('Value Entries', 'D3', [[20]]);
    const ve = await port.readTable({ name: 'ValueEntries', kind: 'table' });
    await port.write([{ kind: 'update', table: ve.ref, columns: [{ name: 'Cost Posted to G/L', format: 'money' }, { name: 'Item No.', format: 'text' }], updates: [{ row: 1, values: ['20.00', 'B'] }] }], null);
    await settle();
    expect(calls).toEqual([]);
    await poster.stop();
    model.userEdit('Value Entries', 'C2', [[99]]);
    await settle();
    expect(calls).toEqual([]);
  });

  test('no Value Entries table: nothing to watch', async () => {
    const model = buildWorkbook([{ name: 'Other', rows: [['x']] }]);
    const poster = new AutoPoster({ run: excelRunFor(model), port: portFor(model), onReport: () => undefined });
    expect(await poster.start()).toBe(false);
  });
});
