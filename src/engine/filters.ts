/**
 * rules.md section 5: Business Central's filter syntax for the run's Item No. and Posting Date filters.
 *
 *   A|B   either          A&B   both          (..)  grouping          A..B  range (..B, A.. open)
 *   <>A   not A           <A  >A  <=A  >=A  =A   comparisons           ''    blank
 *   * ?   wildcards (codes only)   @A  case-insensitive   'A|B'  a quoted literal ('' inside for ')
 *
 * `&` binds tighter than `|`, as in BC (`..B&<>A|C` is `(..B & <>A) | C`). Codes compare as BC compares Code
 * fields: upper-cased, so `@` changes nothing for them. Dates are ISO yyyy-mm-dd. Anything this grammar does not
 * read, and a range whose start is after its end, is an error naming the filter (a usage error, exit 2): a
 * filter never silently matches nothing because it was misread.
 */
import { isoToDay } from "./dates";
import type { DayNumber } from "./types";

export type FilterParse<T> =
  { ok: true; test: (value: T) => boolean } | { ok: false; error: string };

type Test<T> = (v: T) => boolean;

interface ValueKind<T extends string | number> {
  /** The value of a literal, or null when it is not one of this kind. */
  parse(s: string): T | null;
  /** What a literal should look like, for errors. */
  expected: string;
  wildcards: boolean;
  caseInsensitive: boolean;
}

class FilterSyntaxError extends Error {}

const CODE: ValueKind<string> = {
  parse: (s) => s.toUpperCase(),
  expected: "a code",
  wildcards: true,
  caseInsensitive: true,
};
const DATE: ValueKind<DayNumber> = {
  parse: isoToDay,
  expected: "a date (yyyy-mm-dd)",
  wildcards: false,
  caseInsensitive: false,
};

/** A literal as typed: its text, whether it was quoted (quoted text is literal: no wildcards, no operators). */
interface Literal {
  text: string;
  quoted: boolean;
}

/** Splits a filter into terms and the symbols | & ( ), keeping quoted text whole. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  let term = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      quoted = !quoted;
      term += ch;
    } else if (!quoted && (ch === "|" || ch === "&" || ch === "(" || ch === ")")) {
      if (term.trim() !== "") out.push(term.trim());
      else if (ch !== "(" && (out.length === 0 || out[out.length - 1] !== ")")) out.push("");
      out.push(ch);
      term = "";
    } else term += ch;
  }
  if (quoted) throw new FilterSyntaxError("a quote (') is not closed");
  if (term.trim() !== "") out.push(term.trim());
  else if (out.length === 0 || out[out.length - 1] !== ")") out.push("");
  return out;
}

/** Reads 'quoted' text (with '' for a quote) or plain text. */
function literal(s: string): Literal {
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) {
    const inner = s.slice(1, -1);
    if (inner.replace(/''/g, "").includes("'"))
      throw new FilterSyntaxError(`"${s}" has a stray quote`);
    return { text: inner.replace(/''/g, "'"), quoted: true };
  }
  if (s.includes("'")) throw new FilterSyntaxError(`"${s}" has a stray quote`);
  return { text: s, quoted: false };
}

/** Index of ".." outside quotes, or -1. */
function rangeDots(s: string): number {
  let quoted = false;
  for (let i = 0; i < s.length - 1; i++) {
    if (s[i] === "'") quoted = !quoted;
    else if (!quoted && s[i] === "." && s[i + 1] === ".") return i;
  }
  return -1;
}

