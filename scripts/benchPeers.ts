/**
 * The engine's two peers in `npm run bench` (issue #13, "Speed and scale"), each run on the same generated value
 * entries as the engine, per Posting Group:
 *
 *   - DuckDB (@duckdb/node-api, a devDependency used only here): the same posting as SQL on one thread;
 *   - a tight-loop floor: the same lookups and grouping as one hand-written TypeScript loop, without the engine's
 *     generality (no filters, outcomes, problems, skips, fingerprint, exactness guard, G/L entry objects).
 *
 * Neither is checked against a spec; each is checked against the engine: the digest of each result (the number of
 * G/L entries and relation rows, the total per (G/L account, posting date), checksums of the numbering) must equal
 * the engine's before the bench prints a time (compareDigests).
 */
import { findMatrixRow } from "../src/engine/accountMatrix";
import { ACCOUNT_TYPES, AT } from "../src/engine/accountTypes";
import {
  ENTRY_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  ORDER_TYPES,
  VARIANCE_TYPES,
  type EntryType,
  type ItemLedgerEntryType,
  type OrderType,
  type PostingInput,
  type PostingResult,
  type VarianceType,
} from "../src/engine/types";

// ---------------------------------------------------------------------------------------------
// The cross-check

/**
 * What the peers are checked on: counts, the LCY total per (G/L account, posting date), keyed "account|date", and
 * two exact checksums (decimal text) that also see the numbering: the sum of G/L entry no. x amount over the G/L
 * entries (another order of the G/L entries changes it) and the sum of G/L entry no. x value entry no. over the
 * relation rows (another pairing changes it).
 */
export interface PostingDigest {
  glEntries: number;
  relations: number;
  totals: Record<string, number>;
  numbering: string;
  pairing: string;
}

function addTotal(totals: Record<string, number>, account: string, date: number, amount: number) {
  const key = `${account}|${date}`;
  totals[key] = (totals[key] ?? 0) + amount;
}

/** Σ a[i] x b[i], exactly. */
function sumOfProducts(a: ArrayLike<number>, b: ArrayLike<number>): string {
  let s = 0n;
  for (let i = 0; i < a.length; i++) s += BigInt(a[i]) * BigInt(b[i]);
  return s.toString();
}

export function engineDigest(r: PostingResult): PostingDigest {
  const totals: Record<string, number> = {};
  for (const g of r.glEntries) addTotal(totals, g.glAccountNo, g.postingDate, g.amount);
  return {
    glEntries: r.glEntries.length,
    relations: r.relations.glEntryNo.length,
    totals,
    numbering: sumOfProducts(
      r.glEntries.map((g) => g.entryNo),
      r.glEntries.map((g) => g.amount)
    ),
    pairing: sumOfProducts(r.relations.glEntryNo, r.relations.valueEntryNo),
  };
}

/** The differences between two digests, as readable lines (none: they agree). */
export function compareDigests(
  engine: PostingDigest,
  peer: PostingDigest,
  peerName: string
): string[] {
  const out: string[] = [];
  if (engine.glEntries !== peer.glEntries)
    out.push(`G/L entries: engine ${engine.glEntries}, ${peerName} ${peer.glEntries}`);
  if (engine.relations !== peer.relations)
    out.push(`relation rows: engine ${engine.relations}, ${peerName} ${peer.relations}`);
  if (engine.numbering !== peer.numbering)
    out.push(
      `G/L entries numbered otherwise: sum of entry no. x amount, engine ${engine.numbering}, ${peerName} ${peer.numbering}`
    );
  if (engine.pairing !== peer.pairing)
    out.push(
      `relation rows pair otherwise: sum of G/L entry no. x value entry no., engine ${engine.pairing}, ${peerName} ${peer.pairing}`
    );
  const keys = new Set([...Object.keys(engine.totals), ...Object.keys(peer.totals)]);
  const differing = [...keys]
    .filter((k) => (engine.totals[k] ?? 0) !== (peer.totals[k] ?? 0))
    .sort();
  for (const k of differing.slice(0, 20)) {
    const [account, date] = k.split("|");
    out.push(
      `total of G/L account ${account} on day ${date}: engine ${engine.totals[k] ?? "none"}, ${peerName} ${peer.totals[k] ?? "none"}`
    );
  }
  if (differing.length > 20)
    out.push(`... and ${differing.length - 20} more (G/L account, posting date) totals differ`);
  return out;
}

/**
 * What both peers assume of the setup and settings (scripts/genLedger.ts generatedSetup() meets all of it): they
 * model none of the rest, so a run outside it fails here, before anything is timed.
 */
