import type { Metadata } from "next";
import { Link } from "../../../../../components/ui/link.tsx";
import { notFound } from "next/navigation";
import { requirePermission } from "../../../../../lib/auth/guard.ts";
import { getRoutingDecision } from "../../../../../db/queries/routing.ts";
import type { RoutingPlan } from "../../../../../lib/routing/types.ts";
import { Card } from "../../../../../components/ui/card.tsx";
import { StatusBadge } from "../../../../../components/ui/status-badge.tsx";
import { LocalTime } from "../../../../../components/ui/local-time.tsx";
import { Table, Td, Th } from "../../../../../components/ui/table.tsx";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Routing decision #${(await params).id}` };
}

const KIND: Record<string, string> = { warehouse: "Warehouse", "3pl": "3PL", dropship: "Dropship supplier" };

export default async function DecisionPage({ params }: Params) {
  await requirePermission("routing:read");
  const raw = (await params).id;
  const decision = /^\d+$/.test(raw) ? getRoutingDecision({ id: Number(raw) }) : null;
  if (!decision) notFound();
  const plan = decision.plan as RoutingPlan;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/routing" className="text-sm text-indigo-700 hover:underline">← Routing</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Decision #{decision.id}</h1>
          <StatusBadge status={decision.outcome} testId="decision-outcome" />
          {plan.split && decision.outcome !== "split" ? <StatusBadge status="split" /> : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          Order <Link className="font-mono text-indigo-700 hover:underline" href={`/orders/${decision.orderNumber}`}>{decision.orderNumber}</Link>, routed <LocalTime ms={decision.createdAt} />
        </p>
      </div>

      <Card title="Why" testId="decision-explanation">
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {plan.explanation.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </Card>

      <section className="space-y-2" aria-labelledby="candidates">
        <h2 id="candidates" className="text-sm font-semibold text-slate-700">Candidates considered</h2>
        <Table caption="Every location considered, nearest first, with why it was chosen or not" testId="candidates" head={<><Th>Location</Th><Th>Kind</Th><Th right>Distance</Th><Th right>Priority</Th><Th>Verdict</Th><Th>Reasons</Th></>}>
          {plan.candidates.map((c) => (
            <tr key={c.locationId} data-testid="candidate" data-verdict={c.verdict}>
              <Td>{c.name} <span className="font-mono text-xs text-slate-500">{c.code}</span></Td>
              <Td>{KIND[c.kind] ?? c.kind}</Td>
              <Td right>{c.distanceKm.toLocaleString("en-GB")} km</Td>
              <Td right>{c.priority}</Td>
              <Td>
                <span className={`text-xs font-semibold ${c.verdict === "chosen" ? "text-emerald-700" : "text-slate-500"}`}>{c.verdict === "chosen" ? "Chosen" : "Not used"}</span>
              </Td>
              <Td>
                <ul className="space-y-0.5 text-xs text-slate-700">
                  {c.reasons.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              </Td>
            </tr>
          ))}
        </Table>
      </section>

      <Card title={`Plan: ${plan.shipments.length} shipment(s)`} testId="decision-plan">
        <ul className="space-y-2 text-sm">
          {plan.shipments.map((s, i) => (
            <li key={i}>
              <span className="font-medium">{s.locationCode}</span> {s.dropship ? "(dropship)" : ""} · ship by <LocalTime ms={s.shipBy} />:{" "}
              {s.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")}
            </li>
          ))}
          {plan.backorders.length ? <li className="text-amber-800">Backordered: {plan.backorders.map((b) => `${b.qty} × ${b.sku}`).join(", ")}</li> : null}
          {plan.hold ? <li className="text-rose-800">Held: {plan.hold.reason}</li> : null}
        </ul>
      </Card>
    </div>
  );
}
