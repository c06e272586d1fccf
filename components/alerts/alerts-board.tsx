"use client";
import { Link } from "../ui/link.tsx";
import { useState } from "react";
import { RULE_LABELS } from "../../lib/alerts/rules.ts";
import { humanStatus } from "../../lib/format.ts";
import { Table, Td, Th } from "../ui/table.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import { Age } from "../ui/age.tsx";
import { StatusBadge } from "../ui/status-badge.tsx";
import { AcknowledgeAlerts, AssignAlerts, type Staff } from "./alert-actions.tsx";

type BoardAlert = { id: number; rule: string; subject: string; status: "open" | "acknowledged"; since: number; owner: string | null; note: string | null; snoozedUntil: number | null; detail?: string | null; deadLetter?: boolean };
export type BoardGroup = { key: number; since: number; orderNumber: string | null; locations: string[]; alerts: BoardAlert[] };

const ruleLabel = (rule: string) => RULE_LABELS[rule] ?? humanStatus(rule);

function subjectLabel(subject: string): string {
  const [kind, id] = subject.split(":", 2);
  if (kind === "outbox") return `Outgoing topic ${id}`;
  if (kind === "order") return "the order";
  return `${humanStatus(kind ?? "").toLowerCase()} #${id}`;
}

const groupLabel = (g: BoardGroup) => (g.orderNumber ? `${g.alerts.map((a) => ruleLabel(a.rule)).join(", ")} on ${g.orderNumber}` : `${ruleLabel(g.alerts[0]!.rule)}: ${subjectLabel(g.alerts[0]!.subject)}`);

/** One row per order with its alerts listed; choose rows to assign or acknowledge them together with one note. */
export function AlertsBoard({ groups, staff, me, mayAck, mayAssign, now, mayOpenDeadLetters = false }: { groups: BoardGroup[]; staff: Staff[]; me: number; mayAck: boolean; mayAssign: boolean; now: number; mayOpenDeadLetters?: boolean }) {
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const picked = groups.filter((g) => chosen.has(g.key));
  const pickedIds = picked.flatMap((g) => g.alerts.map((a) => a.id));
  const toggle = (key: number) => setChosen((c) => (c.has(key) ? new Set([...c].filter((k) => k !== key)) : new Set([...c, key])));
  const clear = () => setChosen(new Set());
  const bulkLabel = `${picked.length} row(s), ${pickedIds.length} alert(s)`;
  const allChosen = groups.length > 0 && chosen.size === groups.length;
  return (
    <div className="space-y-2">
      {mayAck || mayAssign ? (
        <div data-testid="bulk-bar" className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
          <span className="text-slate-700" role="status">{picked.length ? `${bulkLabel} chosen` : "Choose rows to act on several at once"}</span>
          {mayAssign ? <AssignAlerts alertIds={pickedIds} label={bulkLabel} buttonLabel="Assign chosen…" staff={staff} me={me} onDone={clear} /> : null}
          {mayAck ? <AcknowledgeAlerts alertIds={pickedIds} label={bulkLabel} buttonLabel="Acknowledge chosen…" onDone={clear} /> : null}
        </div>
      ) : null}
      <Table
        caption="Live alerts, one row per order, oldest first"
        testId="alerts-table"
        head={
          <>
            <Th>
              <span className="flex items-center gap-2 whitespace-nowrap">
                {mayAck || mayAssign ? (
                  <input type="checkbox" aria-label="Choose every row" checked={allChosen} onChange={() => setChosen(allChosen ? new Set() : new Set(groups.map((g) => g.key)))} />
                ) : null}
                Order, age
              </span>
            </Th>
            <Th>Alerts</Th>
            <Th>Warehouse</Th>
            <Th>Owner</Th>
            <Th>Note</Th>
            {mayAck || mayAssign ? <Th>Action</Th> : null}
          </>
        }
      >
        {groups.map((g) => {
          const ids = g.alerts.map((a) => a.id);
          const owners = [...new Set(g.alerts.map((a) => a.owner ?? "unassigned"))];
          const notes = [...new Set(g.alerts.map((a) => a.note).filter((n): n is string => !!n))];
          const label = groupLabel(g);
          return (
            <tr key={g.key} data-testid="alert-row" data-alert-id={ids[0]} data-alert-ids={ids.join(" ")} data-rule={g.alerts[0]?.rule} className="align-top">
              <Td>
                {mayAck || mayAssign ? (
                  <input type="checkbox" className="mr-2 align-middle" aria-label={`Choose ${g.orderNumber ?? label}`} checked={chosen.has(g.key)} onChange={() => toggle(g.key)} />
                ) : null}
                {g.orderNumber ? (
                  <Link className="font-mono text-xs whitespace-nowrap text-indigo-700 hover:underline" href={`/orders/${g.orderNumber}`}>
                    {g.orderNumber}
                  </Link>
                ) : (
                  "—"
                )}
                <span className={`block text-xs whitespace-nowrap text-slate-600 ${mayAck || mayAssign ? "pl-6" : ""}`} data-testid="alert-age">
                  <Age from={g.since} now={now} /> old
                </span>
              </Td>
              <Td>
                <ul className="space-y-1">
                  {g.alerts.map((a) => (
                    <li key={a.id} data-testid="alert-rule" data-rule={a.rule}>
                      <span className="flex items-center gap-2">
                        <span className="font-medium whitespace-nowrap">{ruleLabel(a.rule)}</span>
                        <StatusBadge status={a.status} />
                      </span>
                      <span className="block text-xs text-slate-600">
                        {subjectLabel(a.subject)}
                        {a.detail ? (
                          <span data-testid="alert-delivery-detail" className="block max-w-xs wrap-anywhere">
                            {a.detail}
                            {mayOpenDeadLetters && a.deadLetter ? (
                              <>
                                {" "}
                                <Link className="text-indigo-700 underline" href="/admin/dead-letters">
                                  Dead letters
                                </Link>
                              </>
                            ) : null}
                          </span>
                        ) : null}
                        {a.snoozedUntil && a.status === "acknowledged" ? (
                          <>
                            {" · quiet until "}
                            <LocalTime ms={a.snoozedUntil} />
                          </>
                        ) : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </Td>
              <Td>
                <span data-testid="alert-warehouse" className="whitespace-nowrap">{g.locations.length ? g.locations.join(", ") : "—"}</span>
              </Td>
              <Td>
                <span data-testid="alert-owner">{owners.join(", ")}</span>
              </Td>
              <Td>
                <span className="block min-w-28 wrap-anywhere">{notes.length ? notes.join(" · ") : "—"}</span>
              </Td>
              {mayAck || mayAssign ? (
                <Td>
                  <div className="flex flex-col items-start gap-2">
                    {mayAssign ? <AssignAlerts alertIds={ids} label={label} buttonLabel="Assign…" ariaLabel={`Assign: ${label}`} staff={staff} me={me} compact /> : null}
                    {mayAck ? <AcknowledgeAlerts alertIds={ids} label={label} buttonLabel="Acknowledge…" ariaLabel={`Acknowledge: ${label}`} compact /> : null}
                  </div>
                </Td>
              ) : null}
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
