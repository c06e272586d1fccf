import type { Metadata } from "next";
import { LoginForm } from "../../../components/login-form.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = typeof params.callbackUrl === "string" ? params.callbackUrl : "/orders";
  // Only same-site paths: a sign-in page must not become an open redirect.
  const callbackUrl = raw.startsWith("/") && !raw.startsWith("//") ? raw : "/orders";
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
