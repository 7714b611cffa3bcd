import { ApplicationFailure } from '@temporalio/common';
import { INPUT_REJECTED } from '../workflows/failures';

export { INPUT_REJECTED };

export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

export function rejectionMessage(r: Rejection): string {
  return `${r.file} line ${r.line}: ${r.reason}`;
}

/** Bad input: retrying cannot help, so fail the batch at once with the file, line and reason. */
export function inputRejected(file: string, line: number, reason: string): ApplicationFailure {
  const details: Rejection = { file, line, reason };
  return ApplicationFailure.nonRetryable(rejectionMessage(details), INPUT_REJECTED, details);
}
