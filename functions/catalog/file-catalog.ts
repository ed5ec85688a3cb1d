import type { AslObject, ChildStateMachine } from '../../pipelines/contract/spec-bundle.js';
import type { CatalogEntry, PipelineCatalog, PipelineSummary } from '../ports/pipeline-catalog.js';
import type { PipelineFileBuild, PipelineFiles } from './pipeline-files.js';

/**
 * The state machine that runs a file pipeline for a tenant: the local engine deploys it on demand
 * (`elexirion dev`).
 */
export type StateMachineFor = (
  tenantId: string,
  pipeline: string,
  asl: AslObject,
  children: readonly ChildStateMachine[],
) => Promise<string>;

/**
 * Pipelines shipped as files, served to every tenant without registration (`elexirion dev` serves
 * `pipelines/` this way). Files that do not build are left out. A pipeline's state machine is asked
 * for once per tenant and version of the file, the first time it is needed.
 *
 * @example
 * const catalog = new FilePipelineCatalog(new PipelineFiles('pipelines'), stateMachineFor);
 */
export class FilePipelineCatalog implements PipelineCatalog {
  /** State machine ARNs by tenant, pipeline and bundle hash. */
  private readonly machines = new Map<string, Promise<string>>();

  constructor(
    private readonly files: PipelineFiles,
    private readonly stateMachineFor: StateMachineFor,
  ) {}

  async get(tenantId: string, name: string): Promise<CatalogEntry | undefined> {
    const build = (await this.files.builds()).find((candidate) => candidate.bundle.pipeline === name);
    if (!build) return undefined;
    const key = JSON.stringify([tenantId, name, build.bundle.hash]);
    let stateMachine = this.machines.get(key);
    if (!stateMachine) {
      stateMachine = this.stateMachineFor(tenantId, name, build.asl, build.children);
      stateMachine.catch(() => this.machines.delete(key));
      this.machines.set(key, stateMachine);
    }
    return { ...summaryOf(build), bundle: build.bundle, stateMachine: await stateMachine };
  }

  async list(_tenantId: string): Promise<PipelineSummary[]> {
    return (await this.files.builds()).map(summaryOf);
  }
}

function summaryOf(build: PipelineFileBuild): PipelineSummary {
  const { workflow } = build.pipeline;
  return {
    name: workflow.name,
    ...(workflow.description === undefined ? {} : { description: workflow.description }),
    inputs: build.bundle.inputs,
    steps: workflow.steps.map((step) => step.name),
    source: 'shipped',
  };
}