function assertGeneratedSetup(input: PostingInput, peer: string): void {
  const s = input.settings;
  const wrong: string[] = [];
  if (!s.expectedCostPostingToGL) wrong.push("Expected Cost Posting to G/L is off");
  if (s.allowPostingFrom !== null || s.allowPostingTo !== null || (input.userSetup ?? []).length)
    wrong.push("a posting date window is set");
  if (input.glAccounts !== null) wrong.push("a G/L Accounts table is given (accounts are checked)");
  if (input.generalPostingSetup.some((g) => g.blocked))
    wrong.push("a General Posting Setup row is blocked");
  if (s.includeNonInventoryCostInProduction) wrong.push("Include Non-Inventory Cost is on");
  if (peer === "DuckDB" && s.additionalReportingCurrency.trim() !== "")
    wrong.push("an Additional Reporting Currency is set (the SQL posts LCY only)");
  if (wrong.length)
    throw new Error(`the ${peer} peer does not model this input: ${wrong.join("; ")}`);
}

// ---------------------------------------------------------------------------------------------
// DuckDB

/**
 * The (Item Ledger Entry Type, Entry Type, Variance Type, Order Type) combinations scripts/genLedger.ts generates:
 * the SQL covers exactly these. Their account pairs are the engine's account matrix's (accountMatrix.ts, the one
 * data table), joined like any setup table. An entry of another combination makes duckdbPeer() throw before it
 * times anything, and so does expected cost on a type that cannot carry it; after the run, so does a line whose
 * setup row or account is missing (the engine would skip such entries; the SQL has no skips).
 */
const GENERATED_COMBINATIONS: [ItemLedgerEntryType, EntryType, VarianceType, OrderType][] = [
  ["Purchase", "Direct Cost", "", ""],
  ["Purchase", "Indirect Cost", "", ""],
  ["Purchase", "Variance", "Purchase", ""],
  ["Sale", "Direct Cost", "", ""],
  ["Positive Adjmt.", "Direct Cost", "", ""],
  ["Negative Adjmt.", "Direct Cost", "", ""],
  ["Transfer", "Direct Cost", "", "Transfer"],
  ["Consumption", "Direct Cost", "", "Production"],
  ["Output", "Direct Cost", "", "Production"],
  ["Output", "Variance", "Material", "Production"],
  ["Sale", "Revaluation", "", ""],
  ["", "Direct Cost", "", "Production"],
];

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The grouping key (groupingKey.ts, rules.md section 6), in its order. */
const KEY =
  "posting_date, account_type, location, inv_group, bus, prod, dim_set_id, gdim1, gdim2, negative, bal_account_type";

/**
 * The posting per Posting Group as SQL, on the value entries in table `ve`: join the matrix (one row per pair that
 * can post), unpivot each pair into its two lines (the amount to the account, its negative to the balancing
 * account; lines of amount 0 do not post), resolve each line's G/L account from the setup (Inventory Posting Setup
 * by location and inventory posting group, WIP-adjusted for a WIP Inventory line; General Posting Setup by
 * business and product group), GROUP BY the grouping key, number the groups in the key's order and make the
 * relation rows (G/L entry no. x value entry no., in G/L entry order, then value entry order).
 *
 * Two statements, the fastest of the forms tried on 200,000 entries (the lines as a table of their own, grouped,
 * then joined back to the G/L entries for the relation rows: 1.1x to 2x as long; the lines numbered by dense_rank()
 * over the key and grouped by that number: about 2.5x, few keys): the G/L entries keep their value entry nos. as a
 * list, which the relation rows unnest; DuckDB keeps a table's insertion order (preserve_insertion_order), so those come in G/L entry order
 * without another sort. Strings order by their bytes here and by UTF-16 code units in the engine; for the
 * generated (ASCII) codes that is the same order. An entry's lines never share a grouping key with this matrix (no
 * row's exp and act pairs have the same account types), so the lists need no DISTINCT; the cross-check's relation
 * count would show it. Left out, as the totals do not depend on them: descriptions, transaction numbers, the
 * register.
 */
