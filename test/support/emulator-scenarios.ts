import {
  CreateParticipantTokenCommand,
  type CreateParticipantTokenCommandInput,
  CreateStageCommand,
  type CreateStageCommandInput,
  CreateStorageConfigurationCommand,
  GetParticipantCommand,
  GetStageCommand,
  type IVSRealTimeClient,
  ListParticipantEventsCommand,
  type Participant,
  type ParticipantToken,
} from '@aws-sdk/client-ivs-realtime';
import type { EmulatorConfigInput, MembershipInfo } from '../../emulator/src';
import { startEmulatorFixture, type EmulatorFixture } from './emulator-fixture';
import { perSuite } from './per-suite';

/** The clock scale most emulator tests run at: an emulated minute passes in 0.6 real seconds. */
export const EMULATOR_TEST_SCALE = 100;

/**
 * Emulated timings for the emulator tests: compositions start and stop in a second, and idle rules, purging and
 * the reconnect window are long enough that they only act when a test waits for them.
 */
export const EMULATOR_TEST_TIMINGS = {
  compositionStartMs: 1000,
  compositionStopMs: 1000,
  idleStopAfterLastLeftMs: 60_000,
  idleStopWithoutParticipantsMs: 60_000,
  compositionPurgeMs: 300_000,
  destinationReconnectWindowMs: 60_000,
};

/** An emulator config at EMULATOR_TEST_SCALE with EMULATOR_TEST_TIMINGS; `overrides` replace top-level fields. */
export function scaledEmulatorConfig(overrides: EmulatorConfigInput = {}): EmulatorConfigInput {
  return { clockScale: EMULATOR_TEST_SCALE, timings: EMULATOR_TEST_TIMINGS, ...overrides };
}

/** An emulator fixture started before the current suite's tests and stopped after them; see perSuite. */
export function emulatorFixturePerSuite(config: EmulatorConfigInput = {}): EmulatorFixture {
  return perSuite(
    () => startEmulatorFixture(config),
    (fixture) => fixture.stop(),
  );
}

/** A channel ARN of its own: the emulator fails a destination whose channel another composition carries. */
export { freshChannelArn } from '../../dev/aws/local-aws';

/** Creates a stage and resolves with its ARN. */
export async function createStage(
  ivs: IVSRealTimeClient,
  name: string,
  input: Omit<CreateStageCommandInput, 'name'> = {},
): Promise<string> {
  const { stage } = await ivs.send(new CreateStageCommand({ name, ...input }));
  return stage!.arn!;
}

export type TokenOptions = Omit<CreateParticipantTokenCommandInput, 'stageArn'>;

/** Creates a participant token for a stage. */
export async function createToken(
  ivs: IVSRealTimeClient,
  stageArn: string,
  options: TokenOptions = {},
): Promise<ParticipantToken> {
  const { participantToken } = await ivs.send(new CreateParticipantTokenCommand({ stageArn, ...options }));
  return participantToken!;
}

export interface JoinedParticipant extends MembershipInfo {
  token: string;
}

/**
 * Creates a token for the stage and joins with it (publishing when `publish` is set); resolves with the token and
 * the membership. `ivs` picks the account and region the token is created in (the fixture's default client if not).
 */
export async function joinStage(
  fixture: EmulatorFixture,
  stageArn: string,
  options: TokenOptions & { publish?: boolean; ivs?: IVSRealTimeClient } = {},
): Promise<JoinedParticipant> {
  const { publish, ivs = fixture.ivs, ...tokenOptions } = options;
  const { token } = await createToken(ivs, stageArn, tokenOptions);
  const membership = await fixture.control.join(token!, { publish });
  return { token: token!, ...membership };
}

/** A participant that joined the stage and publishes; see joinStage. */
export function publishingParticipant(
  fixture: EmulatorFixture,
  stageArn: string,
  options: TokenOptions & { ivs?: IVSRealTimeClient } = {},
): Promise<JoinedParticipant> {
  return joinStage(fixture, stageArn, { ...options, publish: true });
}

export async function getParticipant(
  ivs: IVSRealTimeClient,
  stageArn: string,
  sessionId: string,
  participantId: string,
): Promise<Participant> {
  const { participant } = await ivs.send(new GetParticipantCommand({ stageArn, sessionId, participantId }));
  return participant!;
}

/** The participant's events (JOINED, PUBLISH_STARTED, ...) in time order. */
export async function participantEvents(
  ivs: IVSRealTimeClient,
  stageArn: string,
  sessionId: string,
  participantId: string,
) {
  const { events } = await ivs.send(new ListParticipantEventsCommand({ stageArn, sessionId, participantId }));
  return events ?? [];
}

/** The stage's active session, if anybody is connected. */
export async function activeSessionId(ivs: IVSRealTimeClient, stageArn: string): Promise<string | undefined> {
  const { stage } = await ivs.send(new GetStageCommand({ arn: stageArn }));
  return stage!.activeSessionId;
}

/** A fresh bucket in the test S3 server and a storage configuration writing to it. */
export async function storageWithBucket(
  fixture: EmulatorFixture,
  bucketPrefix: string,
  name?: string,
): Promise<{ bucket: string; arn: string }> {
  const bucket = await fixture.createBucket(bucketPrefix);
  const { storageConfiguration } = await fixture.ivs.send(
    new CreateStorageConfigurationCommand({ name, s3: { bucketName: bucket } }),
  );
  return { bucket, arn: storageConfiguration!.arn! };
}

/**
 * A raw call of the emulator's control API (`/_emulator<path>`), for requests the typed client would never send;
 * `body` goes as is, as JSON.
 */
export async function rawControlRequest(
  fixture: EmulatorFixture,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: { error?: string; message?: string } }> {
  const res = await fetch(`${fixture.emulator.endpoint}/_emulator${path}`, {
    method,
    headers: method === 'GET' ? undefined : { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: (await res.json()) as { error?: string; message?: string } };
}

/**
 * The helpers above bound to one fixture, for destructuring in a suite: `const { stage, participant } = stageKit(fx);`.
 * The fixture's properties are read at each call, so a fixture from emulatorFixturePerSuite can be passed at once.
 */
export function stageKit(fixture: EmulatorFixture) {
  return {
    stage: (name: string, input?: Omit<CreateStageCommandInput, 'name'>) => createStage(fixture.ivs, name, input),
    token: (stageArn: string, options?: TokenOptions) => createToken(fixture.ivs, stageArn, options),
    join: (stageArn: string, options?: TokenOptions & { publish?: boolean; ivs?: IVSRealTimeClient }) =>
      joinStage(fixture, stageArn, options),
    participant: (stageArn: string, sessionId: string, participantId: string) =>
      getParticipant(fixture.ivs, stageArn, sessionId, participantId),
    participantEvents: (stageArn: string, sessionId: string, participantId: string) =>
      participantEvents(fixture.ivs, stageArn, sessionId, participantId),
    activeSession: (stageArn: string) => activeSessionId(fixture.ivs, stageArn),
  };
}
