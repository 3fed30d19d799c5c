import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { EventBus } from '../events/event-bus';
import { TokenRejected } from '../domain/participant-tokens';
import type { Membership } from '../domain/stage-participation';
import type { IvsDomain } from '../domain/ivs-domain';
import { ApiError, accessDenied, conflict, notFound, validationError } from '../errors/api-error';
import type { ApiMetrics } from '../usage/api-metrics';
import type { RateLimiter } from '../usage/rate-limiter';
import { parseJsonObject, readBody } from '../http/read-body';
import { parseArn } from '../state/arns';
import type { RegionState } from '../state/region-state';
import type { StageRecord } from '../state/records';
import { checkControlRequest, type ControlGuardOptions } from './control-guard';
import type { FaultInjector } from './fault-injector';
import { buildInventory } from './inventory';
import {
  channelBusySchema,
  compositionStateSchema,
  configPatchSchema,
  eventStreamQuery,
  eventStreamQuerySchema,
  faultSchema,
  ingestConnectSchema,
  ingestDisconnectSchema,
  joinSchema,
  participantRefSchema,
  subscriptionSchema,
} from './control-schemas';

export const CONTROL_PREFIX = '/_emulator';

export interface ControlDependencies {
  domain: IvsDomain;
  events: EventBus;
  faults: FaultInjector;
  metrics: ApiMetrics;
  rateLimiter: RateLimiter;
  reset: () => Promise<void>;
  hasS3: boolean;
  /** Who may call it: see control-guard.ts. */
  guard: ControlGuardOptions;
}

type Handler = (body: Record<string, unknown>, url: URL, req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw validationError(issues);
  }
  return result.data;
}

/**
 * The simulation and control API: what a real client, publisher or outage would do to the service, plus
 * inspection (inventory, metrics) and knobs (faults, quotas, timings). Not part of AWS's API, and not signed.
 */
