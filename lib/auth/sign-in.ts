import { eq } from "drizzle-orm";
import { z } from "zod";
import { database } from "../../db/index.ts";
import { users, type Role } from "../../db/schema/index.ts";
import { clientAddress, type HeaderSource } from "../forwarded.ts";
import { emailAddress } from "./email.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { admitSignIn, signInSucceeded } from "./throttle.ts";

const credentials = z.object({ email: emailAddress, password: z.string().min(1).max(200) });

export type SignedIn = { id: string; email: string; name: string; role: Role; sessionVersion: number };

// An unknown email costs the same scrypt as a wrong password, so timing does not tell which accounts exist.
let unknownUserHash: Promise<string> | undefined;

function inWords(ms: number): string {
  if (ms < 60_000) return `${Math.ceil(ms / 1000)} second(s)`;
  return `${Math.ceil(ms / 60_000)} minute(s)`;
}

/** next-auth's authorize: throttle (by address and address + account), then the password; throws what the form shows. */
export async function authorizeSignIn(raw: unknown, headers: HeaderSource | undefined): Promise<SignedIn> {
  const parsed = credentials.safeParse(raw);
  if (!parsed.success) throw new Error("Enter your email address and password.");
  const db = database();
  const keys = { account: parsed.data.email, ip: clientAddress(headers) };
  const wait = admitSignIn(db, keys);
  if (wait > 0) throw new Error(`Too many failed sign-ins. Try again in ${inWords(wait)}.`);
  const user = db.select().from(users).where(eq(users.email, parsed.data.email)).get();
  const hash = user?.passwordHash ?? (await (unknownUserHash ??= hashPassword("no such user")));
  const valid = (await verifyPassword(parsed.data.password, hash)) && user !== undefined && !user.disabled;
  if (!user || !valid) throw new Error("Email or password is not right, or the account is disabled.");
  signInSucceeded(db, keys);
  return { id: String(user.id), email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
