import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { database } from "../../db/index.ts";
import { users, type Role } from "../../db/schema/index.ts";
import { env } from "../env.ts";
import { verifyPassword } from "./password.ts";
import { clearFailures, lockedFor, recordFailure } from "./throttle.ts";
import type { SessionUser } from "./permissions.ts";

declare module "next-auth" {
  interface Session {
    user: SessionUser;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    uid?: number;
    role?: Role;
  }
}

const credentials = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });

function clientIp(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "local");
}

/** Built on first use so that the secret is read (or generated) at run time, not at build time. */
export function authOptions(): NextAuthOptions {
  return {
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          const parsed = credentials.safeParse(raw);
          if (!parsed.success) throw new Error("Enter your email address and password.");
          const db = database();
          const keys = { account: parsed.data.email, ip: clientIp(req?.headers) };
          const wait = lockedFor(db, keys);
          if (wait > 0) {
            throw new Error(`Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} minute(s).`);
          }
          const user = db.select().from(users).where(eq(users.email, parsed.data.email.toLowerCase())).get();
          const valid = user && !user.disabled && (await verifyPassword(parsed.data.password, user.passwordHash));
          if (!user || !valid) {
            recordFailure(db, keys);
            throw new Error("Email or password is not right, or the account is disabled.");
          }
          clearFailures(db, keys);
          return { id: String(user.id), email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.role = (user as unknown as { role: Role }).role;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid && token.role) {
          session.user = { id: token.uid, email: token.email ?? "", name: token.name ?? "", role: token.role };
        }
        return session;
      },
    },
  };
}
