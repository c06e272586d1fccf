/** How long ago, in the largest sensible unit ("3 d 4 h", "45 min"). */
export function Age({ from, now }: { from: number; now: number }) {
  const minutes = Math.max(0, Math.floor((now - from) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
  return <span title={new Date(from).toISOString()}>{text}</span>;
}
