import type { Metadata } from "next";
import { LoginForm } from "../../../components/login-form.tsx";
import { safeCallbackPath } from "../../../lib/auth/callback-url.ts";
import { env } from "../../../lib/env.ts";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Only same-origin paths: a sign-in page must not become an open redirect.
  const callbackUrl = safeCallbackPath(params.callbackUrl, env().NEXTAUTH_URL);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <span aria-hidden className="inline-block h-7 w-7 rounded bg-indigo-600" />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Switchyard</h1>
        </div>
        <LoginForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
