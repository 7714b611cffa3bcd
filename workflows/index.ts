export { batchWorkflow, progressQuery } from './batch';
export { dailyWorkflow } from './daily';
export { backfillWorkflow } from './backfill';
