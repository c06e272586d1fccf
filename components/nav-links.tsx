"use client";
import { useLinkStatus } from "next/link";
import { Link } from "./ui/link.tsx";
import { usePathname } from "next/navigation";
import { AlertCountBadge } from "./alerts/alert-count-badge.tsx";

export function NavLinks({ items, alertBadge = false }: { items: { href: string; label: string }[]; alertBadge?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" data-testid="main-nav">
      <ul className="flex flex-wrap items-center gap-x-1 gap-y-1">
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(item.href + "/");
          return (
            <li key={item.href} className="flex shrink-0 items-center">
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap ${active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
              >
                {item.label}
                <Pending />
              </Link>
              {alertBadge && item.href === "/alerts" ? <AlertCountBadge /> : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/**
 * Shown at once while the screen a nav link leads to renders on the server: a bar across the top of the
 * window and a status for screen readers. (Not a route `loading.tsx`: a Suspense boundary around pages would
 * start the response before a page can answer 403 or 404, and every refusal would go out as 200.)
 */
function Pending() {
  const { pending } = useLinkStatus();
  if (!pending) return null;
  return (
    <span role="status" data-testid="page-loading" className="fixed inset-x-0 top-0 z-50 block h-1 animate-pulse bg-indigo-600">
      <span className="sr-only">Loading…</span>
    </span>
  );
}
