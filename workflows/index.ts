export { batchWorkflow, progressQuery } from './batch';
export { dailyWorkflow } from './daily';
export { backfillProgressQuery, backfillWorkflow } from './backfill';
