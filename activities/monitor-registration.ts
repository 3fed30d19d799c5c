import type { Client } from '@temporalio/client';
import { locationOf } from '../contracts/arn';
import { compositionMonitorWorkflowId } from '../contracts/ids';
import { workflowTracingMemo } from '../contracts/workflow-tracing';
import { watchCompositionSignal, type MonitorRegistrationActivities } from '../contracts/monitor-messages';

export interface MonitorRegistrationDeps {
  client: Client;
  /** Task queue the composition monitor workflows run on. */
  taskQueue: string;
  /** Whether a monitor started here traces its workflow code (contracts/workflow-tracing.ts); off unless given. */
  workflowTracing?: boolean;
}

export function createMonitorRegistrationActivities(deps: MonitorRegistrationDeps): MonitorRegistrationActivities {
  return {
    async watchComposition(watch) {
      const { region, account } = locationOf(watch.compositionArn);
      const monitorWorkflowId = compositionMonitorWorkflowId(deps.taskQueue, account, region);
      await deps.client.workflow.signalWithStart('compositionMonitorWorkflow', {
        workflowId: monitorWorkflowId,
        taskQueue: deps.taskQueue,
        args: [{ region, account: watch.account }],
        // Used only if this call starts the monitor: a running one keeps the memo it was started with.
        memo: workflowTracingMemo(deps.workflowTracing ?? false),
        signal: watchCompositionSignal,
        signalArgs: [watch],
      });
      return { monitorWorkflowId };
    },
  };
}
