/**
 * Named pauses for fault-injection tests (crash a worker, kill connections in the middle of a
 * step). Inert unless JOURNEY_FAILPOINTS names the point, e.g. `publish:before-commit=5000`.
 */
export async function failpoint(name: string): Promise<void> {
  const spec = process.env.JOURNEY_FAILPOINTS;
  if (!spec) return;
  for (const entry of spec.split(',')) {
    const [point, ms] = entry.split('=');
    if (point.trim() === name) await new Promise((r) => setTimeout(r, Number(ms) || 0));
  }
}
