/**
 * Runs `sample` every `ms`, one at a time: a slow sample is not overlapped by the next, and
 * `stop` waits for the one in flight, so nothing samples a connection after it was closed.
 * A sample that fails is only a lost sample: it makes a profile or a progress line coarser.
 */
export function pollEvery(ms: number, sample: () => Promise<void>): { stop(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = sample()
      .catch(() => {})
      .finally(() => {
        inFlight = null;
      });
  }, ms);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
