// Edit distance and SymSpell-style deletions: the pure core of typo tolerance.

/** Edits a token of this length may carry and still match: short words must be exact. */
export function maxEdits(length: number): number {
  if (length <= 2) return 0;
  if (length <= 4) return 1;
  return 2;
}

// Three rows reused across calls: verification runs thousands of times per query and must not allocate.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, each counted once):
 * "jhon" -> "john" is 1. Returns `limit + 1` as soon as the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  // A shared start and end cost nothing; only the middle is compared.
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  // Keep one shared character on each side so a transposition across the cut is still seen.
  if (start > 0) start--;
  if (endA < a.length && endB < b.length) {
    endA++;
    endB++;
  }
  const n = endA - start;
  const m = endB - start;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (n === 0 || m === 0) return Math.min(n + m, limit + 1);
  if (rows[0]!.length <= m) rows = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
  let prev2 = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(start + i - 1);
    const caBefore = i > 1 ? a.charCodeAt(start + i - 2) : -1;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(start + j - 1);
      let d = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < d) d = del;
      const ins = cur[j - 1]! + 1;
      if (ins < d) d = ins;
      if (j > 1 && ca === b.charCodeAt(start + j - 2) && caBefore === cb) {
        const tr = prev2[j - 2]! + 1;
        if (tr < d) d = tr;
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return Math.min(prev[m]!, limit + 1);
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
