import { runSurvivePageTask } from '../src/pipeline/survive-page-task.js';

/** Piscina entry, run on the scoring pool: one page of clusters survived. */
export default runSurvivePageTask;
