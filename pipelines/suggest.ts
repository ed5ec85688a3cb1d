/**
 * Near-miss name suggestions for issue hints ("did you mean 'analyze'?").
 *
 * The names compared come from user input (a pipeline file, an API request), so the work is bounded:
 * edit distance costs the product of the two lengths, and an unbounded 200 KB `type:` once held the
 * API's event loop for seconds. Names longer than {@link MAX_SUGGESTED_LENGTH} are never typos of a
 * field, type or step name worth suggesting, and at most {@link MAX_CANDIDATES} candidates are read.
 */

/** The longest name (and candidate) compared; longer ones get no suggestion. */
export const MAX_SUGGESTED_LENGTH = 64;

/** How many candidates one suggestion reads at most. */
export const MAX_CANDIDATES = 1_000;

/**
 * Edit distance between two strings: the fewest one-character insertions, deletions, substitutions
 * and swaps of neighbours turning `a` into `b` (optimal string alignment), so `brian` is one edit
 * from `brain`.
 */
export function editDistance(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => table[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      if (swapped) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      table[i]?.splice(j, 1, distance);
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `name`, ignoring case, when it is close enough to be a likely typo: at most
 * one edit per three characters of `name` (at least one). Exact matches are not suggestions.
 *
 * @example
 * closestName('analyse', ['analyze', 'plan']); // 'analyze'
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGESTED_LENGTH) return undefined;
  const limit = Math.max(1, Math.floor(name.length / 3));
  const lowerName = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  let read = 0;
  for (const candidate of candidates) {
    if (++read > MAX_CANDIDATES) break;
    // The length difference is a lower bound of the distance: skip what cannot be close enough.
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(lowerName, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `did you mean 'x'? ` for the closest candidate, or an empty string when none is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const closest = closestName(name, candidates);
  return closest === undefined ? '' : `did you mean '${closest}'? `;
}
