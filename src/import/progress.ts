/**
 * A progress bar for long imports, drawn on standard error and only on a terminal: scripts and logs that read the
 * output must never see carriage returns and half lines.
 */

/** A progress display; every method is safe to call when nothing is drawn. */
export interface Progress {
    /** Shows `done` of `total` (total unknown: a count only). */
    update(done: number, total?: number, note?: string): void;
    /** Clears the line so what follows starts clean. */
    finish(): void;
}

/** The stream a bar is drawn on: standard error, or a fake in tests. */
export interface ProgressStream {
    isTTY?: boolean;
    columns?: number;
    write(text: string): unknown;
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };

/** Redraws at most this often, so a fast import is not slowed by the terminal. */
const REDRAW_MS = 100;

/** A bar labelled `label`, or a silent one when the stream is not a terminal. */
export function progressBar(label: string, stream: ProgressStream = process.stderr): Progress {
    if (!stream.isTTY) {
        return SILENT;
    }
    let last = 0;
    let drawn = false;
    return {
        update(done, total, note) {
            const now = Date.now();
            if (now - last < REDRAW_MS && (total === undefined || done < total)) {
                return;
            }
            last = now;
            const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - 40));
            let line = `${label} ${done}`;
            if (total !== undefined && total > 0) {
                const share = Math.min(1, done / total);
                const filled = Math.round(share * width);
                line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
            }
            stream.write(`\r${line}${note ? ` ${note}` : ''}\x1b[K`);
            drawn = true;
        },
        finish() {
            if (drawn) {
                stream.write('\r\x1b[K');
                drawn = false;
            }
        },
    };
}
