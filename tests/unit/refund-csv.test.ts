import { describe, expect, test } from "vitest";
import { csvField, csvLine } from "../../lib/refunds/csv.ts";
import { parseCsv } from "../support/app-db.ts";

describe("refund CSV fields", () => {
  test.each([
    ["a,b", '"a,b"'],
    ["a;b", '"a;b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\rbreak", '"line\rbreak"'],
    ["line\nbreak", '"line\nbreak"'],
    ["line\r\nbreak", '"line\r\nbreak"'],
  ])("%j is quoted so it stays one cell", (raw, expected) => {
    expect(csvField(raw)).toBe(expected);
    expect(parseCsv(csvLine([raw, "next"]))).toEqual([[raw, "next"]]);
  });

  test("plain text, numbers and empty values are left as they are", () => {
    expect(csvField("Damaged in transit")).toBe("Damaged in transit");
    expect(csvField("2024-01-01T00:00:00.000Z")).toBe("2024-01-01T00:00:00.000Z");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  const INVISIBLE_LEADS = {
    space: " ",
    spaces: "   ",
    nbsp: "\u00A0",
    "zero-width space": "\u200B",
    "zero-width joiner": "\u200D",
    "word joiner": "\u2060",
    bom: "\uFEFF",
    "left-to-right mark": "\u200E",
    "right-to-left override": "\u202E",
    "ideographic space": "\u3000",
    "mongolian vowel separator": "\u180E",
    "soft hyphen": "\u00AD",
    "line break": "\n",
    mixed: " \u200B\uFEFF\u00A0",
  };
  const TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];

  test.each(TRIGGERS.map((t) => [JSON.stringify(t), t]))("a cell starting with %s is neutralised, with or without invisible characters before it", (_label, trigger) => {
    for (const lead of ["", ...Object.values(INVISIBLE_LEADS)]) {
      const raw = `${lead}${trigger}HYPERLINK("http://evil.test","x")`;
      const [[cell]] = parseCsv(csvLine([raw])) as [[string]];
      expect(cell).toBe(`'${raw}`);
    }
  });

  test("a formula further into the text is left alone", () => {
    expect(csvField("total = 5")).toBe("total = 5");
    expect(csvField("customer@example.test")).toBe("customer@example.test");
  });
});
