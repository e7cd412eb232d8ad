/**
 * rules.md section 5: BC's filter syntax for the Item No. and Posting Date filters. Examples worked out by hand,
 * then a property test of the parser against a small reference matcher written independently below (it
 * evaluates the filter's tree directly, with its own glob matcher, never through the parser).
 */
import fc from "fast-check";
import { checkRunOptions } from "../../src/engine/evaluate";
import { parseCodeFilter, parseDateFilter } from "../../src/engine/filters";
import { day } from "./builders";

const VALUES = ["A", "B", "ABC", "", "C", "A|B", "a"];
const matching = (filter: string) => {
  const r = parseCodeFilter(filter, "Item No.");
  if (!r.ok) throw new Error(r.error);
  return VALUES.filter((v) => r.test(v));
};
const codeError = (filter: string) => {
  const r = parseCodeFilter(filter, "Item No.");
  return r.ok ? null : r.error;
};

describe("code filters", () => {
  test.each([
    ["A|B", ["A", "B", "a"]],
    ["A..B", ["A", "B", "ABC", "A|B", "a"]],
    ["..B", ["A", "B", "ABC", "", "A|B", "a"]],
    ["B..", ["B", "C"]],
    ["<>A", ["B", "ABC", "", "C", "A|B"]],
    ["<B", ["A", "ABC", "", "A|B", "a"]],
    [">B", ["C"]],
    ["<=B", ["A", "B", "ABC", "", "A|B", "a"]],
    [">=B&<=C", ["B", "C"]],
    ["A*", ["A", "ABC", "A|B", "a"]],
    ["?", ["A", "B", "C", "a"]],
    ["@a?c", ["ABC"]],
    ["<>*B*", ["A", "", "C", "a"]],
    ["''", [""]],
    ["<>''", ["A", "B", "ABC", "C", "A|B", "a"]],
    ["(A|B)&<>A", ["B"]],
    ["A|B&C", ["A", "a"]],
    ["'A|B'", ["A|B"]],
    [" A | C ", ["A", "C", "a"]],
  ])("%p matches %p", (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });

  test.each([
    ["C..A", 'the range "C..A" starts after it ends'],
    ["A|", "an alternative is empty"],
    ["|A", "an alternative is empty"],
    ["A&&B", "an alternative is empty"],
    ["(A|B", 'a "(" is not closed'],
    ["A)", 'a ")" has no "("'],
    ["()", "an alternative is empty"],
    ["A..B..C", '"A..B..C" has more than one ".."'],
    ["..", '".." needs a value on at least one side'],
    ["<A*", '"<" does not take a wildcard pattern'],
    ["A*..B", 'wildcards do not apply in a range ("A*..B")'],
    ["'A", "a quote (') is not closed"],
    ["<>", '"<>" needs a value'],
  ])("%p is refused: %s", (filter, why) => {
    expect(codeError(filter)).toBe(`"${filter}" is not a valid Item No. filter: ${why}.`);
  });
});

