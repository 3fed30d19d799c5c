import type { Client } from '@temporalio/client';
import {
  compositionMonitorWorkflowId,
  watchCompositionSignal,
  type CompositionWatch,
} from '../workflows/monitor-messages';

export interface MonitorRegistrationDeps {
  client: Client;
  /** Task queue the composition monitor workflows run on. */
  taskQueue: string;
}

const accountAndRegion = (arn: string) => {
  const [, , , region, accountId] = arn.split(':');
  return { region: region!, accountId: accountId! };
};

/**
 * Workflows cannot signal-with-start, so this activity does it: it starts the account-and-region composition
 * monitor if needed and adds the show's composition to its watch list.
 */
export function createMonitorRegistrationActivities(deps: MonitorRegistrationDeps) {
  return {
    async watchComposition(watch: CompositionWatch): Promise<{ monitorWorkflowId: string }> {
      const { region, accountId } = accountAndRegion(watch.compositionArn);
      const monitorWorkflowId = compositionMonitorWorkflowId(deps.taskQueue, accountId, region);
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
