"use client";
import { setDefaultLocationAction } from "../../app/(ops)/shipments/actions.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

/** Saves (or clears) the location the signed-in lead's queue opens on. */
export function DefaultLocationButton({ locationId, label }: { locationId: number | null; label: string }) {
  const { submit, pending, error } = useOrderAction(setDefaultLocationAction);
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({ locationId })}>
        {label}
      </button>
      <ErrorNote message={error} />
    </span>
  );
}
