import type { Tx } from "../../db/client.ts";
import { moveDeadLetters } from "../../db/queries/dead-letters.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";

type Decision = { consumer: string; ids: number[] | "all"; actor: Actor; at: number };
type Outcome = { consumer: string; moved: number; ids: number[] };

const VERBS = { retrying: "retried", discarded: "discarded" } as const;

/**
 * An admin's decision on dead letters of one consumer (the named ones, or all that are dead): each moved
 * letter gets its own audit row. Named letters that are no longer dead (the worker or another admin got there
 * first) are a conflict and nothing is written.
 */
function decide(tx: Tx, d: Decision, to: "retrying" | "discarded"): Outcome {
  const moved = moveDeadLetters(tx, { consumer: d.consumer, ids: d.ids, from: "dead", to, by: d.actor.id, at: d.at });
  if (d.ids !== "all" && moved.length !== d.ids.length) {
    const gone = d.ids.filter((id) => !moved.some((m) => m.id === id));
    throw new DomainError("conflict", `Dead letter${gone.length === 1 ? "" : "s"} ${gone.map((id) => `#${id}`).join(", ")} of ${d.consumer} ${gone.length === 1 ? "is" : "are"} no longer dead: reload to see what happened.`);
  }
  for (const m of moved) {
    appendAudit(tx, {
      entityType: "dead_letter",
      entityId: m.id,
      orderId: m.aggregateType === "order" ? m.aggregateId : null,
      actor: d.actor,
      action: `dead_letter_${VERBS[to]}`,
      fromStatus: "dead",
      toStatus: to,
      reason: `${d.consumer}: ${m.topic} (message ${m.outboxId}) ${to === "retrying" ? "queued for redelivery" : "discarded"}`,
      data: { consumer: d.consumer, outboxId: m.outboxId, topic: m.topic, bulk: d.ids === "all" },
      at: d.at,
    });
  }
  return { consumer: d.consumer, moved: moved.length, ids: moved.map((m) => m.id) };
}

/** Queues dead letters for redelivery: the worker delivers each again to that consumer with its original message id. */
export function retryDeadLetters(tx: Tx, d: Decision): Outcome {
  return decide(tx, d, "retrying");
}

/** Gives up on dead letters for good: they stay listed as discarded, never delivered. */
export function discardDeadLetters(tx: Tx, d: Decision): Outcome {
  return decide(tx, d, "discarded");
}
