/** A small, fast, seedable PRNG (sfc32 seeded through splitmix32): the same seed gives the same stream everywhere. */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index in [0, n) skewed towards 0, e.g. popular products. */
  skewed(n: number, power: number): number;
  /** Random string over an alphabet, e.g. for tracking numbers and provider refs. */
  chars(alphabet: string, length: number): string;
  shuffle<T>(items: T[]): T[];
};

export const DIGITS = "0123456789";
export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const ALNUM = DIGITS + LETTERS;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    skewed: (n, power) => Math.min(n - 1, Math.floor(n * Math.pow(next(), power))),
    chars: (alphabet, length) => {
      let out = "";
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i]!;
        items[i] = items[j]!;
        items[j] = tmp;
      }
      return items;
    },
  };
  return rng;
}

/** Picks from weighted choices with one cumulative table, built once. */
export function weightedPicker<T>(choices: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const values = choices.map((c) => c[0]);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of choices) cumulative.push((total += w));
  return (rng) => {
    const x = rng.next() * total;
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]!) return values[i]!;
    return values[values.length - 1]!;
  };
}

/** Fills a pattern: '#' becomes a digit, '@' an upper-case letter, anything else stays. */
export function fillPattern(rng: Rng, pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "#") out += DIGITS[rng.int(0, 9)];
    else if (ch === "@") out += LETTERS[rng.int(0, 25)];
    else out += ch;
  }
  return out;
}
