import { userInfo } from 'node:os';
import { pickDeployment } from '../../lookup/deployments.js';
import { formatRef, parseRecordRef, recordDecision, reviewTasks, splitGolden, type Decision, type ReviewTask } from '../../review/decisions.js';
import { withServices } from '../with-services.js';
import { writeLine, type CommandIo } from '../io.js';

const operator = (by: string | undefined) => by ?? userInfo().username;

/** `goldrun review`: the possible matches of the latest run that nobody has decided yet. */
export async function reviewListCommand(options: { deployment?: string; limit: number; json?: boolean }, io: CommandIo): Promise<number> {
  return withServices(io, async ({ database }) => {
    const deployment = await pickDeployment(database, options.deployment);
    const tasks = await reviewTasks(database, deployment, options.limit);
    if (options.json) for (const t of tasks) writeLine(io.stdout, JSON.stringify(t));
    else if (tasks.length === 0) writeLine(io.stdout, `${deployment}: nothing to review`);
    else for (const t of tasks) writeLine(io.stdout, formatTask(t));
    return 0;
  });
}

function formatTask(t: ReviewTask): string {
  const attrs = (a: Record<string, string | null>) => Object.entries(a).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${k}=${v}`).join(' ');
  return `${(t.probability * 100).toFixed(1)}%  ${formatRef(t.left)}  ${formatRef(t.right)}\n    ${attrs(t.left.attrs)}\n    ${attrs(t.right.attrs)}`;
}

/** `goldrun review decide A B --same|--different`: a decision every later run honours. */
export async function reviewDecideCommand(left: string, right: string, options: { decision: Decision; deployment?: string; by?: string; note?: string }, io: CommandIo): Promise<number> {
  const a = parseRecordRef(left);
  const b = parseRecordRef(right);
  return withServices(io, async ({ database }) => {
    const deployment = await pickDeployment(database, options.deployment);
    await recordDecision(database, deployment, a, b, options.decision, operator(options.by), options.note ?? null);
    writeLine(io.stdout, `${formatRef(a)} and ${formatRef(b)}: ${options.decision === 'same' ? 'the same customer' : 'different customers'} from the next run on`);
    return 0;
  });
}

/** `goldrun review split GOLDEN source:id...`: take records out of a golden record by hand. */
export async function reviewSplitCommand(goldenId: string, records: string[], options: { by?: string; note?: string }, io: CommandIo): Promise<number> {
  const refs = records.map(parseRecordRef);
  return withServices(io, async ({ database }) => {
    const { staying } = await splitGolden(database, goldenId, refs, operator(options.by), options.note ?? null);
    writeLine(io.stdout, `${refs.map(formatRef).join(', ')} will leave ${goldenId} (${staying} records stay) on the next run`);
    return 0;
  });
}
