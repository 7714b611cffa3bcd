export { batchWorkflow, progressQuery } from './batch';