function postingSql(ve: string, out: string, lastGLEntryNo: number): string[] {
  const wip = AT["WIP Inventory"];
  return [
    `CREATE TABLE ${out}_gl AS
     WITH pairs AS (
       SELECT v.entry_no, v.posting_date, v.location, v.inv_group, v.bus, v.prod,
              v.dim_set_id, v.gdim1, v.gdim2, m.account_type AS acc, m.bal_account_type AS bal,
              CASE WHEN v.source_type = 'Item' AND v.source_no <> v.item_no AND i.inv_group IS NOT NULL
                   THEN i.inv_group ELSE v.inv_group END AS wip_group,
              CASE m.part WHEN 'exp' THEN v.cost_expected - v.exp_cost_posted
                          ELSE v.cost_actual - v.cost_posted END AS amount
       FROM ${ve} v
       JOIN matrix m USING (ile, entry_type, variance_type, order_type)
       LEFT JOIN items i ON i.no = v.source_no
       WHERE v.inventoriable
     ), sides AS (
       SELECT p.*,
              CASE WHEN s.balancing THEN p.bal ELSE p.acc END AS account_type,
              CASE WHEN s.balancing THEN p.acc ELSE p.bal END AS bal_account_type,
              CASE WHEN s.balancing THEN -p.amount ELSE p.amount END AS line_amount
       FROM pairs p CROSS JOIN (VALUES (false), (true)) s(balancing)
       WHERE p.amount <> 0
     ), keyed AS (
       SELECT s.*, t.inventory_setup,
              CASE WHEN s.account_type = ${wip} THEN s.wip_group ELSE s.inv_group END AS key_group
       FROM sides s JOIN account_types t ON t.ordinal = s.account_type
     ), lines AS (
       SELECT k.entry_no, k.posting_date, k.account_type, k.location, k.key_group AS inv_group,
              k.bus, k.prod, k.dim_set_id, k.gdim1, k.gdim2, k.line_amount < 0 AS negative,
              k.bal_account_type, k.line_amount AS amount, a.account
       FROM keyed k
       LEFT JOIN account_setup a
         ON a.account_type = k.account_type
        AND a.key1 = CASE WHEN k.inventory_setup THEN k.location ELSE k.bus END
        AND a.key2 = CASE WHEN k.inventory_setup THEN k.key_group ELSE k.prod END
     )
     SELECT row_number() OVER (ORDER BY ${KEY}) + ${lastGLEntryNo} AS entry_no, ${KEY},
            any_value(account) AS account, sum(amount) AS amount,
            list(entry_no ORDER BY entry_no) AS value_entry_nos
     FROM lines
     GROUP BY ${KEY}
     ORDER BY entry_no`,
    `CREATE TABLE ${out}_relations AS
     SELECT entry_no AS gl_entry_no, unnest(value_entry_nos) AS value_entry_no FROM ${out}_gl`,
  ];
}

export interface PeerRun {
  ms: number;
  digest: PostingDigest;
  detail: string;
}

/**
 * Loads the entries and setup into an in-memory DuckDB (not timed), runs the posting once on the first 10,000
 * entries (a warm-up, as the engine's), then times it on all of them, on one thread. Before the time counts, the
 * input must be inside what the SQL covers (see GENERATED_COMBINATIONS); after the run, every line must have
 * found its account.
 */
