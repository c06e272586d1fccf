import { headers } from "next/headers";
import { Link } from "../components/ui/link.tsx";
import { NAV_ITEMS, ROLE_LABELS } from "../lib/auth/permissions.ts";
import { currentUser } from "../lib/auth/session.ts";
import { refusal } from "../lib/auth/refusal.ts";

export default async function Forbidden() {
  const [user, h] = await Promise.all([currentUser(), headers()]);
  const path = h.get("x-switchyard-path") ?? "this page";
  // The permission the page itself asked for; the navigation entry only names the screen it belongs to.
  const section = NAV_ITEMS.filter((item) => path === item.href || path.startsWith(item.href + "/")).at(-1);
  const permission = refusal().permission ?? section?.permission ?? null;
  const needed = permission ? { permission, label: section?.label ?? path } : null;
  return (
    <div className="flex min-h-[60vh] items-center justify-center px-4">
      <div data-testid="forbidden" className="max-w-md rounded-lg border border-rose-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-semibold text-rose-700">403 · Not allowed</p>
        <h1 className="mt-1 text-lg font-semibold">You may not open {path}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {user ? `Your role, ${ROLE_LABELS[user.role]}, does not have` : "This needs"}{" "}
          {needed ? (
            <>
              the <code className="rounded bg-slate-100 px-1">{needed.permission}</code> permission ({needed.label}).
            </>
          ) : (
            "the permission this page needs."
          )}{" "}
          Nothing was changed. Ask an admin if you need access.
        </p>
        <Link href="/orders" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
          Back to orders
        </Link>
      </div>
    </div>
  );
}
