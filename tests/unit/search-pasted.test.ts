import { describe, expect, it } from "vitest";
import { parseQuery } from "../../lib/search/query.ts";
import { cleanPastedQuery, joinedWordSplits, orderNumberOf } from "../../lib/search/normalize.ts";
import { highlight } from "../../lib/search/highlight.ts";

/** Every way agents paste SY-100001 into the search box. */
const ORDER_FORMS = [
  "#100001",
  "# 100001",
  "SY–100001", // en dash
  "SY—100001", // em dash
  "SY−100001", // minus sign
  "SY‐100001", // hyphen (U+2010)
  "SY_100001",
  "SY-100001.",
  "SY-100001,",
  "(SY-100001)",
  "“SY-100001”",
  "order SY-100001",
  "Order: SY-100001",
  "order #100001",
  "Order no. 100001",
  "order number SY-100001",
  "sy 100001",
  "sy100001",
  "  SY-100001  ",
];

describe("pasted order numbers", () => {
  it.each(ORDER_FORMS)("%j reads as the order number SY-100001", (form) => {
    const q = parseQuery(form);
    expect(q.shapes).toContain("order_number");
    expect(q.digits).toBe("100001");
    expect(orderNumberOf(form)).toBe("SY-100001");
  });

  it("reads a bare number as an order number too (the /orders/<digits> page uses this)", () => {
    expect(orderNumberOf("100001")).toBe("SY-100001");
    expect(orderNumberOf("jose garcia")).toBeNull();
    expect(orderNumberOf("SY-10")).toBeNull();
  });

  it("keeps the SY prefix as typed elsewhere: a dash, no separator, or none at all", () => {
    expect(parseQuery("SY_100001").raw).toBe("SY-100001");
    expect(parseQuery("order SY-100001").raw).toBe("SY-100001");
    expect(parseQuery("#100001").raw).toBe("100001");
  });
});

describe("pasted emails", () => {
  const email = "jose.garcia@example.com";
  it.each([
    `mailto:${email}`,
    `MAILTO:${email}`,
    `mailto:${email}?subject=Order%20SY-100001`,
    `José García <${email}>`,
    `"García, José" <${email}>`,
    `<mailto:${email}>`,
    `${email}.`,
    `(${email})`,
  ])("%j reads as the address alone", (form) => {
    const q = parseQuery(form);
    expect(q.raw).toBe(email);
    expect(q.shapes).toEqual(["email"]);
  });

  it("keeps a trailing dot that may be the start of an email being typed", () => {
    expect(parseQuery("jose.").raw).toBe("jose.");
  });
});

describe("pasted phone numbers", () => {
  it.each(["+31 (0)6 1234 5678", "+31(0)612345678", "0031 (0)6 12345678", "+31 6 1234 5678", "0031612345678"])("%j drops the (0) trunk prefix", (form) => {
    const q = parseQuery(form);
    expect(q.shapes).toContain("phone");
    expect(q.phoneDigits).toBe("31612345678");
  });

  it("keeps a (0) that is not after a country code: it is part of the number as dialled", () => {
    expect(parseQuery("(0)6 12345678").phoneDigits).toBe("612345678");
  });
});

describe("text survives the cleaning", () => {
  it("leaves names, apostrophes and accents to the tokenizer", () => {
    expect(cleanPastedQuery("'t Hof")).toBe("'t Hof");
    expect(cleanPastedQuery("Zoë O'Brien")).toBe("Zoë O'Brien");
    expect(cleanPastedQuery("García J.")).toBe("García J");
    expect(parseQuery("Anne–Marie Dubois").tokens).toEqual(["anne", "marie", "dubois"]);
  });
});

describe("words run together", () => {
  it("splits a word into two of at least three letters", () => {
    expect(joinedWordSplits("denhaag")).toEqual([
      ["den", "haag"],
      ["denh", "aag"],
    ]);
    expect(joinedWordSplits("sanmartin")).toContainEqual(["san", "martin"]);
    expect(joinedWordSplits("short")).toEqual([]);
    expect(joinedWordSplits("sy100001")).toEqual([]);
  });

  it("highlights both words of a city typed without its space", () => {
    const doc = { number: "SY-100001", customerName: "Eva de Vries", shipName: "Eva de Vries", email: null, phone: null, city: "Den Haag", postcode: "2511 AA", lines: [], tracking: [] };
    expect(highlight(parseQuery("denhaag"), doc)).toEqual([{ field: "city", value: "Den Haag", ranges: [[0, 3], [4, 8]] }]);
  });
});
