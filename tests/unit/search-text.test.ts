import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compact, fold, indexTokens, phoneDigits, reverse, tokens } from "../../lib/search/normalize.ts";
import { deletions, editDistance, maxEdits, prefixDistance } from "../../lib/search/fuzzy.ts";

describe("folding and tokens", () => {
  it("folds accents, letters without a decomposition, apostrophes and case", () => {
    expect(fold("José García")).toBe("jose garcia");
    expect(fold("Zoë O'Brien")).toBe("zoe obrien");
    expect(fold("Łukasz Wójcik")).toBe("lukasz wojcik");
    expect(fold("Søren Kierkegård")).toBe("soren kierkegard");
    expect(fold("Jürgen Groß")).toBe("jurgen gross");
    expect(fold("Siobhán Ní Bhriain")).toBe("siobhan ni bhriain");
  });

  it("splits words on anything that is not a letter or digit", () => {
    expect(tokens("Anne-Marie D'Arcy")).toEqual(["anne", "marie", "darcy"]);
    expect(tokens("  van 't Hof ")).toEqual(["van", "t", "hof"]);
  });

  it("indexes hyphenated words whole and in parts, apostrophe names joined and by their last part, no single letters", () => {
    expect(indexTokens("Anne-Marie D'Arcy").sort()).toEqual(["anne", "annemarie", "arcy", "darcy", "marie"]);
    expect(indexTokens("Zoë O'Brien").sort()).toEqual(["brien", "obrien", "zoe"]);
    expect(indexTokens("van 't Hof")).toEqual(["van", "hof"]);
    expect(indexTokens("Saint-Étienne")).toEqual(["saint", "etienne", "saintetienne"]);
  });

  it("compacts identifiers to upper-case letters and digits", () => {
    expect(compact("blu-m 0042")).toBe("BLUM0042");
    expect(compact("SW1A 1AA")).toBe("SW1A1AA");
  });

  it("drops international and trunk prefixes' leading zeros from phone digits", () => {
    expect(phoneDigits("+34 612 345 678")).toBe("34612345678");
    expect(phoneDigits("0034 612 345 678")).toBe("34612345678");
    expect(phoneDigits("(0171) 234-5678")).toBe("1712345678");
  });

  it("reverses strings, and twice is the identity", () => {
    expect(reverse("8812")).toBe("2188");
    fc.assert(fc.property(fc.string(), (s) => reverse(reverse(s)) === s));
  });

  it("fold is idempotent", () => {
    fc.assert(fc.property(fc.string(), (s) => fold(fold(s)) === fold(s)));
  });
});

describe("edit distance (optimal string alignment)", () => {
  it("counts substitutions, insertions, deletions and adjacent transpositions as one edit each", () => {
    expect(editDistance("john", "john")).toBe(0);
    expect(editDistance("jhon", "john")).toBe(1);
    expect(editDistance("smiht", "smith")).toBe(1);
    expect(editDistance("garcia", "garcai")).toBe(1);
    expect(editDistance("garcia", "garca")).toBe(1);
    expect(editDistance("garcia", "garcias")).toBe(1);
    expect(editDistance("smiht", "smyth")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("stops early past the limit, returning limit + 1", () => {
    expect(editDistance("alexander", "bob", 2)).toBe(3);
    expect(editDistance("abcdef", "uvwxyz", 1)).toBe(2);
  });

  it("agrees with the textbook dynamic programme on random strings", () => {
    const osa = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
      return d[a.length]![b.length]!;
    };
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 9 });
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === osa(a, b)), { numRuns: 2000 });
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b, 1) === Math.min(osa(a, b), 2)), { numRuns: 2000 });
  });

  it("is symmetric and zero only for equal strings", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 8 });
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === editDistance(b, a) && (editDistance(a, b) === 0) === (a === b)));
  });

  it("allows no typo in short words, one up to four letters, two beyond", () => {
    expect([1, 2, 3, 4, 5, 9].map(maxEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("measures an unfinished word against the closest prefix", () => {
    expect(prefixDistance("garc", "garcia", 1)).toBe(0);
    expect(prefixDistance("gacr", "garcia", 1)).toBe(1);
    expect(prefixDistance("xyz", "garcia", 1)).toBe(2);
  });
});

describe("deletion variants (SymSpell)", () => {
  it("lists the word and every string one or two deletions away", () => {
    expect([...deletions("abc", 1)].sort()).toEqual(["ab", "abc", "ac", "bc"]);
    expect(deletions("abcd", 2).has("ad")).toBe(true);
    expect(deletions("abcd", 2).has("a")).toBe(false);
  });

  it("two words within d edits share a variant within d deletions of each", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "e", "n", "r", "s", "t"), minLength: 3, maxLength: 9 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = editDistance(a, b);
        if (d > 2) return true;
        const va = deletions(a, d);
        return [...deletions(b, d)].some((v) => va.has(v));
      }),
    );
  });
});
