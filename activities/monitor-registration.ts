import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { locationOf } from '../contracts/arn';
import { compositionMonitorWorkflowId } from '../contracts/ids';
import { workflowTracingMemo } from '../contracts/workflow-tracing';
import {
  watchCompositionSignal,
  type MonitorRegistrationActivities,
  type SignalOutcome,
} from '../contracts/monitor-messages';
import { compositionChangedSignal } from '../contracts/show-messages';

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
    async signalChangedShows(shows) {
      // Every signal of an attempt settles before the attempt ends (and a timed-out attempt aborts its calls), so a
      // retry never races a signal of the attempt before it: a show hears snapshots in the order the monitor saw them.
      const settled = await deps.client.withAbortSignal(Context.current().cancellationSignal, () =>
        Promise.allSettled(
          shows.map(({ showWorkflowId, snapshot }) =>
            deps.client.workflow.getHandle(showWorkflowId).signal(compositionChangedSignal, snapshot),
          ),
        ),
      );
      return settled.map((result): SignalOutcome => {
        if (result.status === 'fulfilled') return { reached: true };
        // Completed, failed or terminated: nobody is left to tell. Anything else (the server unreachable, a
        // deadline) fails the attempt and the retry tells every show again.
        if (result.reason instanceof WorkflowNotFoundError) return { reached: false, error: result.reason.message };
        throw result.reason;
      });
    },
  };
}
