/**
 * What happens to one value entry (rules.md sections 3 and 4): its amounts to post, the lines it would post
 * now, and its outcome with every problem found, in the precedence order of section 4. Shared by the
 * posting run and the test report, so both always agree.
 */
import {
  canHaveExpectedCost,
  findMatrixRow,
  isNonInventoryCost,
  type MatrixRow,
} from "./accountMatrix";
import { AT } from "./accountTypes";
import { parseCodeFilter, parseDateFilter } from "./filters";
import { LineKeys, type GroupKeyFields } from "./groupingKey";
import * as P from "./problems";
import { settingsForUser } from "./userSetup";
import {
  buildSetupIndex,
  dimensionViolations,
  resolveAccount,
  wipInventoryPostingGroup,
  type ResolvedAccount,
  type SetupIndex,
} from "./setup";
import type {
  DayNumber,
  Money,
  Outcome,
  PostingInput,
  Problem,
  RunOptions,
  Settings,
  ValueEntry,
} from "./types";

/** A line as the setup resolves it for one setup key; shared by every entry with that key. */
export interface LineTemplate extends GroupKeyFields {
  part: "exp" | "act";
  /** false: the account line (+amount); true: the balancing line (-amount). */
  balancing: boolean;
  account: ResolvedAccount;
  /** Interned id of (account type, location, inventory posting group, gen. bus., gen. prod., bal. account type). */
  lineKeyId: number;
}

/** The lines an entry's matrix row resolves to for one set of setup keys; shared by every entry with those keys. */
interface ResolvedLines {
  exp: LineTemplate[];
  act: LineTemplate[];
  /** exp then act, made once: the lines of an entry that posts both parts. */
  both: LineTemplate[];
}

export interface Env {
  settings: Settings;
  setup: SetupIndex;
  acy: boolean;
  itemFilter: (itemNo: string) => boolean;
  dateFilter: (day: DayNumber) => boolean;
  entryNos: ReadonlySet<number> | null;
  enforceDimensions: boolean;
  /** Resolved lines by matrix row id, then location, group, bus., prod., WIP group (see resolvedLinesFor). */
  resolvedLines: Map<string, unknown>[];
  /**
   * The line keys met so far (groupingKey.ts): by lineKeyId, the first template with that key (every template
   * of a key has the same account, since the key holds all the setup keys the account is resolved from).
   */
  lineKeys: LineKeys<LineTemplate>;
}

export class RunOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunOptionsError";
  }
}

type OptionsToCheck = Pick<
  RunOptions,
  "postingMethod" | "documentNo" | "itemFilter" | "dateFilter"
>;
type ParsedFilters = { item: (itemNo: string) => boolean; date: (day: DayNumber) => boolean };

function parseOptions(
  options: OptionsToCheck
): { ok: true; filters: ParsedFilters } | { ok: false; error: string } {
  if (options.postingMethod === "per Posting Group" && options.documentNo.trim() === "")
    return { ok: false, error: "Please enter a Document No. when posting per Posting Group." };
  if (options.postingMethod === "per Entry" && options.documentNo.trim() !== "")
    return { ok: false, error: "Do not enter a Document No. when posting per Entry." };
  const item = parseCodeFilter(options.itemFilter, "Item No.");
  if (!item.ok) return item;
  const date = parseDateFilter(options.dateFilter);
  if (!date.ok) return date;
  return { ok: true, filters: { item: item.test, date: date.test } };
}

declare const CHECKED: unique symbol;
/**
 * Run options checked against rules.md section 5, their filters parsed: the front end checks once
 * (parseRunOptions) and hands these to the engine, which then parses nothing again. Frozen, and the parsed
 * filters are found by the object's identity, so a changed copy is checked afresh rather than trusted.
 */
export type CheckedRunOptions = Readonly<RunOptions> & { readonly [CHECKED]: true };

const parsedFilters = new WeakMap<object, ParsedFilters>();

