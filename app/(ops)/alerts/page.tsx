import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can } from "../../../lib/auth/permissions.ts";
import { alertCountsByRule, listAlerts } from "../../../db/queries/alerts.ts";
import { RULE_LABELS } from "../../../lib/alerts/rules.ts";
import { humanStatus } from "../../../lib/format.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { Age } from "../../../components/ui/age.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { StatusBadge } from "../../../components/ui/status-badge.tsx";
import { AcknowledgeAlert, EvaluateNow } from "../../../components/alerts/alert-actions.tsx";
import { AlertsTabs } from "../../../components/alerts/alerts-tabs.tsx";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

function subjectLabel(subject: string): string {
  const [kind, id] = subject.split(":", 2);
  if (kind === "outbox") return `Outgoing topic ${id}`;
  if (kind === "order") return "The order";
  return `${humanStatus(kind ?? "")} #${id}`;
}

/** What a failing-delivery alert knows: how many messages, and the consumer's last error (naming a dead letter when there is one). */
function deliveryDetail(data: string | null): string | null {
  if (!data) return null;
  const d = JSON.parse(data) as { messages?: number; error?: string | null };
  return d.error ? `${d.messages ?? 1} message${d.messages === 1 ? "" : "s"}: ${d.error}` : null;
}

function href(p: { rule?: string; status?: string; after?: string }) {
  const q = new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => !!e[1]));
  return q.size ? `/alerts?${q}` : "/alerts";
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission("alerts:read");
  const params = await searchParams;
  const rule = one(params.rule);
  const status = one(params.status) === "open" || one(params.status) === "acknowledged" ? (one(params.status) as "open" | "acknowledged") : undefined;
  const m = one(params.after)?.match(/^(\d{1,15})\.(\d{1,12})$/);
  const after = m ? { since: Number(m[1]), id: Number(m[2]) } : null;
  const { rows, next } = listAlerts({ rule, status, after });
  const counts = alertCountsByRule();
  const total = counts.reduce((n, c) => n + c.open + c.acknowledged, 0);
  const mayAck = can(user, "alerts:acknowledge");
  const mayOpenDeadLetters = can(user, "admin:settings");
  const now = Date.now();
  const chip = (active: boolean) => `rounded-full border px-3 py-1 text-xs font-medium ${active ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Alerts">Stuck orders and failing deliveries, oldest first. The worker checks every minute.</PageHeader>
        {mayAck ? <EvaluateNow /> : null}
      </div>
      <AlertsTabs current="alerts" showMetrics={can(user, "metrics:read")} />

      <nav aria-label="Filter by rule" data-testid="rule-filter" className="flex flex-wrap gap-2">
        <Link href={href({ status })} aria-current={!rule ? "true" : undefined} className={chip(!rule)}>
          All rules {total}
        </Link>
        {counts.map((c) => (
          <Link key={c.rule} href={href({ rule: c.rule, status })} aria-current={rule === c.rule ? "true" : undefined} className={chip(rule === c.rule)}>
            {RULE_LABELS[c.rule] ?? humanStatus(c.rule)} {c.open + c.acknowledged}
          </Link>
        ))}
      </nav>
      <nav aria-label="Filter by state" className="flex gap-2">
        {([undefined, "open", "acknowledged"] as const).map((s) => (
          <Link key={s ?? "all"} href={href({ rule, status: s })} aria-current={status === s ? "true" : undefined} className={chip(status === s)}>
            {s ? humanStatus(s) : "Open and acknowledged"}
          </Link>
        ))}
      </nav>

      {rows.length === 0 ? (
        <EmptyState title="No alerts here">Nothing is stuck{rule || status ? " for this filter" : " right now"}.</EmptyState>
      ) : (
        <Table
          caption="Live alerts, oldest first"
          testId="alerts-table"
          head={
            <>
              <Th>Rule</Th>
              <Th>Order</Th>
              <Th>Subject</Th>
              <Th>Age</Th>
              <Th>Owner</Th>
              <Th>State</Th>
              <Th>Note</Th>
              {mayAck ? <Th>Action</Th> : null}
            </>
          }
        >
          {rows.map((a) => {
            const label = `${RULE_LABELS[a.rule] ?? humanStatus(a.rule)}${a.orderNumber ? ` on ${a.orderNumber}` : ""}`;
            return (
              <tr key={a.id} data-testid="alert-row" data-alert-id={a.id} data-rule={a.rule}>
                <Td>{RULE_LABELS[a.rule] ?? humanStatus(a.rule)}</Td>
                <Td mono>
                  {a.orderNumber ? (
                    <Link className="whitespace-nowrap text-indigo-700 hover:underline" href={`/orders/${a.orderNumber}`}>
                      {a.orderNumber}
                    </Link>
                  ) : (
                    "—"
                  )}
                </Td>
                <Td>
                  {subjectLabel(a.subject)}
                  {a.rule === "outbox_failing" && deliveryDetail(a.data) ? (
                    <span data-testid="alert-delivery-detail" className="block max-w-xs text-xs wrap-anywhere text-slate-600">
                      {deliveryDetail(a.data)}
                      {mayOpenDeadLetters && a.data?.includes("dead letter #") ? (
                        <>
                          {" "}
                          <Link className="text-indigo-700 underline" href="/admin/dead-letters">
                            Dead letters
                          </Link>
                        </>
                      ) : null}
                    </span>
                  ) : null}
                </Td>
                <Td>
                  <span className="whitespace-nowrap">
                    <Age from={a.since} now={now} />
                  </span>
                </Td>
                <Td>
                  <span data-testid="alert-owner">{a.owner ?? "unassigned"}</span>
                </Td>
                <Td>
                  <StatusBadge status={a.status} />
                  {a.snoozedUntil ? (
                    <span className="block text-xs text-slate-600">
                      quiet until <LocalTime ms={a.snoozedUntil} />
                    </span>
                  ) : null}
                </Td>
                <Td freeText>{a.note ?? "—"}</Td>
                {mayAck ? (
                  <Td>
                    <AcknowledgeAlert alertId={a.id} label={label} />
                  </Td>
                ) : null}
              </tr>
            );
          })}
        </Table>
      )}
      {next ? (
        <nav aria-label="Alert pages" className="flex justify-end">
          <Link data-testid="page-older" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100" href={href({ rule, status, after: `${next.since}.${next.id}` })}>
            Next →
          </Link>
        </nav>
      ) : null}
    </div>
  );
}
