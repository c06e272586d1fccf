/** ISO 4217 currencies and the money text people type; the one home for both. */

const supported = new Set<string>(Intl.supportedValuesOf("currency"));

/** Every ISO 4217 code isCurrency accepts, sorted: the orders API documents exactly these. */
export const CURRENCY_CODES = [...supported].filter((c) => /^[A-Z]{3}$/.test(c)).sort() as [string, ...string[]];

/** True for an ISO 4217 code this runtime can format (EUR, GBP, JPY …), never for made-up ones like XYZ. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supported.has(code);
}

const digitsCache = new Map<string, number>();

/** How many minor digits the currency has (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

export type MoneyInput = { ok: true; minor: number } | { ok: false; message: string };

/**
 * Reads a typed amount: plain digits with one decimal separator ("." or ","; "150,00" and "150.00" are the
 * same) and at most the currency's minor digits. Refuses what a person did not mean as money: "0x10",
 * "1e2", thousands separators ("1,234.56"), signs, more decimals than the currency has.
 */
export function parseMoneyInput(text: string, currency: string): MoneyInput {
  const t = text.trim();
  const digits = minorDigits(currency);
  if (t === "") return { ok: false, message: "Enter an amount." };
  const m = /^(\d{1,12})(?:[.,](\d*))?$/.exec(t);
  if (!m) {
    const example = digits ? `12.${"5".padEnd(digits, "0")}` : "1200";
    return { ok: false, message: `Type the amount as plain digits${digits ? ` with "." or "," before the decimals` : ""}, e.g. ${example}.` };
  }
  const fraction = m[2] ?? "";
  if (fraction.length > digits) {
    return { ok: false, message: digits === 0 ? `${currency} has no decimals.` : `${currency} has at most ${digits} decimal${digits === 1 ? "" : "s"}.` };
  }
  return { ok: true, minor: Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0") };
}