/** rules.md section 5, as BC words it: the checked options, or the usage error. */
export function parseRunOptions(
  options: RunOptions
): { ok: true; options: CheckedRunOptions } | { ok: false; error: string } {
  if (parsedFilters.has(options)) return { ok: true, options: options as CheckedRunOptions };
  const p = parseOptions(options);
  if (!p.ok) return p;
  const checked = Object.freeze({ ...options }) as CheckedRunOptions;
  parsedFilters.set(checked, p.filters);
  return { ok: true, options: checked };
}

/** rules.md section 5, as BC words it. null when the options are fine. */
export function checkRunOptions(options: OptionsToCheck): string | null {
  const p = parseOptions(options);
  return p.ok ? null : p.error;
}

/** The run's environment. Options not yet checked are checked here (RunOptionsError when they are wrong). */
export function createEnv(input: PostingInput, options: RunOptions): Env {
  let filters = parsedFilters.get(options);
  if (filters === undefined) {
    const parsed = parseRunOptions(options);
    if (!parsed.ok) throw new RunOptionsError(parsed.error);
    filters = parsedFilters.get(parsed.options)!;
  }
  return {
    // A User Setup row for the run's user decides its allowed posting dates (userSetup.ts).
    settings: settingsForUser(input.settings, input.userSetup, options.userId),
    setup: buildSetupIndex(input),
    acy: input.settings.additionalReportingCurrency.trim() !== "",
    itemFilter: filters.item,
    dateFilter: filters.date,
    entryNos: options.entryNos ?? null,
    enforceDimensions: options.dimensionRules === "enforce",
    resolvedLines: [],
    lineKeys: new LineKeys(),
  };
}

function usesWip(row: MatrixRow): boolean {
  return (
    row.act[0] === AT["WIP Inventory"] ||
    row.act[1] === AT["WIP Inventory"] ||
    (row.exp !== null && (row.exp[0] === AT["WIP Inventory"] || row.exp[1] === AT["WIP Inventory"]))
  );
}

function makeLines(
  env: Env,
  part: "exp" | "act",
  pair: readonly [number, number],
  e: ValueEntry,
  wipGroup: string
): LineTemplate[] {
  const out: LineTemplate[] = [];
  for (const balancing of [false, true]) {
    const accountType = balancing ? pair[1] : pair[0];
    const balAccountType = balancing ? pair[0] : pair[1];
    const key: GroupKeyFields = {
      accountType,
      balAccountType,
      locationCode: e.locationCode,
      inventoryPostingGroup:
        accountType === AT["WIP Inventory"] ? wipGroup : e.inventoryPostingGroup,
      genBusPostingGroup: e.genBusPostingGroup,
      genProdPostingGroup: e.genProdPostingGroup,
    };
    const account = resolveAccount(
      accountType,
      key.locationCode,
      key.inventoryPostingGroup,
      key.genBusPostingGroup,
      key.genProdPostingGroup,
      env.setup
    );
    const found = env.lineKeys.find(key);
    // Plain literals, not spreads: these objects are read in the hot loop, and a spread gives V8 objects of
    // another (slower) shape (measured: evaluateEntry 2x slower).
    const template: LineTemplate = {
      accountType,
      balAccountType,
      locationCode: key.locationCode,
      inventoryPostingGroup: key.inventoryPostingGroup,
      genBusPostingGroup: key.genBusPostingGroup,
      genProdPostingGroup: key.genProdPostingGroup,
      part,
      balancing,
      account,
      lineKeyId: found >= 0 ? found : env.lineKeys.keys.length,
    };
    if (found < 0) env.lineKeys.add(template);
    out.push(template);
  }
  return out;
}

type Level = Map<string, unknown>;

/** The next level of a nested lookup, created when missing. */
function level(m: Level, key: string): Level {
  let next = m.get(key) as Level | undefined;
  if (next === undefined) m.set(key, (next = new Map()));
  return next;
}

