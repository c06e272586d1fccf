import { describe, expect, it } from "vitest";
import { parseQuery } from "../../lib/search/query.ts";
import { highlight, tokenMatches } from "../../lib/search/highlight.ts";
import { indexDocument } from "../../lib/search/embedded/document.ts";
import { costVectors, vectorExpression, type WordExpansion } from "../../lib/search/embedded/words.ts";

const shapes = (q: string) => parseQuery(q).shapes;

describe("query shape", () => {
  it("reads names as text", () => {
    expect(shapes("Jose Garcia")).toEqual(["text"]);
    expect(parseQuery("García J").tokens).toEqual(["garcia", "j"]);
  });

  it("reads digits as an order number, a phone ending, a partial SKU and a postcode", () => {
    expect(shapes("8812")).toEqual(["order_number", "phone", "sku", "postcode"]);
    expect(shapes("SY-100042")).toEqual(expect.arrayContaining(["order_number", "sku"]));
  });

  it("reads a phone number in any punctuation", () => {
    const q = parseQuery("+34 (612) 345-678");
    expect(q.shapes).toContain("phone");
    expect(q.phoneDigits).toBe("34612345678");
  });

  it("reads emails, whole or partial", () => {
    expect(shapes("jose.garcia@example.com")).toEqual(["email"]);
    expect(shapes("jose.garc")).toContain("email");
    expect(shapes("john.smith@")).toContain("email");
  });

  it("reads long letter-and-digit strings as tracking numbers", () => {
    expect(shapes("1Z999AA10123456784")).toContain("tracking");
    expect(shapes("JD014600003456789012")).toContain("tracking");
    expect(shapes("RR123456789GB")).toContain("tracking");
    expect(shapes("1Z999AA1O123456784")).toContain("tracking");
  });

  it("reads a tracking number as nothing but an identifier, and a word with a few digits as no tracking number", () => {
    expect(shapes("1Z999AA10123456784")).not.toContain("text");
    expect(shapes("3SABCD1234567890")).toEqual(["tracking", "sku"]);
    for (const q of ["jacksmith113", "carmen_sanchez5", "felix.fischer79", "jsanchez21"]) expect(shapes(q), q).not.toContain("tracking");
    expect(shapes("jacksmith113")).toEqual(expect.arrayContaining(["text", "email"]));
  });

  it("reads SKUs and postcodes", () => {
    expect(shapes("BLU-M-0042")).toContain("sku");
    expect(shapes("SW1A 1AA")).toContain("postcode");
  });

  it("treats the last word as unfinished unless the query ends in a space", () => {
    expect(parseQuery("jose gar").prefixLast).toBe(true);
    expect(parseQuery("jose gar ").prefixLast).toBe(false);
  });

  it("drops English filler words between the parts of a query, never name particles", () => {
    expect(parseQuery("José Garsia from Sevilla").tokens).toEqual(["jose", "garsia", "sevilla"]);
    expect(parseQuery("garcia in Madrid with the skillet").tokens).toEqual(["garcia", "madrid", "skillet"]);
    expect(parseQuery("María de la Fuente").tokens).toEqual(["maria", "de", "la", "fuente"]);
    expect(parseQuery("Eva de Vries van den Berg von Trapp del Río").tokens).toEqual(["eva", "de", "vries", "van", "den", "berg", "von", "trapp", "del", "rio"]);
    // Only fillers: searched as typed.
    expect(parseQuery("the").tokens).toEqual(["the"]);
    // A filler typed last is dropped, and the word before it is finished.
    expect(parseQuery("garcia from").tokens).toEqual(["garcia"]);
    expect(parseQuery("garcia from").prefixLast).toBe(false);
    expect(parseQuery("from garc").prefixLast).toBe(true);
  });

  it("collapses whitespace and caps the length", () => {
    expect(parseQuery("  jose   garcia ").raw).toBe("jose garcia");
    expect(parseQuery("x".repeat(500)).raw.length).toBe(200);
  });
});

describe("index document", () => {
  it("holds folded words and tagged identifier keys, reversed where matched by their ending", () => {
    const doc = indexDocument({
      id: 1,
      number: "SY-100042",
      customerName: "Zoë O'Brien",
      shipName: "Zoë O'Brien",
      email: "Zoe.OBrien@Example.ie",
      phone: "+353 86 123 8812",
      city: "Dublin",
      postcode: "D02 X285",
      tracking: "1Z999AA10123456784\u001eRR123456789GB",
    });
    expect(doc.terms.sort()).toEqual(["brien", "dublin", "obrien", "zoe"]);
    const tokens = doc.body.split(" ");
    expect(tokens).toEqual(
      expect.arrayContaining(["n_240001", "r_ei.elpmaxe@neirbo.eoz", "p_218832168353", "t_48765432101aa999z1", "t_bg987654321rr", "z_d02x285"]),
    );
  });
});

describe("word matching", () => {
  it("matches exactly, as a completion of the last word or an initial, or within the typo budget", () => {
    expect(tokenMatches("garcia", "garcia", false)).toBe(true);
    expect(tokenMatches("gar", "garcia", true)).toBe(true);
    expect(tokenMatches("gar", "garcia", false)).toBe(false);
    expect(tokenMatches("j", "jose", false)).toBe(true);
    expect(tokenMatches("smiht", "smith", false)).toBe(true);
    expect(tokenMatches("ab", "ac", false)).toBe(false);
  });

  it("enumerates per-word cost vectors cheapest first, and excludes cheaper terms so each order has one vector", () => {
    const e = (token: string, byCost: [number, string[]][]): WordExpansion => ({ token, byCost: new Map(byCost), prefixQuery: null });
    const words = [e("jhon", [[2, ["john", "jon"]]]), e("smiht", [[0, ["smiht"]], [2, ["smith"]]])];
    expect(costVectors(words).map((v) => v.total)).toEqual([2, 4]);
    expect(vectorExpression(words, [2, 2])).toBe('("john" OR "jon") AND (("smith") NOT ("smiht"))');
  });
});

describe("highlight", () => {
  it("marks matched words in names and the matched digits of a phone", () => {
    const doc = { number: "SY-100003", customerName: "Zoë O'Brien", shipName: "Zoë O'Brien", email: "zoe.obrien@example.ie", phone: "+353861238812", city: "Dublin", postcode: "D02 X285", lines: [], tracking: [] };
    expect(highlight(parseQuery("zoe obrien"), doc)).toEqual([{ field: "name", value: "Zoë O'Brien", ranges: [[0, 3], [4, 11]] }]);
    expect(highlight(parseQuery("8812"), doc)).toEqual([{ field: "phone", value: "+353861238812", ranges: [[9, 13]] }]);
  });

  it("highlights nothing on masked contact fields", () => {
    const doc = { number: "SY-100003", customerName: "Zoë O'Brien", shipName: "Zoë O'Brien", email: null, phone: null, city: "Dublin", postcode: "D02 X285", lines: [], tracking: [] };
    expect(highlight(parseQuery("zoe.obrien@example.ie"), doc)).toEqual([]);
  });
});
