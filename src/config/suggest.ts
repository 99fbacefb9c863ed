/** "Did you mean …?" for misspelt keys, rule ids and values. */

/** The closest candidate to `word`, when it is close enough to be a likely typo; null otherwise. */
export function closestMatch(word: string, candidates: readonly string[]): string | null {
  // An abbreviation (`warn` for `warning`) or an extra suffix is a typo of its own kind.
  const lower = word.toLowerCase();
  const prefixed = candidates.filter((candidate) => {
    const other = candidate.toLowerCase();
    return Math.min(lower.length, other.length) >= 3 && (other.startsWith(lower) || lower.startsWith(other));
  });
  if (prefixed.length > 0) return prefixed.reduce((a, b) => (Math.abs(a.length - word.length) <= Math.abs(b.length - word.length) ? a : b));
  // A third of the word's length absorbs a missing or doubled letter in short names
  // (`replica`, `warn`) and a wrong word part in long ones (`per-call-clients`).
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= tolerance ? best : null;
}

/** `; did you mean "x"?` or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === null ? '' : `; did you mean "${match}"?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
