import type { Client } from '@temporalio/client';
import { MultiBar } from 'cli-progress';

/** Where a command's progress goes while it waits on a workflow. */
export interface ProgressSink<S> {
  /** The latest state: a line whenever `line` changes, and on a terminal the live line redrawn in place. */
  show(state: S): void;
  /** Gives the terminal back: the live line is cleared, the cursor and line wrapping restored. */
  stop(): void;
}

export interface ProgressView<S> {
  /** The live line, drawn again as time passes (elapsed times tick between states). */
  live(state: S, now: number): string;
  /** The line for the record: printed when it differs from the last one (once per step, not per update). */
  line(state: S): string;
}

/**
 * Lines through `log` and, on `terminal` (stderr when it is a TTY), a live line below them.
 * The live line is cli-progress's: redrawn in place twice a second when its text changed,
 * clipped to the terminal's width with wrapping off while it draws, with the lines logged
 * meanwhile kept above it.
 */
export function progressSink<S>(view: ProgressView<S>, log: (line: string) => void, terminal?: NodeJS.WriteStream): ProgressSink<S> {
  let last = '';
  const record = (state: S, print: (line: string) => void) => {
    const line = view.line(state);
    if (line !== last) print(line);
    last = line;
  };
  if (!terminal) return { show: (state) => record(state, log), stop: () => {} };

  let state: S | undefined;
  const bars = new MultiBar({ stream: terminal, fps: 2, hideCursor: true, clearOnComplete: true, format: () => (state === undefined ? '' : view.live(state, Date.now())) });
  let drawing = false;
  return {
    show: (next) => {
      record(next, (line) => (drawing ? bars.log(line + '\n') : log(line)));
      state = next;
      if (!drawing) bars.create(1, 0);
      drawing = true;
    },
    stop: () => {
      if (!drawing) return;
      bars.update(); // flushes lines logged since the last redraw, which stop() would drop
      bars.stop();
      drawing = false;
    },
  };
}

/**
 * Shows what `look` finds, about twice a second, until stopped, and once more then: the lines
 * end with how the workflow ended (a closed workflow's query is answered by replaying it). One
 * look at a time, each with a deadline, and `stop` waits for the one in flight: a query to a
 * workflow whose worker died is retried by the client in the background, and one still
 * retrying after the connection closed threw from its timer (seen in the resilience tests).
 */
export function watch<S>(client: Client, look: () => Promise<S>, sink: ProgressSink<S>): { stop(): Promise<void> } {
  let asking: Promise<void> | null = null;
  const ask = () =>
    (asking ??= client
      .withDeadline(Date.now() + LOOK_DEADLINE_MS, look)
      .then(sink.show, () => {
        // no worker has picked the workflow up yet (or is left to replay it); the next tick asks again
      })
      .finally(() => {
        asking = null;
      }));
  const timer = setInterval(() => void ask(), 500);
  return {
    stop: async () => {
      clearInterval(timer);
      await asking;
      await ask();
      sink.stop();
    },
  };
}

const LOOK_DEADLINE_MS = 2_000;

/** 1:05 for 65 s, 1:02:05 past an hour. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** 1,234,567: rows are read at a glance. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');
