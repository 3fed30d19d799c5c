import type { Client } from '@temporalio/client';
import { locationOf } from '../contracts/arn';
import { compositionMonitorWorkflowId } from '../contracts/ids';
import { watchCompositionSignal, type MonitorRegistrationActivities } from '../contracts/monitor-messages';

export interface MonitorRegistrationDeps {
  client: Client;
  /** Task queue the composition monitor workflows run on. */
  taskQueue: string;
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
        signal: watchCompositionSignal,
        signalArgs: [watch],
      });
      return { monitorWorkflowId };
    },
  };
}
