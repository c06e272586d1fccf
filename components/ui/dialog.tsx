"use client";
import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal built on <dialog>: the browser traps focus, Esc closes, and focus returns to the opener.
 * The consequence of the action is spelled out in `children` before the confirm button.
 */
export function Dialog({ open, onClose, title, children, testId }: { open: boolean; onClose: () => void; title: string; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={testId ? `${testId}-title` : undefined}
      data-testid={testId}
      className="m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {open ? (
        <div className="p-5">
          <h2 id={testId ? `${testId}-title` : undefined} className="text-lg font-semibold">{title}</h2>
          <div className="mt-3 space-y-3 text-sm">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}

export function DialogButtons({ onCancel, confirmLabel, pending, danger = false, disabled = false }: { onCancel: () => void; confirmLabel: string; pending: boolean; danger?: boolean; disabled?: boolean }) {
  return (
    <div className="flex justify-end gap-2 pt-2">
      <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
        Keep as is
      </button>
      <button
        type="submit"
        disabled={pending || disabled}
        className={`rounded-md px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50 ${danger ? "bg-rose-600 hover:bg-rose-700" : "bg-indigo-600 hover:bg-indigo-700"}`}
      >
        {pending ? "Working…" : confirmLabel}
      </button>
    </div>
  );
}

export function ErrorNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid="action-error" className="rounded-md bg-rose-50 px-3 py-2 text-rose-800">
      {message}
    </p>
  );
}

export const buttonClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100";
