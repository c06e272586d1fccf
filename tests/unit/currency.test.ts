import { describe, expect, test } from "vitest";
import { isCurrency, minorDigits, parseMoneyInput } from "../../lib/currency.ts";

describe("typed money", () => {
  test.each([
    ["12.50", "EUR", 1_250],
    ["150,00", "EUR", 15_000],
    ["250,5", "EUR", 25_050],
    [" 7 ", "EUR", 700],
    ["1200", "JPY", 1_200],
    ["1.234", "KWD", 1_234],
  ])("%j in %s is %i minor units", (text, currency, minor) => {
    expect(parseMoneyInput(text, currency)).toEqual({ ok: true, minor });
  });

  test.each([
    ["0x10", "EUR", "plain digits"],
    ["1e2", "EUR", "plain digits"],
    ["12.345", "EUR", "at most 2 decimals"],
    ["1,234.56", "EUR", "plain digits"],
    ["-5", "EUR", "plain digits"],
    ["", "EUR", "Enter an amount"],
    ["1.5", "JPY", "no decimals"],
    ["Infinity", "EUR", "plain digits"],
  ])("%j in %s is refused with a message that says why (%s)", (text, currency, says) => {
    const r = parseMoneyInput(text, currency);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(says);
  });

  test("ISO 4217 codes only, with their minor digits", () => {
    expect(isCurrency("EUR")).toBe(true);
    expect(isCurrency("GBP")).toBe(true);
    expect(isCurrency("XYZ")).toBe(false);
    expect(isCurrency("eur")).toBe(false);
    expect([minorDigits("EUR"), minorDigits("JPY"), minorDigits("KWD")]).toEqual([2, 0, 3]);
  });
});
