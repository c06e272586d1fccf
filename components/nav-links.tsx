"use client";
import Link from "next/link";
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
              </Link>
              {alertBadge && item.href === "/alerts" ? <AlertCountBadge /> : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
