import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ApiError, modelErrorStatus } from '../errors/api-error';

/**
 * Injected API faults. A rule matches an operation (or every one), optionally one account and region, and
 * fires with a probability and/or for the next N matching calls. It can answer an error, add latency, or
 * apply the change and then lose the response (the connection is dropped), which is what makes retries
 * dangerous for calls without idempotency tokens.
 */
export const faultRuleSchema = z
  .object({
    operation: z.string().min(1).default('*'),
    accountId: z
      .string()
      .regex(/^[0-9]{12}$/)
      .optional(),
    region: z.string().min(1).optional(),
    mode: z.enum(['error', 'lost-response', 'latency']).default('error'),
    errorType: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .default('InternalServerException'),
    statusCode: z.number().int().min(400).max(599).optional(),
    message: z.string().max(1024).optional(),
    probability: z.number().min(0).max(1).default(1),
    count: z.number().int().positive().optional(),
    latencyMs: z.number().int().min(0).max(120_000).default(0),
  })
  .strict();

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema> & { id: string; fired: number; remaining?: number };

const KNOWN_STATUS: Record<string, number> = {
  ...modelErrorStatus,
  TooManyRequestsException: 429,
  ThrottlingException: 400,
  ServiceUnavailableException: 503,
};

export interface FaultDecision {
  latencyMs: number;
  error?: ApiError;
  loseResponse: boolean;
}

/** The decision of every request while no rule is set (nearly always): one object, not one per request. */
export const NO_FAULT: FaultDecision = Object.freeze({ latencyMs: 0, loseResponse: false });

export class FaultInjector {
  private rules: FaultRule[] = [];
  private firedTotal = 0;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleSchema.parse(input);
    const rule: FaultRule = { ...parsed, id: randomUUID(), fired: 0, remaining: parsed.count };
    this.rules.push(rule);
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  get totalFired(): number {
    return this.firedTotal;
  }

  decide(operation: string, accountId: string, region: string): FaultDecision {
    if (this.rules.length === 0) return NO_FAULT;
    const decision: FaultDecision = { latencyMs: 0, loseResponse: false };
    for (const rule of this.rules) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.accountId && rule.accountId !== accountId) continue;
      if (rule.region && rule.region !== region) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (this.random() >= rule.probability) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      rule.fired++;
      this.firedTotal++;
      decision.latencyMs += rule.latencyMs;
      if (rule.mode === 'lost-response') decision.loseResponse = true;
      if (rule.mode === 'error' && !decision.error) {
        const status = rule.statusCode ?? KNOWN_STATUS[rule.errorType] ?? 500;
        decision.error = new ApiError(rule.errorType, status, rule.message ?? `Injected fault: ${rule.errorType}`);
      }
    }
    this.rules = this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return decision;
  }
}
