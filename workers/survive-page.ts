import { Piscina } from 'piscina';
import { runSurvivePageTask, type SurvivePageResult, type SurvivePageTask } from '../src/pipeline/survive-page-task.js';

/**
 * Piscina entry, run on the scoring pool: one page of clusters survived. Its COPY bytes (9 MB
 * a page at a million records) are transferred to the job's thread, not copied.
 */
export default function run(task: SurvivePageTask): SurvivePageResult {
  const result = runSurvivePageTask(task);
  if (result.copy === undefined) return result;
  const movable = { [Piscina.transferableSymbol]: [result.copy.buffer], [Piscina.valueSymbol]: result };
  return Piscina.move(movable as never) as unknown as SurvivePageResult;
}
