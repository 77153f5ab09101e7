import type { ProgressEvent, ProgressSink } from '../common/index.ts';
import { humanMs, humanNumber } from './output.ts';

/**
 * Renders progress events on stderr: one line rewritten in place at a terminal, and a
 * line every few seconds (plus each stage's last) when stderr is a file or a pipe.
 */
export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = stream.isTTY === true;
  let lastWrite = 0;
  let lastStage = '';
  return (e: ProgressEvent) => {
    const now = Date.now();
    const final = e.done === e.total;
    if (!tty && !final && now - lastWrite < 3000) return;
    if (tty && !final && now - lastWrite < 100) return;
    lastWrite = now;
    const secs = Math.max(e.elapsedMs, 1) / 1000;
    const parts = [`${e.stage.padEnd(9)} ${e.done}/${e.total} ${e.unit}`];
    if (e.rows !== undefined)
      parts.push(`${humanNumber(e.rows)} rows`, `${humanNumber(Math.round(e.rows / secs))} rows/s`);
    const fraction = e.totalBytes ? (e.bytes ?? 0) / e.totalBytes : e.done / Math.max(e.total, 1);
    if (!final && fraction > 0) parts.push(`ETA ${humanMs((e.elapsedMs / fraction) * (1 - fraction))}`);
    if (final) parts.push(`in ${humanMs(e.elapsedMs)}`);
    else if (e.item) parts.push(e.item);
    const line = parts.join('  ');
    if (tty) {
      if (lastStage && lastStage !== e.stage) stream.write('\n');
      stream.write(`\r\x1b[2K${line}`);
      if (final) stream.write('\n');
    } else {
      stream.write(line + '\n');
    }
    lastStage = final ? '' : e.stage;
  };
}
