import { condition, setHandler } from '@temporalio/workflow';
import {
  audienceSignerQuery,
  compositionChangedSignal,
  endArgsSchema,
  endUpdate,
  extendArgsSchema,
  extendUpdate,
  issueTokenArgsSchema,
  issueTokenUpdate,
  ivsEventSignal,
  participantTokensQuery,
  restartArgsSchema,
  restartCompositionUpdate,
  statusQuery,
  validateArgs,
} from '../../contracts/show-messages';
import { ivsWithSummary } from '../activity-proxies';
import { audienceSigner } from './audience-signer';
import { eventWakesNow, receiveSnapshot, wakesOn } from './decisions';
import { endRefusal, extendRefusal, issueTokenRefusal, restartRefusal } from './message-rules';
import { buildStatus } from './reports';
import type { Show } from './show';
import { participantOf, requestedToken, tokenOverridesProblem } from './tokens';

/** An update the show refuses (it is ending, there is no stage...) is rejected before it enters history. */
function refuse(reason: string | undefined): void {
  if (reason !== undefined) throw new Error(reason);
}

/**
 * The show's queries, signals and updates. Signals only record what arrived; the live loop acts on it. Updates
 * validate their arguments and the show's state first, and change the state only in their handlers.
 */
export function registerHandlers(show: Show): void {
  const { spec, state } = show;
  setHandler(statusQuery, () => buildStatus(spec, state, show.nextDeadline()));
  setHandler(participantTokensQuery, () => state.tokens);
  setHandler(audienceSignerQuery, () => audienceSigner(spec, state));
  setHandler(compositionChangedSignal, (snapshot) => receiveSnapshot(state, snapshot));
  setHandler(ivsEventSignal, (event) => {
    const counts = (state.ivsEvents ??= { received: 0, acted: 0 });
    counts.received++;
    const wakes = show.quietEvents
      ? eventWakesNow(event, state, {
          stopping: show.stopping,
          lastPollNowAt: show.lastPollNowAt,
          now: show.now(),
          pollIntervalMs: spec.policies.pollInterval,
        })
      : wakesOn(event);
    // An event that cannot matter now changes nothing: no poll, no pollNow signal, no cancelled activity.
    if (!wakes.publisher && !wakes.composition) return;
    counts.acted++;
    if (wakes.publisher) {
      show.publisherPollNow = true;
      if (event.sessionId && event.participantId)
        show.publisherHint = { sessionId: event.sessionId, participantId: event.participantId };
    }
    if (wakes.composition) show.compositionPollNow = true;
  });

  setHandler(
    endUpdate,
    (args) => {
      const { reason } = validateArgs(endArgsSchema, args);
      state.endRequested ??= { at: show.iso(), reason: reason ?? 'end requested' };
      return { endAt: state.endRequested.at };
    },
    {
      validator: (args) => {
        validateArgs(endArgsSchema, args);
        refuse(endRefusal(state));
      },
    },
  );
  setHandler(
    extendUpdate,
    (args) => {
      state.endAt = Date.parse(validateArgs(extendArgsSchema, args).endAt);
      return { endAt: new Date(state.endAt).toISOString() };
    },
    {
      validator: (args) => {
        const endAt = Date.parse(validateArgs(extendArgsSchema, args).endAt);
        refuse(extendRefusal(state, endAt, show.now()));
      },
    },
  );
  setHandler(
    issueTokenUpdate,
    async (args) => {
      const participant = requestedToken(spec, validateArgs(issueTokenArgsSchema, args));
      const token = await ivsWithSummary(`Issue a token for ${participant.userId}`).issueParticipantToken({
        ...show.scope(),
        stageArn: state.stageArn!,
        participant,
      });
      state.tokens.push(token);
      return token;
    },
    {
      validator: (args) => {
        const { userId, ...overrides } = validateArgs(issueTokenArgsSchema, args);
        refuse(issueTokenRefusal(state) ?? tokenOverridesProblem(participantOf(spec, userId), overrides));
      },
    },
  );
  setHandler(
    restartCompositionUpdate,
    async (args) => {
      state.restartRequested = validateArgs(restartArgsSchema, args).reason ?? 'restart requested';
      // The live loop replaces the composition and clears the request (or the show ends first).
      await condition(() => state.restartRequested === undefined || show.ending());
      return { restarts: state.restarts };
    },
    {
      validator: (args) => {
        validateArgs(restartArgsSchema, args);
        refuse(restartRefusal(spec, state));
      },
    },
  );
}
