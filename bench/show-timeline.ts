/**
 * A show's steps from its history, timed against the bench's own clock (the dev server runs on the same machine):
 * each activity from scheduled to closed, each signal it sent or received, and its end update. What the overhead
 * bench prints to say where the seconds go.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';

export interface TimelineStep {
  /** Activity type, "signal → name" sent, "signal ← name" received, "update end", "workflow completed". */
  what: string;
  /** Epoch ms: scheduled (activities), sent or received (signals, updates). */
  at: number;
  /** Activities: the attempt that closed it started; closed (completed, failed, cancelled or timed out). */
  startedAt?: number;
  closedAt?: number;
  /** Activities: the attempt that closed it (polls fail until they see what they wait for, then retry). */
  attempt?: number;
  /** The WorkflowTaskCompleted event that scheduled it: steps with the same number went out together. */
  task?: number;
}

export async function showTimeline(handle: WorkflowHandle): Promise<TimelineStep[]> {
  const { EventType: T } = proto.api.enums.v1;
  const history = await handle.fetchHistory();
  const steps: TimelineStep[] = [];
  const activities = new Map<number, TimelineStep>();
  for (const e of history.events ?? []) {
    const at = tsToMs(e.eventTime);
    switch (e.eventType) {
      case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const a = e.activityTaskScheduledEventAttributes!;
        const step = { what: a.activityType!.name!, at, task: Number(a.workflowTaskCompletedEventId) };
        activities.set(Number(e.eventId), step);
        steps.push(step);
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const a = e.activityTaskStartedEventAttributes!;
        const step = activities.get(Number(a.scheduledEventId))!;
        step.startedAt = at;
        step.attempt = a.attempt ?? undefined;
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case T.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case T.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
      case T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs =
          e.activityTaskCompletedEventAttributes ??
          e.activityTaskFailedEventAttributes ??
          e.activityTaskCanceledEventAttributes ??
          e.activityTaskTimedOutEventAttributes;
        const step = activities.get(Number(attrs!.scheduledEventId));
        if (step) step.closedAt = at;
        break;
      }
      case T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: {
        const s = e.signalExternalWorkflowExecutionInitiatedEventAttributes!;
        steps.push({ what: `signal → ${s.signalName}`, at, task: Number(s.workflowTaskCompletedEventId) });
        break;
      }
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        steps.push({ what: `signal ← ${e.workflowExecutionSignaledEventAttributes!.signalName}`, at });
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        steps.push({
          what: `update ${e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest?.input?.name}`,
          at,
        });
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        steps.push({ what: 'workflow completed', at });
        break;
      default:
    }
  }
  return steps;
}