/**
 * The resolved lines for an entry's row and setup keys, from a nested lookup by (row, location, inventory
 * posting group, gen. bus., gen. prod., WIP group): no key string, array or closure per entry.
 */
function resolvedLinesFor(env: Env, row: MatrixRow, rowId: number, e: ValueEntry): ResolvedLines {
  const wipGroup = usesWip(row) ? wipInventoryPostingGroup(e, env.setup) : "";
  const byRow = (env.resolvedLines[rowId] ??= new Map());
  const byProd = level(
    level(level(byRow, e.locationCode), e.inventoryPostingGroup),
    e.genBusPostingGroup
  );
  const byWip = level(byProd, e.genProdPostingGroup);
  let resolved = byWip.get(wipGroup) as ResolvedLines | undefined;
  if (resolved === undefined) {
    const exp = row.exp === null ? [] : makeLines(env, "exp", row.exp, e, wipGroup);
    const act = makeLines(env, "act", row.act, e, wipGroup);
    resolved = { exp, act, both: exp.concat(act) };
    byWip.set(wipGroup, resolved);
  }
  return resolved;
}

const rowIds = new Map<MatrixRow, number>();
function rowId(row: MatrixRow): number {
  let id = rowIds.get(row);
  if (id === undefined) {
    id = rowIds.size;
    rowIds.set(row, id);
  }
  return id;
}

export interface Evaluation {
  outcome: Outcome;
  /** Every problem found, in section 4 order (entry-level first, then line by line); empty unless skipped. */
  problems: Problem[];
  /** The lines the entry would post now: Exp pair before Act pair, account line before balancing line. */
  lines: LineTemplate[];
  /** Amounts of those pairs: the Exp pair posts expLcy/expAcy, the Act pair actLcy/actAcy. */
  expLcy: Money;
  expAcy: Money;
  actLcy: Money;
  actAcy: Money;
  /** Whether the entry's row has a pair for the expected / actual part that posts now. */
  postsExp: boolean;
  postsAct: boolean;
}

const NOTHING: readonly LineTemplate[] = [];

function base(outcome: Outcome): Evaluation {
  return {
    outcome,
    problems: [],
    lines: NOTHING as LineTemplate[],
    expLcy: 0,
    expAcy: 0,
    actLcy: 0,
    actAcy: 0,
    postsExp: false,
    postsAct: false,
  };
}

function allZero(e: ValueEntry, acy: boolean): boolean {
  if (
    e.costAmountActual !== 0 ||
    e.costAmountExpected !== 0 ||
    e.costPostedToGL !== 0 ||
    e.expectedCostPostedToGL !== 0
  )
    return false;
  if (!acy) return true;
  return (
    e.costAmountActualACY === 0 &&
    e.costAmountExpectedACY === 0 &&
    e.costPostedToGLACY === 0 &&
    e.expCostPostedToGLACY === 0
  );
}

/**
 * The outcome of one entry, decided in the order of rules.md section 4: filtered out, ignored, then the
 * reason table from the top. An entry with an entry-level problem still has its line problems listed,
 * so the reason text names every failure found.
 */
