import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { currencyOf, decimalToMinor } from "../../lib/intake/money.ts";

describe("a sender's decimal strings become exact minor units", () => {
  test('"19.99" × 3 is 5997, with no float error', () => {
    expect(decimalToMinor("19.99", "EUR", "price") * 3).toBe(5997);
    expect(decimalToMinor("0.10", "EUR", "a") + decimalToMinor("0.20", "EUR", "b")).toBe(30);
    expect(decimalToMinor("403.00", "USD", "total")).toBe(40300);
    expect(decimalToMinor("1500", "JPY", "total")).toBe(1500);
    expect(decimalToMinor("12.5", "EUR", "x")).toBe(1250);
    expect(decimalToMinor("1.230", "KWD", "x")).toBe(1230);
    expect(decimalToMinor("7.000", "EUR", "trailing zeros")).toBe(700);
  });

  test("more decimals than the currency has, signs, exponents and garbage are rejections naming the field", () => {
    expect(() => decimalToMinor("19.999", "EUR", "line_items[0].price")).toThrow('line_items[0].price "19.999" has more decimals than EUR allows (2).');
    expect(() => decimalToMinor("10.5", "JPY", "total")).toThrow(/more decimals than JPY allows \(0\)/);
    for (const bad of ["-1.00", "1e2", "0x10", "1,234.56", "", " ", "abc", null, undefined, {}]) expect(() => decimalToMinor(bad, "EUR", "f")).toThrow(/^f/);
  });

  test("every two-decimal string round-trips exactly (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
        expect(decimalToMinor(text, "EUR", "p")).toBe(cents);
      }),
    );
  });

  test("currencies are ISO 4217 codes, upper-cased", () => {
    expect(currencyOf("eur", "currency")).toBe("EUR");
    expect(() => currencyOf("XYZ", "currency")).toThrow('currency "XYZ" is not an ISO 4217 currency.');
  });
});
