/**
 * Splits `total` into integers proportional to `weights` (largest remainder), each at least its
 * minimum. Used to decide how many communities a street gets and how many grids a community gets.
 */
export function apportion(total: number, weights: readonly number[], minimums: readonly number[]): number[] {
  const floorSum = minimums.reduce((a, b) => a + b, 0);
  if (floorSum > total) throw new Error(`apportion: minimums ${floorSum} exceed total ${total}`);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const ideal = weights.map((w) => (w / weightSum) * total);
  const counts = ideal.map((x, i) => Math.max(minimums[i] ?? 0, Math.floor(x)));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = ideal.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length) {
    counts[byRemainder[k]!.i]! += 1;
    left--;
  }
  // Minimums can push the sum over the total; take the excess back from the largest counts.
  while (left < 0) {
    let largest = 0;
    counts.forEach((c, i) => {
      if (c - (minimums[i] ?? 0) > counts[largest]! - (minimums[largest] ?? 0)) largest = i;
    });
    counts[largest]! -= 1;
    left++;
  }
  return counts;
}