export async function duckdbPeer(input: PostingInput): Promise<PeerRun> {
  assertGeneratedSetup(input, "DuckDB");
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  const one = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();
  await db.run("SET threads = 1");
  const [{ version, threads }] = await one(
    "SELECT version() AS version, current_setting('threads')::INTEGER AS threads"
  );
  if (threads !== 1) throw new Error(`DuckDB runs on ${threads} threads, not 1`);

  const loadStart = performance.now();
  await db.run(`CREATE TABLE ve (
    entry_no INTEGER, posting_date INTEGER, ile VARCHAR, entry_type VARCHAR, variance_type VARCHAR,
    order_type VARCHAR, expected_cost BOOLEAN, inventoriable BOOLEAN, item_no VARCHAR, location VARCHAR,
    inv_group VARCHAR, bus VARCHAR, prod VARCHAR, source_type VARCHAR, source_no VARCHAR,
    cost_actual BIGINT, cost_expected BIGINT, cost_posted BIGINT, exp_cost_posted BIGINT,
    dim_set_id INTEGER, gdim1 VARCHAR, gdim2 VARCHAR)`);
  const ap = await db.createAppender("ve");
  for (const e of input.valueEntries) {
    ap.appendInteger(e.entryNo);
    ap.appendInteger(e.postingDate);
    ap.appendVarchar(e.itemLedgerEntryType);
    ap.appendVarchar(e.entryType);
    ap.appendVarchar(e.varianceType);
    ap.appendVarchar(e.orderType);
    ap.appendBoolean(e.expectedCost);
    ap.appendBoolean(e.inventoriable);
    ap.appendVarchar(e.itemNo);
    ap.appendVarchar(e.locationCode);
    ap.appendVarchar(e.inventoryPostingGroup);
    ap.appendVarchar(e.genBusPostingGroup);
    ap.appendVarchar(e.genProdPostingGroup);
    ap.appendVarchar(e.sourceType);
    ap.appendVarchar(e.sourceNo);
    ap.appendBigInt(BigInt(e.costAmountActual));
    ap.appendBigInt(BigInt(e.costAmountExpected));
    ap.appendBigInt(BigInt(e.costPostedToGL));
    ap.appendBigInt(BigInt(e.expectedCostPostedToGL));
    ap.appendInteger(e.dimensionSetId);
    ap.appendVarchar(e.globalDimension1Code);
    ap.appendVarchar(e.globalDimension2Code);
    ap.endRow();
  }
  ap.closeSync();
  await db.run("CREATE TABLE ve_warm AS SELECT * FROM ve WHERE entry_no <= 10000");

  // The account matrix, one row per pair that can post, for the generated combinations only.
  const matrixRows: string[] = [];
  for (const [ile, et, vt, ot] of GENERATED_COMBINATIONS) {
    const row = findMatrixRow(ile, et, vt, ot);
    if (row === undefined) throw new Error(`no matrix row for ${[ile, et, vt, ot].join(" / ")}`);
    const types = [ile, et, vt, ot].map(sqlString).join(", ");
    if (row.exp !== null) matrixRows.push(`(${types}, 'exp', ${row.exp[0]}, ${row.exp[1]})`);
    matrixRows.push(`(${types}, 'act', ${row.act[0]}, ${row.act[1]})`);
  }
  await db.run(`CREATE TABLE matrix AS SELECT * FROM (VALUES ${matrixRows.join(", ")})
    t(ile, entry_type, variance_type, order_type, part, account_type, bal_account_type)`);
  await db.run(
    `CREATE TABLE account_types AS SELECT * FROM (VALUES ${ACCOUNT_TYPES.map(
      (a) => `(${a.ordinal}, ${a.setupTable === "Inventory Posting Setup"})`
    ).join(", ")}) t(ordinal, inventory_setup)`
  );
  // Both setup tables unpivoted into one: (key1, key2, account type) -> G/L account no.
  const setupRows: string[] = [];
  for (const s of input.inventoryPostingSetup)
    for (const a of ACCOUNT_TYPES)
      if (a.setupTable === "Inventory Posting Setup" && (s.accounts[a.ordinal] ?? "") !== "")
        setupRows.push(
          `(${sqlString(s.locationCode)}, ${sqlString(s.invtPostingGroupCode)}, ${a.ordinal}, ${sqlString(s.accounts[a.ordinal])})`
        );
  for (const s of input.generalPostingSetup)
    for (const a of ACCOUNT_TYPES)
      if (a.setupTable === "General Posting Setup" && (s.accounts[a.ordinal] ?? "") !== "")
        setupRows.push(
          `(${sqlString(s.genBusPostingGroup)}, ${sqlString(s.genProdPostingGroup)}, ${a.ordinal}, ${sqlString(s.accounts[a.ordinal])})`
        );
  await db.run(`CREATE TABLE account_setup AS SELECT * FROM (VALUES ${setupRows.join(", ")})
    t(key1, key2, account_type, account)`);
  const items = (input.items ?? []).map(
    (i) => `(${sqlString(i.no)}, ${sqlString(i.inventoryPostingGroup)})`
  );
  await db.run(
    items.length
      ? `CREATE TABLE items AS SELECT * FROM (VALUES ${items.join(", ")}) t(no, inv_group)`
      : "CREATE TABLE items (no VARCHAR, inv_group VARCHAR)"
  );
  const loadMs = performance.now() - loadStart;

  // Fail loudly on entries outside what the SQL covers (the engine would post, ignore or skip them otherwise).
  const uncovered = await one(`
    SELECT ile, entry_type, variance_type, order_type, count(*)::INTEGER AS n
    FROM ve ANTI JOIN (SELECT DISTINCT ile, entry_type, variance_type, order_type FROM matrix) m
      USING (ile, entry_type, variance_type, order_type)
    GROUP BY ALL ORDER BY n DESC LIMIT 5`);
  if (uncovered.length)
    throw new Error(
      `the DuckDB peer's SQL covers only the generated type combinations; not: ${JSON.stringify(uncovered)}`
    );
  const wrongExpected = await one(`
    SELECT count(*)::INTEGER AS n FROM ve
    WHERE (expected_cost OR cost_expected <> 0) AND entry_type NOT IN ('Direct Cost', 'Revaluation')`);
  if (Number(wrongExpected[0].n) > 0)
    throw new Error(
      `the DuckDB peer does not model expected cost on ${wrongExpected[0].n} entries of a type that cannot carry it`
    );

  const lastGLEntryNo = input.existing.lastGLEntryNo;
  for (const sql of postingSql("ve_warm", "warm", lastGLEntryNo)) await db.run(sql);
  for (const t of ["warm_gl", "warm_relations"]) await db.run(`DROP TABLE ${t}`);
  const phases: number[] = [];
  const t = performance.now();
  for (const sql of postingSql("ve", "post", lastGLEntryNo)) {
    await db.run(sql);
    phases.push(performance.now() - t - phases.reduce((a, b) => a + b, 0));
  }
  const ms = performance.now() - t;

  // The grouping key holds every setup key a line's account is looked up by, so a G/L entry without an account
  // is a key whose every line found no setup row or account (account_setup has no blank accounts).
  const missing = await one("SELECT count(*)::INTEGER AS n FROM post_gl WHERE account IS NULL");
  if (Number(missing[0].n) > 0)
    throw new Error(
      `the DuckDB peer found no setup row or account for the lines of ${missing[0].n} G/L entries (the engine skips such entries; the SQL does not model that)`
    );
  const counts = await one(`SELECT (SELECT count(*) FROM post_gl)::INTEGER AS gl,
    (SELECT count(*) FROM post_relations)::INTEGER AS rel,
    (SELECT sum(entry_no::HUGEINT * amount) FROM post_gl)::VARCHAR AS numbering,
    (SELECT sum(gl_entry_no::HUGEINT * value_entry_no) FROM post_relations)::VARCHAR AS pairing`);
  const totals: Record<string, number> = {};
  for (const r of await one(
    "SELECT account, posting_date, sum(amount)::BIGINT AS amount FROM post_gl GROUP BY ALL"
  ))
    addTotal(totals, String(r.account), Number(r.posting_date), Number(r.amount));
  db.closeSync();
  instance.closeSync();
  return {
    ms,
    digest: {
      glEntries: Number(counts[0].gl),
      relations: Number(counts[0].rel),
      totals,
      numbering: String(counts[0].numbering ?? 0),
      pairing: String(counts[0].pairing ?? 0),
    },
    detail: `DuckDB ${version}; G/L entries ${phases[0].toFixed(0)} ms, relations ${phases[1].toFixed(0)} ms; load ${(loadMs / 1000).toFixed(1)} s (not timed)`,
  };
}

