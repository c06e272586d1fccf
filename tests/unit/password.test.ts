import { describe, expect, test } from "vitest";
import { hashPassword, verifyPassword } from "../../lib/auth/password.ts";

describe("password hashing", () => {
  test("a hashed password verifies with the same password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain("correct horse");
    await expect(verifyPassword("correct horse battery staple", stored)).resolves.toBe(true);
  });

  test("a wrong password does not verify", async () => {
    const stored = await hashPassword("correct horse battery staple");
    await expect(verifyPassword("correct horse battery stapler", stored)).resolves.toBe(false);
    await expect(verifyPassword("", stored)).resolves.toBe(false);
    await expect(verifyPassword("Correct horse battery staple", stored)).resolves.toBe(false);
  });

  test("the same password hashed twice gets different salts and hashes, and both verify", async () => {
    const a = await hashPassword("s3cret-pass");
    const b = await hashPassword("s3cret-pass");
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
    expect(a.split("$")[5]).not.toBe(b.split("$")[5]);
    await expect(verifyPassword("s3cret-pass", a)).resolves.toBe(true);
    await expect(verifyPassword("s3cret-pass", b)).resolves.toBe(true);
  });

  test("unicode passwords verify under either normalisation form", async () => {
    const stored = await hashPassword("caf\u00e9");
    await expect(verifyPassword("cafe\u0301", stored)).resolves.toBe(true);
  });

  test.each([
    ["empty", ""],
    ["plain text", "hunter2"],
    ["wrong scheme", "bcrypt$16384$8$1$c2FsdA$aGFzaA"],
    ["missing hash", "scrypt$16384$8$1$c2FsdA"],
    ["empty hash", "scrypt$16384$8$1$c2FsdA$"],
    ["non-numeric cost", "scrypt$lots$8$1$c2FsdA$aGFzaA"],
    ["cost not a power of two", "scrypt$1000$8$1$c2FsdA$aGFzaA"],
    ["cost too large for memory", "scrypt$1073741824$8$1$c2FsdA$aGFzaA"],
    ["negative block size", "scrypt$16384$-8$1$c2FsdA$aGFzaA"],
    ["truncated hash", "__TRUNCATED__"],
  ])("a malformed stored hash (%s) never verifies and does not throw", async (_name, stored) => {
    const value = stored === "__TRUNCATED__" ? (await hashPassword("pw")).slice(0, -4) : stored;
    await expect(verifyPassword("pw", value)).resolves.toBe(false);
  });
});
