import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { currentUser } from "../../lib/auth/session.ts";
import { can, navigationFor, ROLE_LABELS } from "../../lib/auth/permissions.ts";
import { NavLinks } from "../../components/nav-links.tsx";
import { SignOutButton } from "../../components/sign-out-button.tsx";
import { CommandPalette } from "../../components/search/command-palette.tsx";

export default async function OpsLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const items = navigationFor(user).map(({ href, label }) => ({ href, label }));
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-x-4 gap-y-2 px-4 py-3">
          <a href="/orders" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight text-slate-900">
            <span aria-hidden className="inline-block h-6 w-6 rounded bg-indigo-600" />
            Switchyard
          </a>
          <NavLinks items={items} alertBadge={can(user, "alerts:read")} />
          <div className="ml-auto flex shrink-0 items-center gap-3 text-sm">
            {can(user, "orders:read") ? <CommandPalette /> : null}
            <span data-testid="current-user" className="text-right leading-tight">
              <span className="block font-medium text-slate-800">{user.name}</span>
              <span data-testid="current-role" className="block text-xs text-slate-500">
                {ROLE_LABELS[user.role]}
              </span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
