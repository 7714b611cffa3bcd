/** Plain helpers on Temporal's failure chains; pure, so workflow and client code can share them. */

export const INPUT_REJECTED = 'InputRejected';

export interface RootCause {
  message: string;
  type?: string | null;
  details?: unknown[] | null;
}

/** Workflow -> child -> activity -> application failure: the innermost one is what happened. */
export function rootCauseOf(err: unknown): RootCause {
  let e = err as { cause?: unknown; message?: string; type?: string; details?: unknown[] };
  while (e.cause) e = e.cause as typeof e;
  return { message: e.message ?? String(err), type: e.type, details: e.details };
}
