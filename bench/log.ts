/** Progress goes to stderr: stdout is for the tables. */
export const log = (line: string) => process.stderr.write(`${line}\n`);

/** A logger whose lines say how long since it was made: progress inside one workflow run. */
export function stopwatch(label: string): (line: string) => void {
  const t = Date.now();
  return (line) => log(`  ${((Date.now() - t) / 1000).toFixed(0).padStart(5)} s ${label ? `${label} ` : ''}${line}`);
}
