import { isCurrency, minorDigits } from "../currency.ts";
import { IntakeRejection } from "./types.ts";

/**
 * A sender's decimal string ("19.99", "403.00", "1500") to integer minor units, by string arithmetic so no
 * float ever rounds ("19.99" is 1999, never 1998.9999). More decimals than the currency has is a rejection.
 */
export function decimalToMinor(value: unknown, currency: string, field: string): number {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string") throw new IntakeRejection(`${field} is missing or not a decimal amount.`);
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new IntakeRejection(`${field} "${text}" is not a decimal amount.`);
  const digits = minorDigits(currency);
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (fraction.length > digits) throw new IntakeRejection(`${field} "${text}" has more decimals than ${currency} allows (${digits}).`);
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** An ISO 4217 code in upper case, or a rejection naming the field. */
export function currencyOf(value: unknown, field: string): string {
  const code = typeof value === "string" ? value.trim().toUpperCase() : "";
  if (!isCurrency(code)) throw new IntakeRejection(`${field} "${String(value)}" is not an ISO 4217 currency.`);
  return code;
}
