"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { Result } from "../../../lib/errors.ts";

/** Runs a server action, keeps its error message, and refreshes the page when it succeeds. */
export function useOrderAction<I, T>(run: (input: I) => Promise<Result<T>>) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  function submit(input: I, onDone?: (data: T) => void) {
    setError(null);
    start(async () => {
      const res = await run(input);
      if (!res.ok) {
        const fields = res.fieldErrors ? Object.values(res.fieldErrors).flat().join(" ") : "";
        setError(`${res.message}${fields ? ` ${fields}` : ""}`);
        return;
      }
      onDone?.(res.data);
      router.refresh();
    });
  }
  return { submit, pending, error, setError };
}
