import type { FeedbackDeps } from '../core/feedback.js';
import type { PipelineCatalog } from '../core/ports/pipeline-catalog.js';
import type { RegistrationDeps } from '../core/register-pipeline.js';
import type { RunControlDeps } from '../core/run-control.js';
import type { RunStarterDeps } from '../core/start-pipeline-run.js';
import type { ArtifactReaderDeps } from '../core/step-artifacts.js';

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
  readonly catalog: PipelineCatalog;
  /** The tenant a presented API key belongs to; undefined for an unknown key. */
  readonly authenticate: (key: string) => Promise<string | undefined>;
  /** Told about each internal error; the client only sees the incident id. */
  readonly reportError?: (error: unknown, incident: string) => void;
}