export function createControlApi(deps: ControlDependencies) {
  const { domain } = deps;
  const { ctx } = domain;

  /** A stage by ARN, looked up without creating its account's region state (an ARN can name any region). */
  function existingStage(stageArn: string): { region: RegionState; stage: StageRecord } {
    const arn = parseArn(stageArn)!;
    const region = ctx.store.existingRegion(arn.accountId, arn.region);
    const stage = region?.stages.get(stageArn);
    if (!region || !stage) throw notFound(`Stage ${stageArn} does not exist`);
    return { region, stage };
  }

  async function membershipByToken(
    token: string,
  ): Promise<{ region: RegionState; membership?: Membership; claims: Awaited<ReturnType<typeof ctx.tokens.verify>> }> {
    let claims;
    try {
      claims = await ctx.tokens.verify(token, (kid) => {
        const arn = parseArn(kid);
        return arn ? ctx.store.existingRegion(arn.accountId, arn.region)?.publicKeys.get(kid)?.key : undefined;
      });
    } catch (e) {
      if (e instanceof TokenRejected) throw accessDenied(e.message);
      throw e;
    }
    const { region, stage } = existingStage(claims.stageArn);
    return { region, claims, membership: domain.participation.findConnected(stage, claims.participantId) };
  }

  async function connectedMember(body: unknown): Promise<{ region: RegionState; membership: Membership }> {
    const ref = parse(participantRefSchema, body);
    if ('token' in ref) {
      const found = await membershipByToken(ref.token);
      if (!found.membership) throw conflict(`Participant ${found.claims.participantId} is not connected`);
      return { region: found.region, membership: found.membership };
    }
    const { region, stage } = existingStage(ref.stageArn);
    const membership = domain.participation.findConnected(stage, ref.participantId);
    if (!membership) throw conflict(`Participant ${ref.participantId} is not connected`);
    return { region, membership };
  }

  const describe = (m: Membership) => ({
    stageArn: m.stage.arn,
    sessionId: m.session.sessionId,
    participantId: m.participant.participantId,
    publishing: m.participant.publishing,
    published: m.participant.published,
  });

  const routes: Record<string, Handler> = {
    'GET /health': async () => ({
      status: 'ok',
      s3: deps.hasS3,
      clock: { now: new Date(ctx.clock.now()).toISOString(), scale: ctx.clock.scale },
    }),
    'GET /clock': async () => ({
      now: new Date(ctx.clock.now()).toISOString(),
      epochMs: ctx.clock.now(),
      scale: ctx.clock.scale,
    }),
    'GET /inventory': async () =>
      buildInventory(ctx.store, (stageArn, accountId, region) =>
        domain.participation.connectedCount(ctx.store.existingRegion(accountId, region)?.stages.get(stageArn)),
      ),
    'POST /reset': async () => {
      await deps.reset();
      return { reset: true };
    },
    'GET /metrics': async () => ({
      api: deps.metrics.snapshot(),
      faultsFired: deps.faults.totalFired,
      events: deps.events.stats(),
    }),
    'GET /config': async () => ({
      quotas: ctx.config.quotas,
      timings: ctx.config.timings,
      rateLimits: deps.rateLimiter.enabled,
      verifySignatures: ctx.config.verifySignatures,
      clockScale: ctx.clock.scale,
    }),
    'PATCH /config': async (body) => {
      const patch = parse(configPatchSchema, body);
      Object.assign(ctx.config.quotas, patch.quotas);
      Object.assign(ctx.config.timings, patch.timings);
      if (patch.rateLimits !== undefined) deps.rateLimiter.enabled = patch.rateLimits;
      return { quotas: ctx.config.quotas, timings: ctx.config.timings, rateLimits: deps.rateLimiter.enabled };
    },
    'GET /signing-key': async () => ({ publicKeyPem: await ctx.tokens.signingPublicKeyPem() }),
    'POST /participants/join': async (body) => {
      const request = parse(joinSchema, body);
      const found = await membershipByToken(request.token);
      const stage = found.region.stages.get(found.claims.stageArn)!;
      const membership = domain.participation.join(found.region, stage, {
        participantId: found.claims.participantId,
        userId: found.claims.userId,
        attributes: found.claims.attributes,
        capabilities: found.claims.capabilities,
        protocol: request.protocol,
        client: request.client,
      });
      if (request.publish) {
        try {
          domain.participation.publish(found.region, membership);
        } catch (e) {
          // All or nothing: a refused publish (403/402) must not leave behind a participant the caller thinks failed.
          domain.participation.leave(found.region, membership);
          throw e;
        }
      }
      return describe(membership);
    },
    'POST /participants/publish': async (body) => {
      const { region, membership } = await connectedMember(body);
      domain.participation.publish(region, membership);
      return describe(membership);
    },
    'POST /participants/unpublish': async (body) => {
      const { region, membership } = await connectedMember(body);
      domain.participation.unpublish(region, membership);
      return describe(membership);
    },
    'POST /participants/leave': async (body) => {
      const { region, membership } = await connectedMember(body);
      domain.participation.leave(region, membership);
      return describe(membership);
    },
    'POST /ingest/connect': async (body) => {
      const request = parse(ingestConnectSchema, body);
      const connected = domain.ingest.connect(request.streamKey, request.protocol);
      return {
        ingestConfigurationArn: connected.config.arn,
        stageArn: connected.config.stageArn,
        participantId: connected.participantId,
        sessionId: connected.sessionId,
      };
    },
    'POST /ingest/disconnect': async (body) => {
      const request = parse(ingestDisconnectSchema, body);
      const found = domain.ingest.findByStreamKey(request.streamKey);
      if (!found) throw notFound('No ingest configuration has this stream key');
      domain.ingest.disconnectPublisher(found.region, found.config, found.credential.participantId);
      return { ingestConfigurationArn: found.config.arn, state: found.config.state };
    },
    'POST /compositions/state': async (body) => {
      const request = parse(compositionStateSchema, body);
      const arn = parseArn(request.compositionArn)!;
      // Looked up, never created: an ARN naming a made-up account or region must not leave state behind.
      const region = ctx.store.existingRegion(arn.accountId, arn.region);
      const composition = region?.compositions.get(request.compositionArn);
      if (!region || !composition) throw notFound(`Composition ${request.compositionArn} does not exist`);
      try {
        if (request.destinationId || request.destinationType) {
          const destination = composition.destinations.find((d) =>
            request.destinationId
              ? d.id === request.destinationId
              : request.destinationType === 'channel'
                ? !!d.configuration.channel
                : !!d.configuration.s3,
          );
          if (!destination) throw notFound('The composition has no such destination');
          domain.compositions.forceDestination(region, composition, destination, request.state, request.reason);
        } else domain.compositions.forceComposition(region, composition, request.state, request.reason);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw conflict((e as Error).message);
      }
      return {
        compositionArn: composition.arn,
        state: composition.state,
        destinations: composition.destinations.map((d) => ({ id: d.id, state: d.state })),
      };
    },
    'POST /channels/busy': async (body) => {
      const request = parse(channelBusySchema, body);
      if (request.busy) domain.compositions.busyChannels.add(request.channelArn);
      else domain.compositions.busyChannels.delete(request.channelArn);
      return { busyChannels: [...domain.compositions.busyChannels] };
    },
    'GET /faults': async () => ({ faults: deps.faults.list() }),
    'POST /faults': async (body) => ({ fault: deps.faults.add(parse(faultSchema, body)) }),
    'DELETE /faults': async () => {
      deps.faults.clear();
      return { faults: [] };
    },
    'GET /events/subscriptions': async () => ({ subscriptions: deps.events.listSubscriptions() }),
    'POST /events/subscriptions': async (body) => {
      try {
        return { subscription: deps.events.subscribeWebhook(parse(subscriptionSchema, body)) };
      } catch (e) {
        if (e instanceof RangeError) throw validationError(e.message);
        throw e;
      }
    },
    'GET /events/recent': async () => ({ events: deps.events.recent() }),
  };

  return async function handleControlRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname.slice(CONTROL_PREFIX.length) || '/';
    try {
      checkControlRequest(req, deps.guard);
      if (req.method === 'GET' && path === '/events/stream') {
        // Validated before the stream opens, so a bad parameter is a 400 naming it rather than a 500.
        const query = parse(eventStreamQuerySchema, eventStreamQuery(url.searchParams));
        deps.events.handleSse(req, res, {
          detailTypes: query.detailType?.length ? query.detailType : undefined,
          delayMs: query.delayMs,
          jitterMs: query.jitterMs,
          dropProbability: query.dropProbability,
        });
        return;
      }
      const deleteById = /^\/(faults|events\/subscriptions)\/([^/]+)$/.exec(path);
      if (req.method === 'DELETE' && deleteById) {
        const removed =
          deleteById[1] === 'faults' ? deps.faults.remove(deleteById[2]!) : deps.events.unsubscribe(deleteById[2]!);
        if (!removed) throw notFound(`No ${deleteById[1]} entry ${deleteById[2]}`);
        return sendControl(res, 200, { removed: deleteById[2] });
      }
      const handler = routes[`${req.method} ${path}`];
      if (!handler)
        throw new ApiError(
          'NotFound',
          404,
          `No control endpoint ${req.method} ${CONTROL_PREFIX}${path}; see emulator/README.md`,
        );
      const body = parseJsonObject(await readBody(req, 1024 * 1024), req.headers['content-type']);
      sendControl(res, 200, await handler(body, url, req, res));
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('InternalError', 500, (e as Error).message);
      if (!res.headersSent) sendControl(res, error.status, { error: error.type, message: error.message });
    }
  };
}

function sendControl(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