export function evaluateEntry(e: ValueEntry, env: Env): Evaluation {
  if (
    !env.itemFilter(e.itemNo) ||
    !env.dateFilter(e.postingDate) ||
    (env.entryNos !== null && !env.entryNos.has(e.entryNo))
  )
    return base("filteredOut");
  const s = env.settings;
  // Non-inventory cost is ignored only on Output with setting 8 off (BC buffers nothing there); on any other
  // type it falls through to INVALID_COMBINATION below, as BC stops with that error (codeunit 5802).
  if (
    !e.inventoriable ||
    allZero(e, env.acy) ||
    (!s.includeNonInventoryCostInProduction &&
      e.itemLedgerEntryType === "Output" &&
      isNonInventoryCost(e.entryType, e.varianceType))
  )
    return base("ignored");

  const row = findMatrixRow(e.itemLedgerEntryType, e.entryType, e.varianceType, e.orderType);
  const problems: Problem[] = [];
  if (row === undefined) {
    const ev = base("skipped");
    ev.problems.push(P.invalidCombination(e));
    ev.actLcy = e.costAmountActual - e.costPostedToGL;
    ev.expLcy = s.expectedCostPostingToGL ? e.costAmountExpected - e.expectedCostPostedToGL : 0;
    return ev;
  }
  if (!canHaveExpectedCost(e.entryType) && (e.expectedCost || e.costAmountExpected !== 0))
    for (const p of P.expectedOnWrongType(e)) problems.push(p);
  if (!s.expectedCostPostingToGL && e.expectedCost && e.expectedCostPostedToGL === 0)
    problems.push(P.expectedCostPostingOff(e));

  const expLcy = s.expectedCostPostingToGL ? e.costAmountExpected - e.expectedCostPostedToGL : 0;
  const expAcy =
    s.expectedCostPostingToGL && env.acy ? e.costAmountExpectedACY - e.expCostPostedToGLACY : 0;
  const actLcy = e.costAmountActual - e.costPostedToGL;
  const actAcy = env.acy ? e.costAmountActualACY - e.costPostedToGLACY : 0;
  // A difference no pair of the row can post does not count as something to post.
  const postsExp = row.exp !== null && (expLcy !== 0 || expAcy !== 0);
  const postsAct = actLcy !== 0 || actAcy !== 0;

  if (!postsExp && !postsAct) {
    if (problems.length === 0) return base("alreadyPosted");
    const ev = base("skipped");
    ev.problems = problems;
    return ev;
  }
  if (
    (s.allowPostingFrom !== null && e.postingDate < s.allowPostingFrom) ||
    (s.allowPostingTo !== null && e.postingDate > s.allowPostingTo)
  )
    problems.push(P.postingDateNotAllowed(e.postingDate, s.allowPostingFrom, s.allowPostingTo));

  const resolved = resolvedLinesFor(env, row, rowId(row), e);
  const lines = postsExp ? (postsAct ? resolved.both : resolved.exp) : resolved.act;
  for (const line of lines) if (line.account.problem !== null) problems.push(line.account.problem);
  if (env.enforceDimensions)
    for (const line of lines)
      if (line.account.problem === null)
        for (const text of dimensionViolations(line.account.glAccountNo, e, env.setup))
          problems.push(P.dimensionRule(text, e.entryNo));

  return {
    outcome: problems.length === 0 ? "posted" : "skipped",
    problems,
    lines,
    expLcy: postsExp ? expLcy : 0,
    expAcy: postsExp ? expAcy : 0,
    actLcy: postsAct ? actLcy : 0,
    actAcy: postsAct ? actAcy : 0,
    postsExp,
    postsAct,
  };
}

/** The LCY and ACY amount of one line of an evaluation. */
export function lineAmount(ev: Evaluation, line: LineTemplate): [Money, Money] {
  const lcy = line.part === "exp" ? ev.expLcy : ev.actLcy;
  const acy = line.part === "exp" ? ev.expAcy : ev.actAcy;
  return line.balancing ? [-lcy || 0, -acy || 0] : [lcy, acy];
}

/**
 * The account lines an entry's matrix row resolves to, whatever its amounts (=INVT.GLACCOUNT: "why does this
 * cost land there", also for an entry already posted); null for an entry no matrix row matches.
 */
export function entryAccountLines(
  e: ValueEntry,
  env: Env
): { row: MatrixRow; exp: LineTemplate[]; act: LineTemplate[] } | null {
  const row = findMatrixRow(e.itemLedgerEntryType, e.entryType, e.varianceType, e.orderType);
  if (row === undefined) return null;
  const resolved = resolvedLinesFor(env, row, rowId(row), e);
  return { row, exp: resolved.exp, act: resolved.act };
}
