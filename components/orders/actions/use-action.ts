"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { Result } from "../../../lib/errors.ts";
import { useActionStatus, useOrderVersion } from "./order-version.tsx";

/**
 * Runs an order action with the version of the order this page showed (so a stale screen is refused),
 * keeps its error message (cleared when it is tried again), says what happened in the page's status
 * message (`describe`), and refreshes the page when it succeeds.
 */
export function useOrderAction<I, T>(run: (input: I) => Promise<Result<T>>, describe?: (data: T, input: Omit<I, "expectedVersion">) => string) {
  const router = useRouter();
  const expectedVersion = useOrderVersion();
  const say = useActionStatus();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  function submit(input: Omit<I, "expectedVersion">, onDone?: (data: T) => void) {
    setError(null);
    start(async () => {
      // On an order page the order's version goes along; an order action without one is refused by its schema.
      const res = await run((expectedVersion === null ? input : { ...input, expectedVersion }) as I);
      if (!res.ok) {
        const fields = res.fieldErrors ? Object.values(res.fieldErrors).flat().join(" ") : "";
        setError(`${res.message}${fields ? ` ${fields}` : ""}`);
        return;
      }
      if (describe) say(describe(res.data, input));
      onDone?.(res.data);
      router.refresh();
    });
  }
  return { submit, pending, error, setError };
}
