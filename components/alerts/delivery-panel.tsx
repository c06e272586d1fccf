import { Link } from "../ui/link.tsx";
import type { ConsumerDelivery } from "../../lib/worker/delivery-metrics.ts";

const age = (ms: number | null) => (ms === null ? "—" : ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);

/** Outgoing delivery per consumer: its backlog after its cursor, the oldest message still waiting, and its dead letters. */
export function DeliveryPanel({ consumers, linkDeadLetters }: { consumers: ConsumerDelivery[]; linkDeadLetters: boolean }) {
  return (
    <section data-testid="delivery-panel" aria-labelledby="delivery-title" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm">
      <h2 id="delivery-title" className="font-semibold">Delivery</h2>
      <p className="mt-1 text-slate-700">
        What each outbox consumer has yet to deliver (messages after its cursor in the topics it takes), how long the oldest has waited, and the messages it gave
        up on{linkDeadLetters ? <> (<Link className="text-indigo-700 underline" href="/admin/dead-letters">dead letters</Link>)</> : null}.
      </p>
      {consumers.length === 0 ? (
        <p className="mt-2 text-slate-600">No consumer has run yet.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">Delivery per consumer</caption>
          <thead>
            <tr>
              {["Consumer", "Backlog", "Oldest undelivered", "Dead letters", "State"].map((h) => (
                <th key={h} scope="col" className="py-1 pr-4 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={c.consumer} data-testid="delivery-consumer" data-consumer={c.consumer}>
                <td className="py-0.5 pr-4 font-mono">{c.consumer}</td>
                <td data-testid="delivery-backlog" className="py-0.5 pr-4 tabular-nums">
                  {c.backlog.toLocaleString("en-GB")}
                  {c.topicsKnown ? "" : " (all topics)"}
                </td>
                <td data-testid="delivery-oldest" className="py-0.5 pr-4 tabular-nums">{age(c.oldestMs)}</td>
                <td data-testid="delivery-dead" className="py-0.5 pr-4 tabular-nums">
                  {c.deadLetters.dead.toLocaleString("en-GB")}
                  {c.deadLetters.retrying ? ` (+${c.deadLetters.retrying} retrying)` : ""}
                </td>
                <td className="py-0.5 pr-4">{c.attempts > 0 ? `failing (${c.attempts} attempts): ${c.lastError ?? ""}` : "ok"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
