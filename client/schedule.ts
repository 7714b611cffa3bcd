import path from 'node:path';
import fs from 'node:fs';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleHandle, type ScheduleUpdateOptions } from '@temporalio/client';
import { dailyWorkflow } from '../workflows';
import { addDays } from '../workflows/days';
import { dayRange, JSON_OPTION, requiredOpt, stringOpt, UsageError, type Command, type Io, type Values } from './command';
import { openEnvironment, type Environment } from './environment';

export const DEFAULT_CRON = '0 3 * * *';
export const DEFAULT_SCHEDULE_ID = 'journey-daily';
const SUBCOMMANDS = ['create', 'describe', 'pause', 'unpause', 'trigger', 'backfill', 'delete'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'the daily Temporal Schedule: create | describe | pause | unpause | trigger | backfill | delete',
  help: `usage: journey schedule create --landing DIR [--cron EXPR] [--id ID]
       journey schedule describe | pause | unpause | trigger | delete [--id ID]
       journey schedule backfill --from YYYY-MM-DD --to YYYY-MM-DD [--id ID]

The schedule (id '${DEFAULT_SCHEDULE_ID}' by default) starts the daily workflow at EXPR (default
'${DEFAULT_CRON}', UTC); each run processes the day before its nominal time from the landing
zone. \`trigger\` runs it now (processing yesterday); \`backfill\` runs it for the nominal times
that process the days --from..--to (inclusive); a backfill can also be started from the
Temporal UI's schedule page. Runs need workers (\`journey worker\`) on the task queue.`,
  options: {
    landing: { type: 'string' },
    cron: { type: 'string' },
    id: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    ...JSON_OPTION,
  },
  positionals: true,
  async run(values, io) {
    const sub = io.args[0];
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`expected one of ${SUBCOMMANDS.join(', ')}`);
    const id = stringOpt(values, 'id') ?? DEFAULT_SCHEDULE_ID;
    const env = await openEnvironment({ temporal: true, withWorker: false, log: io.progress });
    try {
      const result = await ACTIONS[sub as Sub](env, id, values, io);
      if (io.json) io.out(JSON.stringify({ schedule: id, action: sub, ...result }));
      return 0;
    } catch (e) {
      if (e instanceof ScheduleNotFoundError) throw new UsageError(`no schedule '${id}': create it with \`journey schedule create --landing DIR\``);
      throw e;
    } finally {
      await env.close();
    }
  },
};

/**
 * What the daily schedule over `landing` does and when. The server keeps cron as calendar
 * specs, so `create` keeps the expression people wrote in the memo.
 */
function dailySchedule(id: string, landing: string, cron: string, taskQueue: string): Omit<ScheduleUpdateOptions, 'state'> {
  return {
    spec: { cronExpressions: [cron] },
    action: { type: 'startWorkflow', workflowType: dailyWorkflow, workflowId: `${id}-run`, taskQueue, args: [{ landing }] },
    // A late run still processes its day; two runs never overlap on the same days.
    policies: { catchupWindow: '7 days', overlap: 'BUFFER_ALL' },
  };
}

/**
 * The schedule `id` over `landing`, paused with `note`: created, or, where it exists already (the
 * demo's dev server keeps its state between runs), pointed at `landing` and paused again.
 */
export async function pausedDailySchedule(client: Client, id: string, landing: string, taskQueue: string, note: string): Promise<void> {
  const state = { paused: true, note };
  try {
    await client.schedule.create({ scheduleId: id, ...dailySchedule(id, landing, DEFAULT_CRON, taskQueue), state, memo: { landing, cron: DEFAULT_CRON } });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(id).update(() => ({ ...dailySchedule(id, landing, DEFAULT_CRON, taskQueue), state }));
  }
}

/** A run nominally on day D processes D-1: the days from..to are the runs of the nominal days from+1..to+1. */
export function nominalTimes(from: string, to: string): { start: Date; end: Date } {
  return { start: new Date(`${addDays(from, 1)}T00:00:00Z`), end: new Date(`${addDays(to, 1)}T23:59:59Z`) };
}

type Action = (env: Environment, id: string, values: Values, io: Io) => Promise<Record<string, unknown>>;

const handleOf = (env: Environment, id: string): ScheduleHandle => env.temporal!.client.schedule.getHandle(id);

const ACTIONS: Record<Sub, Action> = {
  async create(env, id, values, io) {
    const landing = path.resolve(requiredOpt(values, 'landing'));
    if (!fs.existsSync(landing)) throw new UsageError(`landing zone ${landing} does not exist`);
    const cron = stringOpt(values, 'cron') ?? DEFAULT_CRON;
    await env.temporal!.client.schedule.create({ scheduleId: id, ...dailySchedule(id, landing, cron, env.temporal!.taskQueue), memo: { landing, cron } });
    io.progress(`schedule ${id} created: '${cron}' (UTC) over ${landing}`);
    return { landing, cron };
  },

  async describe(env, id, _values, io) {
    const d = await handleOf(env, id).describe();
    const action = d.action.type === 'startWorkflow' ? d.action : undefined;
    const info = {
      paused: d.state.paused,
      note: d.state.note,
      cron: (d.memo?.cron as string | undefined) ?? null,
      workflowType: action?.workflowType,
      args: action?.args,
      nextActionTimes: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      recentActions: d.info.recentActions.slice(-5).map((a) => ({ scheduledAt: a.scheduledAt.toISOString(), workflowId: a.action.workflow.workflowId })),
      runningActions: d.info.runningActions.map((a) => a.workflow.workflowId),
    };
    if (!io.json) {
      io.out(`schedule ${id}: ${info.paused ? 'paused' : 'active'}${info.note ? ` (${info.note})` : ''}`);
      io.out(`  cron         ${info.cron ?? '(calendar spec)'} UTC`);
      io.out(`  args         ${JSON.stringify(info.args)}`);
      io.out(`  next runs    ${info.nextActionTimes.join(', ')}`);
      for (const a of info.recentActions) io.out(`  recent       ${a.scheduledAt} ${a.workflowId}`);
    }
    return info;
  },

  async pause(env, id, _values, io) {
    await handleOf(env, id).pause('paused by journey schedule pause');
    io.progress(`schedule ${id} paused`);
    return { paused: true };
  },

  async unpause(env, id, _values, io) {
    await handleOf(env, id).unpause('unpaused by journey schedule unpause');
    io.progress(`schedule ${id} unpaused`);
    return { paused: false };
  },

  async trigger(env, id, _values, io) {
    await handleOf(env, id).trigger('ALLOW_ALL');
    io.progress(`schedule ${id} triggered: the run processes yesterday (UTC)`);
    return {};
  },

  async backfill(env, id, values, io) {
    const { from, to } = dayRange(values, true);
    await handleOf(env, id).backfill({ ...nominalTimes(from, to), overlap: 'ALLOW_ALL' });
    io.progress(`schedule ${id}: backfill requested for ${from}..${to}`);
    return { from, to };
  },

  async delete(env, id, _values, io) {
    await handleOf(env, id).delete();
    io.progress(`schedule ${id} deleted`);
    return {};
  },
};
