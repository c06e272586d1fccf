"use client";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

const OrderVersionContext = createContext<number | null>(null);
const ActionStatusContext = createContext<(text: string) => void>(() => {});

/**
 * The version of the order this page shows: every action on it sends it, so a stale screen is refused.
 * Also the page's one "what happened" message: it outlives the button that asked (a cancelled order
 * has no cancel button left to hold it) and is announced through role="status".
 */
export function OrderVersion({ version, children }: { version: number; children: ReactNode }) {
  const [said, setSaid] = useState<{ text: string; n: number } | null>(null);
  const say = useCallback((text: string) => setSaid((s) => ({ text, n: (s?.n ?? 0) + 1 })), []);
  return (
    <OrderVersionContext.Provider value={version}>
      <ActionStatusContext.Provider value={say}>
        {children}
        <div className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4">
          <p
            role="status"
            data-testid="action-done"
            key={said?.n}
            className="pointer-events-auto flex items-center gap-3 rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-2 text-sm font-medium text-emerald-900 shadow-lg empty:border-0 empty:p-0 empty:shadow-none"
          >
            {said ? (
              <>
                <span aria-hidden>✓</span>
                <span>{said.text}</span>
                <button type="button" onClick={() => setSaid(null)} className="rounded px-1 text-emerald-800 hover:bg-emerald-100" aria-label="Dismiss message">
                  ×
                </button>
              </>
            ) : null}
          </p>
        </div>
      </ActionStatusContext.Provider>
    </OrderVersionContext.Provider>
  );
}

/** The version this page showed, or null outside an order page (admin, alerts): those actions carry none. */
export function useOrderVersion(): number | null {
  return useContext(OrderVersionContext);
}

/** Says what an action did, in the page's status message. */
export function useActionStatus(): (text: string) => void {
  return useContext(ActionStatusContext);
}
