import type { StateMachineFor } from '../functions/catalog/file-catalog.js';
import { childStateMachineName, shippedStateMachineName } from '../functions/runs/state-machine-names.js';
import type { AslObject, ChildStateMachine } from '../pipelines/contract/spec-bundle.js';
import { localStateMachineArn } from './local-execution.js';
import type { LocalExecutionEngine } from './local-execution-engine.js';

/**
 * How `elexirion dev` runs its file pipelines on `engine`: each as the tenant's shipped machine,
 * which the dev server deploys itself and so replaces (`replaces`: its own ARN) when the file changes.
 *
 * @example
 * const catalog = new FilePipelineCatalog(files, shippedMachinesOn(engine));
 */
export function shippedMachinesOn(engine: LocalExecutionEngine): StateMachineFor {
  return async (tenantId, pipeline, asl, children) => {
    // As the stack deploys them: each child of a nested pipeline a machine of its own, deepest
    // first, its ARN written where its parent names its placeholder.
    const arns = new Map<string, string>();
    const depth = (child: ChildStateMachine) => child.scope.split('.').length;
    for (const child of [...children].sort((a, b) => depth(b) - depth(a))) {
      const name = childStateMachineName(tenantId, pipeline, child.scope);
      const definition = withPlaceholders(child.definition, arns);
      arns.set(
        child.placeholder,
        await engine.deployStateMachine(name, definition, localStateMachineArn(name)),
      );
    }
    const name = shippedStateMachineName(tenantId, pipeline);
    return engine.deployStateMachine(name, withPlaceholders(asl, arns), localStateMachineArn(name));
  };
}

/** `definition` with every string value that is one of `values`' placeholders replaced by its value. */
function withPlaceholders(definition: AslObject, values: ReadonlyMap<string, string>): AslObject {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return values.get(value) ?? value;
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replace(inner)]));
    }
    return value;
  };
  return replace(definition) as AslObject;
}