// ---------------------------------------------------------------------------------------------
// The tight-loop floor

/** A resolved line of one (matrix row, setup keys) combination. */
interface FloorLine {
  exp: boolean;
  balancing: boolean;
  lineKeyId: number;
}

/** The floor's output: G/L entries column-wise in the grouping key's order, and the relation rows. */
export interface FloorResult {
  glEntryNo: Float64Array;
  glAccountNo: string[];
  postingDate: Int32Array;
  amount: Float64Array;
  additionalCurrencyAmount: Float64Array;
  relationGlEntryNo: Float64Array;
  relationValueEntryNo: Float64Array;
}

/**
 * The tight-loop floor: the same posting per Posting Group as one hand-written loop over the entries, with the
 * simplest fast data structures: codes interned to small integers from the setup tables, the setup and the matrix
 * as flat arrays indexed by them, the resolved lines of each (matrix row, setup keys) combination cached in a flat
 * array, groups in one Map per (line key, sign) keyed by a small integer of (dimensions, date), amounts in plain
 * arrays. Then, as the engine: the groups sorted into the grouping key's order and numbered, and the relation rows
 * (G/L entry no. x value entry no.) by a counting sort. It assumes what the generated ledger is (entries in Entry
 * No. order, every setup row and account present, no posting window, no checks) and throws where that is not so;
 * it makes no outcomes, problems, fingerprint, exactness guard, descriptions or G/L entry objects.
 */
