// Integers with thousands separators, as `toLocaleString('en-US')` writes them, without its
// first call's 30 ms of ICU set-up (a tenth of a whole `densec compile` process).
/** `7971368` -> `7,971,368`; anything but a safe integer goes to toLocaleString. */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}
