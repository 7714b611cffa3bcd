import path from 'node:path';
import { z } from 'zod';

/** The SDK's levels, most verbose first. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

// The environment is the public configuration surface (docs/interface.md): validate it once,
// at the edge, so a typo fails with a readable message instead of deep inside a driver.
const Env = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  JOURNEY_TASK_QUEUE: z.string().min(1).default('journey'),
  JOURNEY_DATA_DIR: z.string().min(1).optional(),
  JOURNEY_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TEMPORAL_CLI: z.string().min(1).optional(),
  JOURNEY_LOG_LEVEL: z.enum(LOG_LEVELS).default('WARN'),
});

export interface Config {
  databaseUrl?: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue: string;
  /** Where embedded servers keep their state: `.data/` of the working directory by default. */
  dataDir: string;
  metricsPort?: number;
  temporalCli?: string;
  /** What the worker and the SDK log to stderr: WARN by default, INFO adds a line per batch step. */
  logLevel: (typeof LOG_LEVELS)[number];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid environment: ${first.path.join('.')}: ${first.message}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.JOURNEY_TASK_QUEUE,
    dataDir: path.resolve(e.JOURNEY_DATA_DIR ?? '.data'),
    metricsPort: e.JOURNEY_METRICS_PORT,
    temporalCli: e.TEMPORAL_CLI,
    logLevel: e.JOURNEY_LOG_LEVEL,
  };
}
