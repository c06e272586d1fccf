/**
 * A progress reporter for long seeds: a redrawn bar on a TTY (at most ~10 frames a second),
 * otherwise one line per 10 %. Writes to the given stream, normally stderr.
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): { update: (done: number, total: number) => void; finish: () => void } {
  const started = performance.now();
  const tty = Boolean(stream.isTTY);
  let lastDraw = -Infinity;
  let lastDecile = -1;
  let drawn = false;
  const line = (done: number, total: number) => {
    const ratio = total ? done / total : 1;
    const width = 20;
    const filled = Math.round(ratio * width);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total} ${seconds}s`;
  };
  return {
    update(done, total) {
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        stream.write(`\r${line(done, total)}\x1b[K`);
        drawn = true;
      } else {
        const decile = total ? Math.floor((done / total) * 10) : 10;
        if (decile <= lastDecile) return;
        lastDecile = decile;
        stream.write(`${line(done, total)}\n`);
      }
    },
    finish() {
      if (tty && drawn) stream.write("\n");
    },
  };
}
