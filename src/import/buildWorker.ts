/**
 * A worker thread of parallelBuild.ts: builds one slice of a feed's records with the context its plan describes and
 * posts them back. Separate so that loading the importer never starts a thread by itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildSlice, contextFor } from './parallelBuild';
import type { BuildPlan } from './parallelBuild';

const { records, offset, plan } = workerData as { records: unknown[]; offset: number; plan: BuildPlan };
parentPort?.postMessage(buildSlice(records, offset, plan, contextFor(plan)));
