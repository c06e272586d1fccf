/** A stored raw body, collapsed until asked for, pretty-printed when it is JSON (the stored text itself is never changed). */
export function RawPayload({ payload, label = "Raw payload" }: { payload: string; label?: string }) {
  let text = payload;
  try {
    text = JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    // Not JSON (a rejected body): shown exactly as received.
  }
  return (
    <details data-testid="raw-payload" className="mt-1 text-xs">
      <summary className="cursor-pointer text-indigo-700 hover:underline">{label}</summary>
      <pre tabIndex={0} className="mt-1 max-h-80 max-w-full overflow-auto rounded bg-slate-900 p-3 font-mono text-[11px] leading-snug text-slate-100">{text}</pre>
    </details>
  );
}
