import type { PipelineCatalog } from '../ports/pipeline-catalog.js';
import type { RunStore } from '../ports/run-store.js';
import type { FeedbackDeps } from '../runs/feedback.js';
import type { RegistrationDeps } from '../runs/register-pipeline.js';
import type { RunControlDeps } from '../runs/run-control.js';
import type { RunStarterDeps } from '../runs/start-pipeline-run.js';
import type { ArtifactReaderDeps } from '../runs/step-artifacts.js';

/** Hono's environment of the API: what the auth middleware puts in the context. */
export interface ApiEnv {
  Variables: {
    /** The tenant the request's API key belongs to. */
    tenantId: string;
  };
}

/**
 * Everything the API app needs, built once per process: stores, engine, catalog and event
 * publisher over AWS in Lambda (`createControlDeps`), over the local stack in `elexirion dev`, and in
 * memory in tests.
 */
export interface ApiDeps
  extends RunStarterDeps,
    RunControlDeps,
    RegistrationDeps,
    FeedbackDeps,
    ArtifactReaderDeps {
  /** Every role of the store: the routes between them start, list, control and score runs and register pipelines. */
  readonly runs: RunStore;
  readonly catalog: PipelineCatalog;
  /** The tenant a presented API key belongs to; undefined for an unknown key. */
  readonly authenticate: (key: string) => Promise<string | undefined>;
  /** Told about each internal error; the client only sees the incident id. */
  readonly reportError?: (error: unknown, incident: string) => void;
}
