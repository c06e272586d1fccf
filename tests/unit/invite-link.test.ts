import { beforeAll, describe, expect, test } from "vitest";
import { sealInviteLink, unsealInviteLink } from "../../lib/admin/invites.ts";

const LINK = "https://ops.example/invite/QmFzZTY0VXJsVG9rZW5PZkZvcnR5VGhyZWVDaGFyYWN0ZXJz";

beforeAll(() => {
  process.env.AUTH_SECRET ??= "a unit-test secret of at least thirty-two characters";
});

describe("sealed invite links", () => {
  test("a sealed link opens for its own invite only, and never shows the token", () => {
    const sealed = sealInviteLink(7, LINK);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("invite/");
    expect(sealed).not.toContain(LINK.split("/invite/")[1]!.slice(0, 8));
    expect(unsealInviteLink(7, sealed)).toBe(LINK);
    expect(unsealInviteLink(8, sealed)).toBeNull();
    expect(sealInviteLink(7, LINK)).not.toBe(sealed); // a fresh IV each time
  });

  test("a tampered or unknown value opens nothing", () => {
    const sealed = sealInviteLink(7, LINK);
    const body = Buffer.from(sealed.slice(3), "base64url");
    body.writeUInt8(body.readUInt8(body.length - 1) ^ 1, body.length - 1);
    expect(unsealInviteLink(7, `v1.${body.toString("base64url")}`)).toBeNull();
    expect(unsealInviteLink(7, sealed.replace(/^v1\./, "v2."))).toBeNull();
    expect(unsealInviteLink(7, "v1.")).toBeNull();
    expect(unsealInviteLink(7, "v1.AAAA")).toBeNull();
  });
});
