import type { Metadata } from "next";
import { Link } from "../../../components/ui/link.tsx";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can } from "../../../lib/auth/permissions.ts";
import { alertCountsByRule, alertStaff, listAlertGroups } from "../../../db/queries/alerts.ts";
import { RULE_LABELS } from "../../../lib/alerts/rules.ts";
import { alertOwnerRoles, alertScopeOf, scopeFilter } from "../../../lib/alerts/scope.ts";
import { humanStatus } from "../../../lib/format.ts";
import { PageHeader } from "../../../components/ui/table.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { EvaluateNow } from "../../../components/alerts/alert-actions.tsx";
import { AlertsBoard } from "../../../components/alerts/alerts-board.tsx";
import { AlertsTabs } from "../../../components/alerts/alerts-tabs.tsx";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/** What a failing-delivery alert knows: how many messages, and the consumer's last error (naming a dead letter when there is one). */
function deliveryDetail(data: string | null): string | null {
  if (!data) return null;
  const d = JSON.parse(data) as { messages?: number; error?: string | null };
  return d.error ? `${d.messages ?? 1} message${d.messages === 1 ? "" : "s"}: ${d.error}` : null;
}

function href(p: { rule?: string; status?: string; owner?: string; after?: string }) {
  const q = new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => !!e[1]));
  return q.size ? `/alerts?${q}` : "/alerts";
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("alerts:read");
  const params = await searchParams;
  const rule = one(params.rule);
  const status = one(params.status) === "open" || one(params.status) === "acknowledged" ? (one(params.status) as "open" | "acknowledged") : undefined;
  const ownerParam = one(params.owner) === "me" || one(params.owner) === "none" ? one(params.owner) : undefined;
  const m = one(params.after)?.match(/^(\d{1,15})\.(-?\d{1,12})$/);
  const after = m ? { since: Number(m[1]), key: Number(m[2]) } : null;
  const scope = alertScopeOf(user);
  const filter = scopeFilter(scope);
  const { groups, next } = listAlertGroups({ rule, status, owner: ownerParam === "me" ? user.id : ownerParam === "none" ? "none" : undefined, scope: filter, after });
  const counts = alertCountsByRule(filter);
  const total = counts.reduce((n, c) => n + c.open + c.acknowledged, 0);
  const mayAck = can(user, "alerts:acknowledge");
  const mayOpenDeadLetters = can(user, "admin:settings");
  const mayAssign = can(user, "alerts:assign");
  const now = Date.now();
  const chip = (active: boolean) => `rounded-full border px-3 py-1 text-xs font-medium whitespace-nowrap ${active ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Alerts">
          {scope.shipmentsOnly
            ? `Shipments past their ship-by${scope.locationId === null ? " at every location (save your location on Shipments to see only yours)" : " at your location"}, oldest first.`
            : "Stuck orders and failing deliveries, one row per order, oldest first. The worker checks every minute."}
        </PageHeader>
        {mayAck ? <EvaluateNow /> : null}
      </div>
      <AlertsTabs current="alerts" showMetrics={can(user, "metrics:read")} />

      <nav aria-label="Filter by rule" data-testid="rule-filter" className="flex flex-wrap gap-2">
        <Link href={href({ status, owner: ownerParam })} aria-current={!rule ? "true" : undefined} className={chip(!rule)}>
          All rules {total}
        </Link>
        {counts.map((c) => (
          <Link key={c.rule} href={href({ rule: c.rule, status, owner: ownerParam })} aria-current={rule === c.rule ? "true" : undefined} className={chip(rule === c.rule)}>
            {RULE_LABELS[c.rule] ?? humanStatus(c.rule)} {c.open + c.acknowledged}
          </Link>
        ))}
      </nav>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        <nav aria-label="Filter by state" className="flex flex-wrap gap-2">
          {([undefined, "open", "acknowledged"] as const).map((s) => (
            <Link key={s ?? "all"} href={href({ rule, status: s, owner: ownerParam })} aria-current={status === s ? "true" : undefined} className={chip(status === s)}>
              {s ? humanStatus(s) : "Open and acknowledged"}
            </Link>
          ))}
        </nav>
        <nav aria-label="Filter by owner" data-testid="owner-filter" className="flex flex-wrap gap-2">
          {([undefined, "me", "none"] as const).map((o) => (
            <Link key={o ?? "anyone"} href={href({ rule, status, owner: o })} aria-current={ownerParam === o ? "true" : undefined} className={chip(ownerParam === o)}>
              {o === "me" ? "Mine" : o === "none" ? "Unassigned" : "Anyone's"}
            </Link>
          ))}
        </nav>
      </div>

      {groups.length === 0 ? (
        <EmptyState title="No alerts here">Nothing is stuck{rule || status || ownerParam ? " for this filter" : " right now"}.</EmptyState>
      ) : (
        <AlertsBoard
          groups={groups.map((g) => ({
            key: g.key,
            since: g.since,
            orderNumber: g.orderNumber,
            locations: g.locations,
            alerts: g.alerts.map((a) => ({ id: a.id, rule: a.rule, subject: a.subject, status: a.status, since: a.since, owner: a.owner, note: a.note, snoozedUntil: a.snoozedUntil, detail: a.rule === "outbox_failing" ? deliveryDetail(a.data) : null, deadLetter: !!a.data?.includes("dead letter #") })),
          }))}
          staff={mayAssign ? alertStaff({ roles: alertOwnerRoles() }) : []}
          me={user.id}
          mayAck={mayAck}
          mayAssign={mayAssign}
          now={now}
          mayOpenDeadLetters={mayOpenDeadLetters}
        />
      )}
      {next ? (
        <nav aria-label="Alert pages" className="flex justify-end">
          <Link data-testid="page-older" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={href({ rule, status, owner: ownerParam, after: `${next.since}.${next.key}` })}>
            Next →
          </Link>
        </nav>
      ) : null}
    </div>
  );
}