describe("date filters", () => {
  const days = ["2026-01-04", "2026-01-05", "2026-01-31", "2026-02-15", "2026-03-01", "2026-04-10"];
  const dates = (filter: string) => {
    const r = parseDateFilter(filter);
    if (!r.ok) throw new Error(r.error);
    return days.filter((d) => r.test(day(d)));
  };
  test("<>, ranges, open ranges, | and &", () => {
    expect(dates("<>2026-01-05")).toEqual([
      "2026-01-04",
      "2026-01-31",
      "2026-02-15",
      "2026-03-01",
      "2026-04-10",
    ]);
    expect(dates("2026-01-01..2026-01-31|2026-03-01..")).toEqual([
      "2026-01-04",
      "2026-01-05",
      "2026-01-31",
      "2026-03-01",
      "2026-04-10",
    ]);
    expect(dates("..2026-01-31&<>2026-01-05")).toEqual(["2026-01-04", "2026-01-31"]);
    expect(dates(">2026-02-15")).toEqual(["2026-03-01", "2026-04-10"]);
    expect(dates("<>''")).toEqual(days);
    expect(dates("''")).toEqual([]);
  });
  test.each([
    ["2026-02-01..2026-01-01", 'the range "2026-02-01..2026-01-01" starts after it ends'],
    ["2026-13-01..", '"2026-13-01" is not a date (yyyy-mm-dd)'],
    ["2026-01-0*", "wildcards (* ?) do not apply to a date (yyyy-mm-dd)"],
    ["@2026-01-01", '"@" applies to text, not to a date (yyyy-mm-dd)'],
    ["1/5/2026", '"1/5/2026" is not a date (yyyy-mm-dd)'],
  ])("%p is refused: %s", (filter, why) => {
    const r = parseDateFilter(filter);
    expect(r.ok ? null : r.error).toBe(`"${filter}" is not a valid date filter: ${why}.`);
  });
  test("the run refuses them before anything is read (a usage error naming the filter)", () => {
    const base = {
      postingMethod: "per Entry" as const,
      documentNo: "",
      itemFilter: "",
      dateFilter: "",
    };
    expect(checkRunOptions({ ...base, itemFilter: "C..A" })).toBe(
      '"C..A" is not a valid Item No. filter: the range "C..A" starts after it ends.'
    );
    expect(checkRunOptions({ ...base, dateFilter: "2026-01-31..2026-01-01" })).toBe(
      '"2026-01-31..2026-01-01" is not a valid date filter: the range "2026-01-31..2026-01-01" starts after it ends.'
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property test: a filter tree, rendered as text, parsed, against the tree evaluated directly.

type Op = "=" | "<>" | "<" | ">" | "<=" | ">=";
type Node =
  | { t: "cmp"; op: Op; value: string; at: boolean }
  | { t: "range"; from: string | null; to: string | null }
  | { t: "glob"; not: boolean; pattern: string }
  | { t: "blank"; not: boolean }
  | { t: "or" | "and"; parts: Node[]; paren: boolean };

/** A hand-written glob matcher: * any run, ? one character. */
function glob(p: string, s: string): boolean {
  if (p === "") return s === "";
  if (p[0] === "*") return glob(p.slice(1), s) || (s !== "" && glob(p, s.slice(1)));
  return s !== "" && (p[0] === "?" || p[0] === s[0]) && glob(p.slice(1), s.slice(1));
}

function refCode(n: Node, raw: string): boolean {
  const v = raw.toUpperCase();
  switch (n.t) {
    case "cmp": {
      const x = n.value.toUpperCase();
      return { "=": v === x, "<>": v !== x, "<": v < x, ">": v > x, "<=": v <= x, ">=": v >= x }[
        n.op
      ];
    }
    case "range":
      return (n.from === null || v >= n.from) && (n.to === null || v <= n.to);
    case "glob":
      return glob(n.pattern, v) !== n.not;
    case "blank":
      return (v === "") !== n.not;
    case "or":
      return n.parts.some((p) => refCode(p, raw));
    case "and":
      return n.parts.every((p) => refCode(p, raw));
  }
}

function render(n: Node, parentAnd: boolean): string {
  switch (n.t) {
    case "cmp":
      return `${n.at ? "@" : ""}${n.op === "=" ? "" : n.op}${n.at ? n.value.toLowerCase() : n.value}`;
    case "range":
      return `${n.from ?? ""}..${n.to ?? ""}`;
    case "glob":
      return `${n.not ? "<>" : ""}${n.pattern}`;
    case "blank":
      return n.not ? "<>''" : "''";
    case "or":
    case "and": {
      const inner = n.parts.map((p) => render(p, n.t === "and")).join(n.t === "or" ? "|" : "&");
      // An | inside an & needs parentheses; elsewhere they are optional.
      return n.paren || (n.t === "or" && parentAnd) ? `(${inner})` : inner;
    }
  }
}

const code = fc.stringMatching(/^[ABC]{1,3}$/);
const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({
    t: fc.constant("cmp" as const),
    op: fc.constantFrom<Op>("=", "<>", "<", ">", "<=", ">="),
    value: code,
    at: fc.boolean(),
  }),
  fc
    .tuple(fc.option(code), fc.option(code))
    .filter(([a, b]) => (a !== null || b !== null) && (a === null || b === null || a <= b))
    .map(([from, to]): Node => ({ t: "range", from, to })),
  fc.record({
    t: fc.constant("glob" as const),
    not: fc.boolean(),
    pattern: fc.stringMatching(/^[AB*?]{1,4}$/).filter((p) => /[*?]/.test(p)),
  }),
  fc.record({ t: fc.constant("blank" as const), not: fc.boolean() })
);
const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({
      t: fc.constantFrom("or" as const, "and" as const),
      parts: fc.array(tie("node"), { minLength: 2, maxLength: 3 }),
      paren: fc.boolean(),
    })
  ),
})).node;

test("property: the parser agrees with the reference matcher on generated filters and values", () => {
  fc.assert(
    fc.property(
      tree,
      fc.array(fc.stringMatching(/^[ABCabc]{0,3}$/), { minLength: 1, maxLength: 8 }),
      (n, values) => {
        const text = render(n, false);
        const r = parseCodeFilter(text, "Item No.");
        if (!r.ok) throw new Error(`${text}: ${r.error}`);
        for (const v of values) expect([text, v, r.test(v)]).toEqual([text, v, refCode(n, v)]);
      }
    ),
    { numRuns: 300 }
  );
});

test("property: date filters agree with day-number comparisons", () => {
  const D0 = day("2026-01-01");
  const iso = (d: number) => new Date(d * 86400000).toISOString().slice(0, 10);
  const dayArb = fc.integer({ min: 0, max: 60 });
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.tuple(fc.constantFrom<Op>("=", "<>", "<", ">", "<=", ">="), dayArb).map(([op, d]) => ({
            text: `${op === "=" ? "" : op}${iso(D0 + d)}`,
            test: (v: number) =>
              ({
                "=": v === D0 + d,
                "<>": v !== D0 + d,
                "<": v < D0 + d,
                ">": v > D0 + d,
                "<=": v <= D0 + d,
                ">=": v >= D0 + d,
              })[op],
          })),
          fc.tuple(dayArb, dayArb).map(([a, b]) => {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            return {
              text: `${iso(D0 + lo)}..${iso(D0 + hi)}`,
              test: (v: number) => v >= D0 + lo && v <= D0 + hi,
            };
          })
        ),
        { minLength: 1, maxLength: 4 }
      ),
      fc.array(dayArb, { minLength: 1, maxLength: 10 }),
      (alternatives, probes) => {
        const text = alternatives.map((a) => a.text).join("|");
        const r = parseDateFilter(text);
        if (!r.ok) throw new Error(r.error);
        for (const p of probes)
          expect([text, p, r.test(D0 + p)]).toEqual([
            text,
            p,
            alternatives.some((a) => a.test(D0 + p)),
          ]);
      }
    ),
    { numRuns: 200 }
  );
});
