// Edit distance and SymSpell-style deletions: the pure core of typo tolerance.

/** Edits a token of this length may carry and still match: short words must be exact. */
export function maxEdits(length: number): number {
  if (length <= 2) return 0;
  if (length <= 4) return 1;
  return 2;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, each counted once):
 * "jhon" -> "john" is 1. Returns `limit + 1` as soon as the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * Every string made by deleting up to `depth` characters from `word`, the word itself included.
 * Two words within edit distance d share a deletion variant within d deletions of each (SymSpell),
 * so looking up a query's variants in a dictionary of the vocabulary's variants finds every
 * candidate without scanning the vocabulary; candidates are then verified with editDistance.
 */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      if (w.length <= 1) continue;
      for (let i = 0; i < w.length; i++) {
        const v = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** The smallest edit distance between `query` and any prefix of `word` (for unfinished last words). */
export function prefixDistance(query: string, word: string, limit: number): number {
  let best = limit + 1;
  const lo = Math.max(1, query.length - limit);
  const hi = Math.min(word.length, query.length + limit);
  for (let len = lo; len <= hi; len++) {
    const d = editDistance(query, word.slice(0, len), limit);
    if (d < best) best = d;
    if (best === 0) break;
  }
  return best;
}