export function floorPosting(input: PostingInput): FloorResult {
  assertGeneratedSetup(input, "tight-loop");
  const acy = input.settings.additionalReportingCurrency.trim() !== "";
  const intern = (ids: Map<string, number>, code: string) => {
    if (!ids.has(code)) ids.set(code, ids.size);
  };
  const locIds = new Map<string, number>();
  const grpIds = new Map<string, number>();
  const busIds = new Map<string, number>();
  const prodIds = new Map<string, number>();
  for (const s of input.inventoryPostingSetup) {
    intern(locIds, s.locationCode);
    intern(grpIds, s.invtPostingGroupCode);
  }
  for (const s of input.generalPostingSetup) {
    intern(busIds, s.genBusPostingGroup);
    intern(prodIds, s.genProdPostingGroup);
  }
  const nLoc = locIds.size;
  const nGrp = grpIds.size;
  const nBus = busIds.size;
  const nProd = prodIds.size;
  const invAccounts: string[][] = new Array(nLoc * nGrp);
  for (const s of input.inventoryPostingSetup)
    invAccounts[locIds.get(s.locationCode)! * nGrp + grpIds.get(s.invtPostingGroupCode)!] =
      s.accounts;
  const genAccounts: string[][] = new Array(nBus * nProd);
  for (const s of input.generalPostingSetup)
    genAccounts[busIds.get(s.genBusPostingGroup)! * nProd + prodIds.get(s.genProdPostingGroup)!] =
      s.accounts;
  const itemGroup = new Map<string, number>();
  for (const i of input.items ?? []) {
    const g = grpIds.get(i.inventoryPostingGroup);
    if (g !== undefined) itemGroup.set(i.no, g);
  }
  const grpCodes = [...grpIds.keys()];
  const isInv = ACCOUNT_TYPES.map((a) => a.setupTable === "Inventory Posting Setup");
  const wip = AT["WIP Inventory"];

  // The matrix by the enums' ordinals (rowId, or -1: not posted by the floor).
  const ileOf = new Map<string, number>(ITEM_LEDGER_ENTRY_TYPES.map((x, i) => [x, i]));
  const etOf = new Map<string, number>(ENTRY_TYPES.map((x, i) => [x, i]));
  const vtOf = new Map<string, number>(VARIANCE_TYPES.map((x, i) => [x, i]));
  const otOf = new Map<string, number>(ORDER_TYPES.map((x, i) => [x, i]));
  const nEt = ENTRY_TYPES.length;
  const nVt = VARIANCE_TYPES.length;
  const nOt = ORDER_TYPES.length;
  const rowPairs: { exp: readonly [number, number] | null; act: readonly [number, number] }[] = [];
  const rowOf = new Int32Array(ITEM_LEDGER_ENTRY_TYPES.length * nEt * nVt * nOt).fill(-1);
  const seenRows = new Map<object, number>();
  ITEM_LEDGER_ENTRY_TYPES.forEach((ile, a) =>
    ENTRY_TYPES.forEach((et, b) =>
      VARIANCE_TYPES.forEach((vt, c) =>
        ORDER_TYPES.forEach((ot, d) => {
          const row = findMatrixRow(ile, et, vt, ot);
          if (row === undefined || row.nonInventory) return;
          let id = seenRows.get(row);
          if (id === undefined) {
            seenRows.set(row, (id = rowPairs.length));
            rowPairs.push({ exp: row.exp, act: row.act });
          }
          rowOf[((a * nEt + b) * nVt + c) * nOt + d] = id;
        })
      )
    )
  );
  const nCombos = rowPairs.length * nLoc * nGrp * nBus * nProd * nGrp;
  if (nCombos > 1 << 24)
    throw new Error(`the tight-loop floor's flat tables do not fit this setup`);
  const combos: (FloorLine[] | undefined)[] = new Array(nCombos);

  // Line keys: (account type, location, inventory posting group, bus., prod., bal. account type).
  const lineKeyIds = new Map<string, number>();
  const lineKeys: {
    accountType: number;
    balAccountType: number;
    loc: string;
    grp: string;
    bus: string;
    prod: string;
    account: string;
  }[] = [];
  const resolve = (
    pair: readonly [number, number],
    exp: boolean,
    e: PostingInput["valueEntries"][number],
    loc: number,
    grp: number,
    bus: number,
    prod: number,
    wipGrp: number,
    out: FloorLine[]
  ) => {
    for (const balancing of [false, true]) {
      const accountType = balancing ? pair[1] : pair[0];
      const keyGrp = accountType === wip ? wipGrp : grp;
      const accounts = isInv[accountType]
        ? invAccounts[loc * nGrp + keyGrp]
        : genAccounts[bus * nProd + prod];
      const account = accounts?.[accountType] ?? "";
      if (account === "")
        throw new Error(`the tight-loop floor found no account for entry ${e.entryNo}`);
      const text = `${accountType}|${loc}|${keyGrp}|${bus}|${prod}|${balancing ? pair[0] : pair[1]}`;
      let lineKeyId = lineKeyIds.get(text);
      if (lineKeyId === undefined) {
        lineKeyIds.set(text, (lineKeyId = lineKeys.length));
        lineKeys.push({
          accountType,
          balAccountType: balancing ? pair[0] : pair[1],
          loc: e.locationCode,
          grp: grpCodes[keyGrp],
          bus: e.genBusPostingGroup,
          prod: e.genProdPostingGroup,
          account,
        });
      }
      out.push({ exp, balancing, lineKeyId });
    }
  };

  // Dimensions: (Dimension Set ID, Global Dimension 1, Global Dimension 2) interned.
  const dimsBySet = new Map<number, { g1: string; g2: string; id: number }[]>();
  const dims: { set: number; g1: string; g2: string }[] = [];

  // Groups, column-wise; slots[lineKeyId * 2 + sign] maps dimId * 65536 + date to the group's index.
  const slots: (Map<number, number> | undefined)[] = [];
  const gDate: number[] = [];
  const gLineKey: number[] = [];
  const gNegative: number[] = [];
  const gDim: number[] = [];
  const gLcy: number[] = [];
  const gAcy: number[] = [];
  const gContributors: number[] = [];
  const gLast: number[] = [];
  const cGroup: number[] = [];
  const cEntry: number[] = [];

  const entries = input.valueEntries;
  let prevEntryNo = -Infinity;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.entryNo <= prevEntryNo)
      throw new Error("the tight-loop floor needs entries in Entry No. order");
    prevEntryNo = e.entryNo;
    if (!e.inventoriable) continue;
    const rowId =
      rowOf[
        ((ileOf.get(e.itemLedgerEntryType)! * nEt + etOf.get(e.entryType)!) * nVt +
          vtOf.get(e.varianceType)!) *
          nOt +
          otOf.get(e.orderType)!
      ];
    if (!(rowId >= 0))
      throw new Error(`the tight-loop floor does not post entry ${e.entryNo}'s types`);
    const expLcy = e.costAmountExpected - e.expectedCostPostedToGL;
    const actLcy = e.costAmountActual - e.costPostedToGL;
    const expAcy = acy ? e.costAmountExpectedACY - e.expCostPostedToGLACY : 0;
    const actAcy = acy ? e.costAmountActualACY - e.costPostedToGLACY : 0;
    const pairs = rowPairs[rowId];
    const postsExp = pairs.exp !== null && (expLcy !== 0 || expAcy !== 0);
    const postsAct = actLcy !== 0 || actAcy !== 0;
    if (!postsExp && !postsAct) continue;
    if (
      (e.expectedCost || e.costAmountExpected !== 0) &&
      e.entryType !== "Direct Cost" &&
      e.entryType !== "Revaluation"
    )
      throw new Error(`the tight-loop floor does not model entry ${e.entryNo}'s expected cost`);

    const loc = locIds.get(e.locationCode);
    const grp = grpIds.get(e.inventoryPostingGroup);
    const bus = busIds.get(e.genBusPostingGroup);
    const prod = prodIds.get(e.genProdPostingGroup);
    if (loc === undefined || grp === undefined || bus === undefined || prod === undefined)
      throw new Error(`the tight-loop floor found no setup row for entry ${e.entryNo}`);
    let wipGrp = grp;
    if (e.sourceType === "Item" && e.sourceNo !== e.itemNo)
      wipGrp = itemGroup.get(e.sourceNo) ?? grp;
    const c = ((((rowId * nLoc + loc) * nGrp + grp) * nBus + bus) * nProd + prod) * nGrp + wipGrp;
    let lines = combos[c];
    if (lines === undefined) {
      lines = [];
      if (pairs.exp !== null) resolve(pairs.exp, true, e, loc, grp, bus, prod, wipGrp, lines);
      resolve(pairs.act, false, e, loc, grp, bus, prod, wipGrp, lines);
      combos[c] = lines;
    }

    let list = dimsBySet.get(e.dimensionSetId);
    if (list === undefined) dimsBySet.set(e.dimensionSetId, (list = []));
    let dimId = -1;
    for (const t of list)
      if (t.g1 === e.globalDimension1Code && t.g2 === e.globalDimension2Code) dimId = t.id;
    if (dimId < 0) {
      dimId = dims.length;
      list.push({ g1: e.globalDimension1Code, g2: e.globalDimension2Code, id: dimId });
      dims.push({ set: e.dimensionSetId, g1: e.globalDimension1Code, g2: e.globalDimension2Code });
      if (dimId >= 32768)
        throw new Error("the tight-loop floor packs at most 32,768 dimension tuples");
    }
    const date = e.postingDate;
    if (!(date >= 0 && date < 65536))
      throw new Error("the tight-loop floor packs dates 1970..2149 only");
    const slotKey = dimId * 65536 + date;

    for (const line of lines) {
      if (line.exp ? !postsExp : !postsAct) continue;
      let lcy = line.exp ? expLcy : actLcy;
      let a = line.exp ? expAcy : actAcy;
      if (line.balancing) {
        lcy = -lcy || 0;
        a = -a || 0;
      }
      if (lcy === 0 && a === 0) continue;
      const negative = lcy < 0 || a < 0 ? 1 : 0;
      const s = line.lineKeyId * 2 + negative;
      let slot = slots[s];
      if (slot === undefined) {
        while (slots.length < s) slots.push(undefined);
        slots[s] = slot = new Map();
      }
      let g = slot.get(slotKey);
      if (g === undefined) {
        g = gDate.length;
        slot.set(slotKey, g);
        gDate.push(date);
        gLineKey.push(line.lineKeyId);
        gNegative.push(negative);
        gDim.push(dimId);
        gLcy.push(0);
        gAcy.push(0);
        gContributors.push(0);
        gLast.push(NaN);
      }
      gLcy[g] += lcy;
      gAcy[g] += a;
      if (gLast[g] !== e.entryNo) {
        gLast[g] = e.entryNo;
        gContributors[g]++;
        cGroup.push(g);
        cEntry.push(e.entryNo);
      }
    }
  }

  // The grouping key's order: (date, account type .. gen. prod.), then (dimensions, sign, bal. account type).
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const keyOrder = lineKeys.map((_, i) => i);
  const prefix = (x: (typeof lineKeys)[number], y: (typeof lineKeys)[number]) =>
    x.accountType - y.accountType ||
    cmp(x.loc, y.loc) ||
    cmp(x.grp, y.grp) ||
    cmp(x.bus, y.bus) ||
    cmp(x.prod, y.prod);
  keyOrder.sort((x, y) => prefix(lineKeys[x], lineKeys[y]));
  // Line keys with the same prefix (they differ only in bal. account type) share a rank.
  const keyRank = new Float64Array(lineKeys.length);
  for (let i = 0, r = 0; i < keyOrder.length; i++) {
    if (i > 0 && prefix(lineKeys[keyOrder[i - 1]], lineKeys[keyOrder[i]]) !== 0) r++;
    keyRank[keyOrder[i]] = r;
  }
  const dimOrder = dims.map((_, i) => i);
  dimOrder.sort(
    (x, y) =>
      dims[x].set - dims[y].set || cmp(dims[x].g1, dims[y].g1) || cmp(dims[x].g2, dims[y].g2)
  );
  const dimRank = new Float64Array(dims.length);
  dimOrder.forEach((id, r) => (dimRank[id] = r));
  const n = gDate.length;
  const major = new Float64Array(n);
  const minor = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    major[g] = gDate[g] * 2 ** 21 + keyRank[gLineKey[g]];
    minor[g] = (dimRank[gDim[g]] * 2 + gNegative[g]) * 32 + lineKeys[gLineKey[g]].balAccountType;
  }
  if (lineKeys.length >= 2 ** 21)
    throw new Error("the tight-loop floor packs at most 2^21 line keys");
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => major[a] - major[b] || minor[a] - minor[b]);

  const out: FloorResult = {
    glEntryNo: new Float64Array(n),
    glAccountNo: new Array<string>(n),
    postingDate: new Int32Array(n),
    amount: new Float64Array(n),
    additionalCurrencyAmount: new Float64Array(n),
    relationGlEntryNo: new Float64Array(cGroup.length),
    relationValueEntryNo: new Float64Array(cGroup.length),
  };
  const glEntryNoOf = new Float64Array(n);
  const start = new Float64Array(n);
  let cursor = 0;
  let entryNo = input.existing.lastGLEntryNo;
  for (let i = 0; i < n; i++) {
    const g = order[i];
    out.glEntryNo[i] = glEntryNoOf[g] = ++entryNo;
    out.glAccountNo[i] = lineKeys[gLineKey[g]].account;
    out.postingDate[i] = gDate[g];
    out.amount[i] = gLcy[g];
    out.additionalCurrencyAmount[i] = gAcy[g];
    start[g] = cursor;
    cursor += gContributors[g];
  }
  for (let k = 0; k < cGroup.length; k++) {
    const at = start[cGroup[k]]++;
    out.relationGlEntryNo[at] = glEntryNoOf[cGroup[k]];
    out.relationValueEntryNo[at] = cEntry[k];
  }
  return out;
}

export function floorDigest(r: FloorResult): PostingDigest {
  const totals: Record<string, number> = {};
  for (let i = 0; i < r.glEntryNo.length; i++)
    addTotal(totals, r.glAccountNo[i], r.postingDate[i], r.amount[i]);
  return {
    glEntries: r.glEntryNo.length,
    relations: r.relationGlEntryNo.length,
    totals,
    numbering: sumOfProducts(r.glEntryNo, r.amount),
    pairing: sumOfProducts(r.relationGlEntryNo, r.relationValueEntryNo),
  };
}
