/**
 * The input fingerprint of a G/L Register (rules.md section 6): a 64-bit hash of everything that decides
 * what a run posts (value entries, setup, items, accounts, settings, options), so an auditor can tell
 * whether two runs saw the same input. Two independent 32-bit FNV-1a style lanes; not cryptographic.
 *
 * The run (post.ts) hashes each value entry's numbers and its outcome as it goes, and each distinct
 * setup key and dimension tuple once, when first met: a million entries cost no per-character work.
 */
import type { PostingInput, RunOptions } from "./types";

export class Hasher {
  private h1 = 0x811c9dc5 | 0;
  private h2 = 0x01000193 ^ 0x5bd1e995;
  str(s: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    // A separator, so ("ab","c") and ("a","bc") differ.
    this.h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
    return this;
  }
  num(n: number): this {
    // Integers (money units, day numbers, ids) hash by value without string conversion.
    const lo = n | 0;
    const hi = Math.floor(n / 4294967296) | 0;
    this.h1 = Math.imul(Math.imul(this.h1 ^ lo, 0x01000193) ^ hi, 0x01000193);
    let h2 = Math.imul(this.h2 ^ lo, 0x5bd1e995);
    h2 ^= h2 >>> 13;
    this.h2 = Math.imul(h2 ^ hi, 0x5bd1e995);
    return this;
  }
  hex(): string {
    const a = (this.h1 >>> 0).toString(16).padStart(8, "0");
    const b = ((this.h2 ^ (this.h2 >>> 16)) >>> 0).toString(16).padStart(8, "0");
    return a + b;
  }
}

/** Setup, settings and options: everything but the value entries (hashed as the run reads them, see post.ts). */
export function hashSetupAndOptions(h: Hasher, input: PostingInput, options: RunOptions): Hasher {
  h.str(options.postingMethod)
    .str(options.documentNo)
    .str(options.itemFilter)
    .str(options.dateFilter);
  h.str(JSON.stringify(input.settings));
  for (const s of input.inventoryPostingSetup)
    h.str(s.locationCode).str(s.invtPostingGroupCode).str(s.accounts.join(","));
  for (const s of input.generalPostingSetup)
    h.str(s.genBusPostingGroup)
      .str(s.genProdPostingGroup)
      .num(+s.blocked)
      .str(s.accounts.join(","));
  for (const i of input.items ?? []) h.str(i.no).str(i.inventoryPostingGroup);
  for (const a of input.glAccounts ?? []) h.str(a.no).str(a.accountType).num(+a.blocked);
  return h;
}
