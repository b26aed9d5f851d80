/** part / whole x 100, or null when the whole is 0 (a rate of nothing is unknown, not 0%). */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

/** a / b, or null when b is 0. */
export function quotient(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}
