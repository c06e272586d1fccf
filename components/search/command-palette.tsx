"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { fetchSearch, searchKey } from "./api.ts";
import { DegradedNotice } from "./degraded-notice.tsx";
import { SEARCH_FRESHNESS } from "./freshness.ts";
import { HitSummary } from "./hit-summary.tsx";
import { useDebounced } from "./use-debounced.ts";
import { listQuery, withFrom } from "../../lib/orders/list-link.ts";

const LIMIT = 8;
const DEBOUNCE_MS = 150;

/**
 * Cmd/Ctrl-K from any ops page: a modal combobox over GET /api/search. Arrow keys move through the
 * matches, Enter opens the order, Esc closes and gives focus back to where it was.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const restoreTo = useRef<HTMLElement | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  const show = useCallback(() => {
    restoreTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(true);
  }, []);
  const hide = useCallback(() => {
    setOpen(false);
    // After the dialog unmounts, so focus lands on the page, not on nothing.
    requestAnimationFrame(() => restoreTo.current?.focus());
  }, []);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        if (open) hide();
        else show();
      }
    };
    window.addEventListener("keydown", onKey);
    // The shortcut works from here on (not while the server's HTML waits for hydration); tests wait for this.
    trigger.current?.setAttribute("data-shortcut-ready", "true");
    return () => window.removeEventListener("keydown", onKey);
  }, [open, show, hide]);

  return (
    <>
      <button
        ref={trigger}
        type="button"
        onClick={show}
        data-testid="open-search"
        aria-haspopup="dialog"
        aria-keyshortcuts="Control+K Meta+K"
        className="flex items-center gap-2 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm text-slate-500 hover:bg-slate-50"
      >
        <span aria-hidden>⌕</span>
        {/* The words stay for screen readers; narrow screens show the icon and the shortcut. */}
        <span className="sr-only xl:not-sr-only">Search orders</span>
        <kbd className="rounded border border-slate-200 bg-slate-50 px-1 font-sans text-[10px] text-slate-500">Ctrl K</kbd>
      </button>
      {open ? <PaletteDialog onClose={hide} /> : null}
    </>
  );
}

function PaletteDialog({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const ids = useId();
  const listboxId = `${ids}-listbox`;
  const optionId = (orderId: number) => `${ids}-order-${orderId}`;
  const dialogRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState("");
  const [active, setActive] = useState(0);
  const debounced = useDebounced(q.trim(), DEBOUNCE_MS);

  const search = useQuery({
    queryKey: searchKey({ q: debounced, limit: LIMIT }),
    queryFn: ({ signal }) => fetchSearch({ q: debounced, limit: LIMIT }, signal),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    retry: false,
    ...SEARCH_FRESHNESS,
  });
  const hits = debounced.length > 0 ? (search.data?.hits ?? []) : [];
  // While trying again the last error is not shown: it may no longer be true.
  const failed = search.isError && !search.isFetching;
  const activeHit = hits[Math.min(active, hits.length - 1)];

  useEffect(() => inputRef.current?.focus(), []);
  useEffect(() => setActive(0), [search.data]);
  useEffect(() => {
    if (activeHit) document.getElementById(`${ids}-order-${activeHit.orderId}`)?.scrollIntoView({ block: "nearest" });
  }, [ids, activeHit]);

  const openOrder = (number: string) => {
    onClose();
    // The palette's query goes along: the order's "← Orders" opens the list searched for it.
    router.push(withFrom(`/orders/${encodeURIComponent(number)}`, listQuery({ q: debounced })));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    } else if (e.key === "ArrowDown" && hits.length) {
      e.preventDefault();
      setActive((i) => (i + 1) % hits.length);
    } else if (e.key === "ArrowUp" && hits.length) {
      e.preventDefault();
      setActive((i) => (i - 1 + hits.length) % hits.length);
    } else if (e.key === "Enter" && activeHit && e.target === inputRef.current) {
      e.preventDefault();
      openOrder(activeHit.number);
    } else if (e.key === "Tab") {
      trapFocus(e, dialogRef.current);
    }
  };

  const typing = q.trim() !== debounced || (search.isFetching && !search.data);
  let status: string;
  if (!q.trim()) status = "Type an order number, customer name, email, phone, SKU, product, tracking number, city or postcode.";
  else if (failed) status = "";
  else if (search.isError) status = "Trying again…";
  else if (typing) status = "Searching…";
  else if (hits.length === 0) status = `No orders match “${debounced}”.`;
  else status = `${hits.length} ${hits.length === 1 ? "order" : "orders"}${search.data?.nextCursor ? " shown, more on the Orders page" : ""}.`;

  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-slate-900/40 px-4 pt-[12vh]" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-label="Search orders"
        data-testid="search-palette"
        onKeyDown={onKeyDown}
        className="w-full max-w-2xl overflow-hidden rounded-xl bg-white shadow-2xl ring-1 ring-slate-900/10"
      >
        <div className="flex items-center gap-2 border-b border-slate-200 px-4">
          <span aria-hidden className="text-slate-400">⌕</span>
          <input
            ref={inputRef}
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls={listboxId}
            aria-activedescendant={activeHit ? optionId(activeHit.orderId) : undefined}
            aria-autocomplete="list"
            aria-label="Search orders"
            data-testid="search-palette-input"
            placeholder="Search orders…"
            autoComplete="off"
            spellCheck={false}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-focus-inset
            className="h-12 w-full rounded-md bg-transparent px-2 text-base placeholder:text-slate-400"
          />
          <button type="button" onClick={onClose} data-focus-inset className="rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-100" aria-label="Close search">
            Esc
          </button>
        </div>
        <ul id={listboxId} role="listbox" aria-label="Matching orders" data-testid="search-palette-results" className="max-h-[60vh] overflow-y-auto py-1">
          {hits.map((hit, i) => (
            <li
              key={hit.orderId}
              id={optionId(hit.orderId)}
              role="option"
              aria-selected={i === active}
              data-testid="search-option"
              onMouseMove={() => setActive(i)}
              onClick={() => openOrder(hit.number)}
              className={`flex cursor-pointer items-center gap-3 px-4 py-2 ${i === active ? "bg-indigo-50" : ""}`}
            >
              <HitSummary hit={hit} />
            </li>
          ))}
        </ul>
        {failed && q.trim() ? (
          <div role="alert" data-testid="search-error" className="flex items-center justify-between gap-3 border-t border-rose-100 bg-rose-50 px-4 py-3 text-sm text-rose-800">
            {search.error.message}
            <button type="button" onClick={() => search.refetch()} className="rounded border border-rose-300 bg-white px-2 py-0.5 text-xs">
              Try again
            </button>
          </div>
        ) : null}
        {q.trim() ? <DegradedNotice result={search.data} className="mx-4 mb-2" /> : null}
        <p role="status" aria-live="polite" data-testid="search-status" className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
          {status}
        </p>
      </div>
    </div>
  );
}

/** Keeps Tab and Shift-Tab inside the dialog. */
function trapFocus(e: KeyboardEvent, container: HTMLElement | null) {
  if (!container) return;
  const focusable = [...container.querySelectorAll<HTMLElement>("input, button, [href], [tabindex]:not([tabindex='-1'])")].filter((el) => !el.hasAttribute("disabled"));
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
