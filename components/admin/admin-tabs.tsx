import { Link } from "../ui/link.tsx";

type Section = "users" | "settings" | "dead-letters" | "webhooks" | "events" | "api-keys" | "subscriptions";

/** Admin sections the caller may open; dead letters go with settings (admin:settings); webhook secrets, incoming events, API keys and outgoing webhooks all need admin:api_keys. */
export function AdminTabs({ current, showUsers, showSettings, showWebhooks = false }: { current: Section; showUsers: boolean; showSettings: boolean; showWebhooks?: boolean }) {
  const tab = (active: boolean) => `border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-indigo-600 text-indigo-800" : "border-transparent text-slate-700 hover:text-slate-900"}`;
  const links: { section: Section; href: string; label: string; show: boolean }[] = [
    { section: "users", href: "/admin", label: "Users", show: showUsers },
    { section: "settings", href: "/admin/settings", label: "Settings", show: showSettings },
    { section: "dead-letters", href: "/admin/dead-letters", label: "Dead letters", show: showSettings },
    { section: "webhooks", href: "/admin/webhooks", label: "Webhook secrets", show: showWebhooks },
    { section: "events", href: "/admin/events", label: "Incoming events", show: showWebhooks },
    { section: "api-keys", href: "/admin/api-keys", label: "API keys", show: showWebhooks },
    { section: "subscriptions", href: "/admin/subscriptions", label: "Outgoing webhooks", show: showWebhooks },
  ];
  return (
    <nav aria-label="Admin sections" data-testid="admin-tabs" className="flex flex-wrap items-end gap-2 border-b border-slate-200">
      {links
        .filter((l) => l.show)
        .map((l) => (
          <Link key={l.section} href={l.href} aria-current={current === l.section ? "page" : undefined} className={tab(current === l.section)}>
            {l.label}
          </Link>
        ))}
    </nav>
  );
}
