/** Calendar arithmetic on YYYY-MM-DD strings, deterministic and safe in workflow code. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function dayOf(t: Date): string {
  return t.toISOString().slice(0, 10);
}
