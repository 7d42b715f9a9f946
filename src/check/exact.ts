// Exact rationals: the language's numbers. A decimal literal is the decimal it is written as
// (`0.29` is 29/100, not the nearest double), and + - * / stay exact, so rules such as
// floor(theta * m) never lose a channel to rounding. Numerator and denominator are bigints in
// lowest terms with a positive denominator; `toNumber` gives the double for display and checks.

export interface Exact {
  readonly num: bigint;
  readonly den: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

function reduced(num: bigint, den: bigint): Exact {
  if (den === 0n) throw new RangeError('exact division by zero');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** A literal as the lexer reads it: digits, optionally a point and more digits. */
export function exactOfLiteral(text: string): Exact {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a number literal: ${text}`);
  const frac = m[2] ?? '';
  return reduced(BigInt(m[1] + frac), 10n ** BigInt(frac.length));
}

/** A whole number (or a double that came from one, e.g. a default written in code). */
export function exactOfInteger(n: number): Exact {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return { num: BigInt(n), den: 1n };
}

export const add = (a: Exact, b: Exact): Exact => reduced(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Exact, b: Exact): Exact => reduced(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Exact, b: Exact): Exact => reduced(a.num * b.num, a.den * b.den);
export const div = (a: Exact, b: Exact): Exact => reduced(a.num * b.den, a.den * b.num);
export const neg = (a: Exact): Exact => ({ num: -a.num, den: a.den });
export const isZero = (a: Exact): boolean => a.num === 0n;
export const isWhole = (a: Exact): boolean => a.den === 1n;

/** floor(a), exactly (bigint division truncates toward zero). */
export function floorExact(a: Exact): bigint {
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

/** The nearest double (correctly rounded while numerator and denominator fit in 2^53). */
export function toNumber(a: Exact): number {
  const limit = 2n ** 53n;
  const safe = (x: bigint): boolean => x <= limit && x >= -limit;
  if (safe(a.num) && safe(a.den)) return Number(a.num) / Number(a.den);
  const q = a.num / a.den;
  return Number(q) + Number(a.num - q * a.den) / Number(a.den);
}
