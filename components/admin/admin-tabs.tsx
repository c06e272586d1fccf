import Link from "next/link";

/** Admin sections; API keys and webhook secrets arrive with events in/out and are shown, disabled, until then. */
export function AdminTabs({ current, showUsers, showSettings }: { current: "users" | "settings"; showUsers: boolean; showSettings: boolean }) {
  const tab = (active: boolean) => `border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-indigo-600 text-indigo-800" : "border-transparent text-slate-700 hover:text-slate-900"}`;
  return (
    <nav aria-label="Admin sections" data-testid="admin-tabs" className="flex flex-wrap items-end gap-2 border-b border-slate-200">
      {showUsers ? (
        <Link href="/admin" aria-current={current === "users" ? "page" : undefined} className={tab(current === "users")}>
          Users
        </Link>
      ) : null}
      {showSettings ? (
        <Link href="/admin/settings" aria-current={current === "settings" ? "page" : undefined} className={tab(current === "settings")}>
          Settings
        </Link>
      ) : null}
      {["API keys", "Webhook secrets"].map((label) => (
        <span key={label} aria-disabled="true" data-testid="admin-tab-disabled" className="border-b-2 border-transparent px-3 py-2 text-sm text-slate-600">
          {label} <span className="text-xs">(coming with events in/out)</span>
        </span>
      ))}
    </nav>
  );
}
