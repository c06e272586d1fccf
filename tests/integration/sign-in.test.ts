import { afterAll, describe, expect, test } from "vitest";
import { demoUser } from "../../lib/seed/demo-users.ts";
import { seededAppDatabase } from "../support/app-db.ts";

// One reverse proxy in front of the app: the client address is the right-most X-Forwarded-For entry.
process.env.TRUST_PROXY = "1";
const app = await seededAppDatabase({ orders: 10 });
afterAll(() => app.cleanup());
const { authOptions } = await import("../../lib/auth/options.ts");

type Credentials = { email: string; password: string };
const authorize = (c: Credentials, forwardedFor: string) => {
  const provider = authOptions().providers[0] as unknown as { options: { authorize: (c: Credentials, req: { headers: Record<string, string> }) => Promise<{ email: string }> } };
  return provider.options.authorize(c, { headers: { "x-forwarded-for": forwardedFor } });
};

describe("sign-in through next-auth's authorize", () => {
  test("a stranger's five wrong passwords from one address do not stop the owner signing in from another", async () => {
    const owner = demoUser("manager");
    for (let i = 0; i < 5; i++) await authorize({ email: owner.email, password: `guess-${i}` }, "203.0.113.7").catch(() => undefined);

    await expect(authorize(owner, "198.51.100.9")).resolves.toMatchObject({ email: owner.email });
    // The stranger's own address keeps waiting, even with the right password or a forged address in front.
    await expect(authorize(owner, "203.0.113.7")).rejects.toThrow(/Too many failed sign-ins/);
    await expect(authorize(owner, "192.0.2.99, 203.0.113.7")).rejects.toThrow(/Too many failed sign-ins/);
  });

  test("the email is read the same way as when an admin creates the user: trimmed and lower-cased", async () => {
    const agent = demoUser("agent");
    await expect(authorize({ email: `  ${agent.email.toUpperCase()} `, password: agent.password }, "198.51.100.20")).resolves.toMatchObject({ email: agent.email });
    await expect(authorize({ email: agent.email.replace("@", " @"), password: agent.password }, "198.51.100.20")).rejects.toThrow(/Enter your email address/);
  });

  test("an unknown email and a wrong password get the same answer", async () => {
    await expect(authorize({ email: "nobody@switchyard.test", password: "whatever-it-is" }, "198.51.100.30")).rejects.toThrow(/not right/);
    await expect(authorize({ email: demoUser("finance").email, password: "whatever-it-is" }, "198.51.100.30")).rejects.toThrow(/not right/);
  });
});
