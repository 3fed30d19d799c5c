import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';

/**
 * Test workflow: calls one activity with the options a test gives, so activity-level tests run their activities in
 * real attempts (a real server's timeouts, retries and heartbeat details) without a show around them.
 */
export async function callActivity(name: string, args: unknown[], options: ActivityOptions): Promise<unknown> {
  const activities = proxyActivities<Record<string, (...a: unknown[]) => Promise<unknown>>>(options);
  return activities[name]!(...args);
}
