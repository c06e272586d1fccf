import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { database } from "../../db/index.ts";
import type { Role } from "../../db/schema/index.ts";
import { env } from "../env.ts";
import { servedOverHttps, type HeaderSource } from "../forwarded.ts";
import { safeCallbackPath } from "./callback-url.ts";
import { endSessionsOf } from "./session-version.ts";
import { authorizeSignIn, type SignedIn } from "./sign-in.ts";
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
    /** users.session_version at sign-in: the session ends when the row's version moves on. */
    sv?: number;
  }
}

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/**
 * Built per request, so that the secret is read (or generated) at run time, not at build time, and the
 * cookies are Secure exactly when the visitor came over HTTPS.
 */
export function authOptions(requestHeaders?: HeaderSource): NextAuthOptions {
  return {
    secret: env().AUTH_SECRET,
    useSecureCookies: servedOverHttps(requestHeaders),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (raw, req) => authorizeSignIn(raw, req?.headers),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const signedIn = user as unknown as SignedIn;
          token.uid = Number(signedIn.id);
          token.role = signedIn.role;
          token.sv = signedIn.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid && token.role) {
          session.user = { id: token.uid, email: token.email ?? "", name: token.name ?? "", role: token.role, sessionVersion: token.sv };
        }
        return session;
      },
      // Sign-in and sign-out land only on our own paths, however the callback URL was spelled.
      redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
      },
    },
    events: {
      // A copied cookie must not outlive sign-out: moving the version on ends every token issued before.
      signOut({ token }) {
        if (typeof token?.uid === "number" && typeof token.sv === "number") endSessionsOf(database(), { userId: token.uid, sessionVersion: token.sv });
      },
    },
  };
}
