export interface ScaledDecimal {
  /** The number × 10^scale as an integer, rounded half away from zero. */
  value: bigint;
  /** False when digits beyond the scale were dropped by rounding. */
  exact: boolean;
}

const DECIMAL = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/**
 * Reads a decimal text ("0.15", "12", "7.5e-8", "-3.") as an integer scaled by 10^scale without
 * ever going through a float, so 0.075 USD/MTok is exactly 75000 pico per token.
 * Returns undefined for anything that is not a finite decimal.
 */
export function parseScaledDecimal(text: string, scale: number): ScaledDecimal | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  if (whole === "" && fraction === "") return undefined;
  const exponentValue = Number(exponent);
  // Guards against "1e999999" building a gigantic power of ten.
  if (!Number.isSafeInteger(exponentValue) || Math.abs(exponentValue) > 1000) return undefined;
  const digits = BigInt(whole + fraction || "0");
  const shift = exponentValue - fraction.length + scale;
  let magnitude: bigint;
  let exact = true;
  if (shift >= 0) {
    magnitude = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const remainder = digits % divisor;
    magnitude = digits / divisor + (remainder * 2n >= divisor ? 1n : 0n);
    exact = remainder === 0n;
  }
  return { value: sign === "-" ? -magnitude : magnitude, exact };
}

/** The inverse: an integer scaled by 10^scale as a plain decimal text with exactly `scale` fraction digits. */
export function formatScaledDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}
