export { batchWorkflow, progressQuery } from './batch';
export { dailyWorkflow } from './daily';
export { backfillProgressQuery, backfillWorkflow, DEFAULT_CONCURRENCY } from './backfill';
