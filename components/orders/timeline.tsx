import type { NotificationDelivery, TimelineEntry } from "../../db/queries/orders.ts";
import { StatusBadge } from "../ui/status-badge.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import { EmptyState } from "../ui/empty-state.tsx";
import { RawPayload } from "../intake/raw-payload.tsx";
import { Link } from "../ui/link.tsx";
import { TrackingLink } from "./tracking-link.tsx";

const DOT: Record<TimelineEntry["kind"], string> = {
  audit: "bg-indigo-500",
  note: "bg-amber-500",
  notification: "bg-teal-500",
  webhook: "bg-sky-500",
};

/** `decisionLinks`: the viewer may open routing decisions (routing:read), so entries link to theirs. */
export function Timeline({ entries, decisionLinks = false }: { entries: TimelineEntry[]; decisionLinks?: boolean }) {
  if (entries.length === 0) return <EmptyState title="Nothing has happened to this order yet" />;
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5" aria-label="Order history, newest first">
      {entries.map((e) => (
        <li key={e.key} data-testid="timeline-entry" data-kind={e.kind} className="relative">
          <span aria-hidden className={`absolute top-1.5 -left-[25px] h-2.5 w-2.5 rounded-full ring-2 ring-white ${DOT[e.kind]}`} />
          <p className="text-sm font-medium wrap-anywhere text-slate-800">{e.title}</p>
          <p className="text-xs text-slate-500">
            <span data-testid="timeline-actor" className="wrap-anywhere">{e.actor}</span> · <LocalTime ms={e.at} withSeconds />
          </p>
          {e.delivery ? <Delivery delivery={e.delivery} /> : null}
          {e.detail ? <p className="mt-1 text-sm whitespace-pre-line wrap-anywhere text-slate-600">{e.detail}</p> : null}
          {decisionLinks && e.decisionId ? (
            <Link data-testid="timeline-decision" href={`/routing/decisions/${e.decisionId}`} className="mt-1 inline-block text-sm text-indigo-700 hover:underline">
              Routing decision #{e.decisionId}
            </Link>
          ) : null}
          {e.tracking ? (
            <p className="mt-1 text-sm text-slate-600" data-testid="timeline-tracking">
              {e.tracking.carrier} · <TrackingLink carrier={e.tracking.carrier} trackingNumber={e.tracking.trackingNumber} />
            </p>
          ) : null}
          {e.raw ? <RawPayload payload={e.raw} /> : null}
        </li>
      ))}
    </ol>
  );
}

const DELIVERY_SAYS: Record<NotificationDelivery["state"], string> = {
  recorded: "On the timeline only: email was not configured when it was written.",
  sending: "Queued for email.",
  sent: "Emailed to the customer",
  failed: "The mail server refused it",
};

/** Where a customer notification's email stands, with the server's words when it failed or is being retried. */
function Delivery({ delivery: d }: { delivery: NotificationDelivery }) {
  return (
    <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600" data-testid="notification-delivery" data-delivery={d.state}>
      <StatusBadge status={d.state} testId="notification-delivery-state" />
      <span className="wrap-anywhere">
        {DELIVERY_SAYS[d.state]}
        {d.error ? (d.state === "failed" ? `: ${d.error}` : ` Last attempt failed, retrying: ${d.error}`) : d.state === "failed" || d.state === "sent" ? "." : null}
      </span>
    </p>
  );
}