/** A glob (* any run, ? one character) as an anchored regular expression. */
function globRegExp(pattern: string): RegExp {
  let re = "";
  for (const ch of pattern)
    re += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${re}$`, "s");
}

function hasWildcard(l: Literal): boolean {
  return !l.quoted && /[*?]/.test(l.text);
}

/** One term: an optional @, an optional comparison, then a value, a range or a pattern. */
function term<T extends string | number>(raw: string, kind: ValueKind<T>): Test<T | null> {
  let s = raw.trim();
  if (s === "") throw new FilterSyntaxError("an alternative is empty");
  if (s.startsWith("@")) {
    if (!kind.caseInsensitive)
      throw new FilterSyntaxError(`"@" applies to text, not to ${kind.expected}`);
    s = s.slice(1).trim();
  }
  const op = /^(<>|<=|>=|<|>|=)/.exec(s)?.[1] ?? "";
  const rest = s.slice(op.length).trim();
  const value = (l: Literal): T => {
    const v = kind.parse(l.text);
    if (v === null) throw new FilterSyntaxError(`"${l.text}" is not ${kind.expected}`);
    return v;
  };
  const dots = op === "" ? rangeDots(rest) : -1;
  if (dots >= 0) {
    const a = rest.slice(0, dots).trim();
    const b = rest.slice(dots + 2).trim();
    if (rangeDots(b) >= 0) throw new FilterSyntaxError(`"${rest}" has more than one ".."`);
    if (a === "" && b === "")
      throw new FilterSyntaxError('".." needs a value on at least one side');
    const la = a === "" ? null : literal(a);
    const lb = b === "" ? null : literal(b);
    if ((la !== null && hasWildcard(la)) || (lb !== null && hasWildcard(lb)))
      throw new FilterSyntaxError(`wildcards do not apply in a range ("${rest}")`);
    const from = la === null ? null : value(la);
    const to = lb === null ? null : value(lb);
    if (from !== null && to !== null && from > to)
      throw new FilterSyntaxError(`the range "${rest}" starts after it ends`);
    return (v) => v !== null && (from === null || v >= from) && (to === null || v <= to);
  }
  if (rest === "") throw new FilterSyntaxError(`"${op}" needs a value`);
  const l = literal(rest);
  if (l.quoted && l.text === "") {
    // '' is the blank value.
    if (op === "" || op === "=") return (v) => v === null || v === "";
    if (op === "<>") return (v) => v !== null && v !== "";
    throw new FilterSyntaxError(`"${op}''" compares with a blank value`);
  }
  if (hasWildcard(l)) {
    if (!kind.wildcards)
      throw new FilterSyntaxError(`wildcards (* ?) do not apply to ${kind.expected}`);
    if (op !== "" && op !== "=" && op !== "<>")
      throw new FilterSyntaxError(`"${op}" does not take a wildcard pattern`);
    const re = globRegExp(String(value(l)));
    return op === "<>"
      ? (v) => v !== null && !re.test(String(v))
      : (v) => v !== null && re.test(String(v));
  }
  const x = value(l);
  switch (op) {
    case "<>":
      return (v) => v !== null && v !== x;
    case "<":
      return (v) => v !== null && v < x;
    case ">":
      return (v) => v !== null && v > x;
    case "<=":
      return (v) => v !== null && v <= x;
    case ">=":
      return (v) => v !== null && v >= x;
    default:
      return (v) => v === x;
  }
}

/** expr := and ('|' and)* ; and := unary ('&' unary)* ; unary := '(' expr ')' | term */
function compile<T extends string | number>(text: string, kind: ValueKind<T>): Test<T | null> {
  const tokens = tokenize(text);
  let i = 0;
  // next (op next)*: true when any (|) or every (&) part is.
  const joined = (op: "|" | "&", next: () => Test<T | null>): Test<T | null> => {
    const parts = [next()];
    while (tokens[i] === op) {
      i++;
      parts.push(next());
    }
    if (parts.length === 1) return parts[0];
    // Plain loops: these run once per value entry (no closure per call).
    if (op === "|")
      return (v) => {
        for (let k = 0; k < parts.length; k++) if (parts[k](v)) return true;
        return false;
      };
    return (v) => {
      for (let k = 0; k < parts.length; k++) if (!parts[k](v)) return false;
      return true;
    };
  };
  const expr = (): Test<T | null> => joined("|", and);
  const and = (): Test<T | null> => joined("&", unary);
  const unary = (): Test<T | null> => {
    const t = tokens[i];
    if (t === undefined) throw new FilterSyntaxError("it ends where a value is expected");
    if (t === "(") {
      i++;
      const inner = expr();
      if (tokens[i] !== ")") throw new FilterSyntaxError('a "(" is not closed');
      i++;
      return inner;
    }
    if (t === ")" || t === "|" || t === "&")
      throw new FilterSyntaxError(t === ")" ? 'a ")" has no "("' : "an alternative is empty");
    i++;
    return term(t, kind);
  };
  const test = expr();
  if (i < tokens.length)
    throw new FilterSyntaxError(
      tokens[i] === ")" ? 'a ")" has no "("' : `"${tokens[i]}" follows a value without | or &`
    );
  return test;
}

function parse<T extends string | number>(
  text: string,
  kind: ValueKind<T>,
  what: string
): FilterParse<T> | { ok: false; error: string } {
  try {
    const test = compile(text, kind);
    return { ok: true, test: test as (v: T) => boolean };
  } catch (e) {
    if (e instanceof FilterSyntaxError)
      return { ok: false, error: `"${text}" is not a valid ${what} filter: ${e.message}.` };
    throw e;
  }
}

/** An Item No. (code) filter; '' matches everything. */
export function parseCodeFilter(text: string, what = "code"): FilterParse<string> {
  if (text.trim() === "") return { ok: true, test: () => true };
  const r = parse(text, CODE, what);
  if (!r.ok) return r;
  const test = r.test;
  return { ok: true, test: (v) => test(v.toUpperCase()) };
}

/** A Posting Date filter with ISO dates; '' matches everything. */
export function parseDateFilter(text: string, what = "date"): FilterParse<DayNumber> {
  if (text.trim() === "") return { ok: true, test: () => true };
  return parse(text, DATE, what);
}
