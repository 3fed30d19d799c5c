import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateStageCommand,
  DeleteStageCommand,
  DisconnectParticipantCommand,
  GetStageCommand,
  GetStageSessionCommand,
  ImportPublicKeyCommand,
  ListParticipantsCommand,
  ListStageSessionsCommand,
} from '@aws-sdk/client-ivs-realtime';
import { exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { rejectsWithControlError, rejectsWithSdkError } from '../support/emulator-assertions';
import { emulatorFixturePerSuite, scaledEmulatorConfig, stageKit } from '../support/emulator-scenarios';
import { waitFor } from '../support/wait-for';

/** The JWT's header and payload; tokens are opaque to applications, but the emulator promises the service's shape. */
function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a JWT has three parts');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: json(parts[0]!), payload: json(parts[1]!) };
}

/**
 * exp − iat is the token duration. iat is stamped a moment after the expiry was computed, and at clock scale 100 a
 * real millisecond is 0.1 emulated seconds, so allow a couple of seconds of drift.
 */
function assertLifetime(payload: Record<string, unknown>, minutes: number): void {
  const lifetime = Number(payload.exp) - Number(payload.iat);
  assert.ok(
    lifetime <= minutes * 60 && lifetime >= minutes * 60 - 3,
    `exp − iat is ${lifetime} s, expected ${minutes} minutes`,
  );
}

void describe('stage sessions, participants and tokens', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig());

  const { stage: createStage, token, participant, participantEvents: eventNames } = stageKit(fx);

  void test('a session begins with the first join and ends when everyone left; the next join starts a new one', async () => {
    const stageArn = await createStage('sessions');
    const { stage: idle } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(idle!.activeSessionId, undefined, 'no session before anybody joins');

    const alice = await token(stageArn, { userId: 'alice' });
    const bob = await token(stageArn, { userId: 'bob' });
    const joined = await fx.control.join(alice.token!);
    assert.match(joined.sessionId, /^st-[a-zA-Z0-9]{13}$/);
    const { stage: live } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(live!.activeSessionId, joined.sessionId);
    const { stageSession } = await fx.ivs.send(new GetStageSessionCommand({ stageArn, sessionId: joined.sessionId }));
    assert.ok(stageSession!.startTime instanceof Date);
    assert.equal(stageSession!.endTime, undefined);

    const bobJoined = await fx.control.join(bob.token!, { publish: true });
    assert.equal(bobJoined.sessionId, joined.sessionId, 'later participants join the running session');

    await fx.control.leave({ token: alice.token! });
    const { stage: stillLive } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(stillLive!.activeSessionId, joined.sessionId, 'the session lives while somebody is connected');

    await fx.control.leave({ token: bob.token! });
    const { stage: ended } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(ended!.activeSessionId, undefined);
    const { stageSession: endedSession } = await fx.ivs.send(
      new GetStageSessionCommand({ stageArn, sessionId: joined.sessionId }),
    );
    assert.ok(endedSession!.endTime instanceof Date);
    assert.ok(endedSession!.endTime >= endedSession!.startTime!);

    const carol = await token(stageArn, { userId: 'carol' });
    const second = await fx.control.join(carol.token!);
    assert.notEqual(second.sessionId, joined.sessionId, 'a join after the session ended starts a new session');
    const { stageSessions } = await fx.ivs.send(new ListStageSessionsCommand({ stageArn }));
    assert.deepEqual(
      stageSessions!.map((s) => s.sessionId),
      [second.sessionId, joined.sessionId],
      'sessions are listed newest first',
    );
    await fx.control.leave({ token: carol.token! });
  });

  void test('participants: state, published, recordingState, filters and the event list', async () => {
    const stageArn = await createStage('participants');
    const host = await token(stageArn, { userId: 'host' });
    const viewer = await token(stageArn, { userId: 'viewer' });
    const { sessionId } = await fx.control.join(host.token!, { publish: true });
    await fx.control.join(viewer.token!);

    const hostRecord = await participant(stageArn, sessionId, host.participantId!);
    assert.equal(hostRecord.state, 'CONNECTED');
    assert.equal(hostRecord.published, true);
    assert.equal(hostRecord.recordingState, 'DISABLED', 'no recording without autoParticipantRecordingConfiguration');
    assert.equal(hostRecord.userId, 'host');
    assert.equal(hostRecord.protocol, 'WHIP');
    assert.equal(hostRecord.recordingS3Prefix, '');

    const list = async (
      filter: Omit<ConstructorParameters<typeof ListParticipantsCommand>[0], 'stageArn' | 'sessionId'>,
    ) => {
      const { participants } = await fx.ivs.send(new ListParticipantsCommand({ stageArn, sessionId, ...filter }));
      return (participants ?? []).map((p) => p.participantId).sort();
    };
    assert.deepEqual(await list({}), [host.participantId, viewer.participantId].sort());
    assert.deepEqual(await list({ filterByPublished: true }), [host.participantId]);
    assert.deepEqual(await list({ filterByPublished: false }), [viewer.participantId]);
    assert.deepEqual(await list({ filterByUserId: 'viewer' }), [viewer.participantId]);
    // DISABLED is a recording state but, per the service model, not a filter value.
    await rejectsWithSdkError(list({ filterByRecordingState: 'DISABLED' as 'ACTIVE' }), 'ValidationException', 400);
    assert.deepEqual(await list({ filterByRecordingState: 'ACTIVE' }), []);

    await fx.control.unpublish({ token: host.token! });
    await fx.control.leave({ token: host.token! });
    const left = await participant(stageArn, sessionId, host.participantId!);
    assert.equal(left.state, 'DISCONNECTED');
    assert.equal(left.published, true, 'published means "ever published to the stage session"');
    assert.deepEqual(await list({ filterByState: 'DISCONNECTED' }), [host.participantId]);
    assert.deepEqual(await list({ filterByState: 'CONNECTED' }), [viewer.participantId]);

    await rejectsWithSdkError(
      fx.ivs.send(
        new ListParticipantsCommand({ stageArn, sessionId, filterByPublished: true, filterByUserId: 'host' }),
      ),
      'ValidationException',
      400,
    );

    const events = await eventNames(stageArn, sessionId, host.participantId!);
    assert.deepEqual(
      events.map((e) => e.name),
      ['JOINED', 'PUBLISH_STARTED', 'PUBLISH_STOPPED', 'LEFT'],
    );
    for (const e of events) assert.equal(e.participantId, host.participantId);
    const times = events.map((e) => e.eventTime!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'events are in time order',
    );

    // Leaving while publishing still reports the unpublish before the leave.
    const guest = await token(stageArn);
    await fx.control.join(guest.token!, { publish: true });
    await fx.control.leave({ token: guest.token! });
    assert.deepEqual(
      (await eventNames(stageArn, sessionId, guest.participantId!)).map((e) => e.name),
      ['JOINED', 'PUBLISH_STARTED', 'PUBLISH_STOPPED', 'LEFT'],
    );
    await fx.control.leave({ token: viewer.token! });
  });

  void test('participant tokens are ES384 JWTs with the documented claims', async () => {
    const stageArn = await createStage('tokens');
    const before = (await fx.control.clock()).epochMs;
    const t = await token(stageArn, { userId: 'u-1', duration: 90, capabilities: ['SUBSCRIBE'] });
    const { header, payload } = decodeJwt(t.token!);
    assert.equal(header.alg, 'ES384');
    assert.equal(header.typ, 'JWT');
    assert.equal(header.kid, undefined, 'service-issued tokens carry no kid');
    assert.equal(payload.jti, t.participantId);
    assert.equal(payload.resource, stageArn);
    assert.equal(payload.user_id, 'u-1');
    assert.deepEqual(payload.capabilities, { allow_publish: false, allow_subscribe: true });
    assert.equal(typeof payload.iat, 'number');
    assert.equal(payload.exp, Math.floor(t.expirationTime!.getTime() / 1000));
    assertLifetime(payload, 90);
    assert.ok(t.expirationTime!.getTime() >= before + 90 * 60_000, 'expiry follows the emulated clock');
    assert.equal(t.duration, 90);
    assert.deepEqual(t.capabilities, ['SUBSCRIBE']);

    const defaults = await token(stageArn);
    const claims = decodeJwt(defaults.token!).payload;
    assert.deepEqual(claims.capabilities, { allow_publish: true, allow_subscribe: true });
    assertLifetime(claims, 720);
  });

  void test('a SUBSCRIBE-only participant cannot publish: error and PUBLISH_ERROR INSUFFICIENT_CAPABILITIES', async () => {
    const stageArn = await createStage('subscribe-only');
    const viewer = await token(stageArn, { userId: 'viewer', capabilities: ['SUBSCRIBE'] });
    const { sessionId } = await fx.control.join(viewer.token!);
    await rejectsWithControlError(fx.control.publish({ token: viewer.token! }), 403, 'AccessDeniedException');

    const p = await participant(stageArn, sessionId, viewer.participantId!);
    assert.equal(p.published, false);
    assert.equal(p.state, 'CONNECTED', 'a refused publish does not disconnect');
    const events = await eventNames(stageArn, sessionId, viewer.participantId!);
    assert.deepEqual(
      events.map((e) => e.name),
      ['JOINED', 'PUBLISH_ERROR'],
    );
    assert.equal(events[1]!.errorCode, 'INSUFFICIENT_CAPABILITIES');

    const bus = await fx.control.recentEvents();
    const publishError = bus.find(
      (e) =>
        e['detail-type'] === 'IVS Stage Update' &&
        e.detail.event_name === 'Participant Publish Error' &&
        e.detail.participant_id === viewer.participantId,
    );
    assert.ok(publishError, 'a Participant Publish Error event is emitted');
    assert.equal(publishError.detail.error_code, 'INSUFFICIENT_CAPABILITIES');
    assert.deepEqual(publishError.resources, [stageArn]);
    await fx.control.leave({ token: viewer.token! });
  });

  void test('an expired token cannot join', async () => {
    const stageArn = await createStage('expiry');
    const shortLived = await token(stageArn, { duration: 1 });
    const expiresAt = shortLived.expirationTime!.getTime();
    // A minute of emulated time is 0.6 s here; wait on the emulator's clock, not a fixed sleep.
    await waitFor(async () => (await fx.control.clock()).epochMs > expiresAt + 1000, 15_000);
    const error = await rejectsWithControlError(fx.control.join(shortLived.token!), 403, 'AccessDeniedException');
    assert.match(error.message, /exp/);
    const { stage } = await fx.ivs.send(new GetStageCommand({ arn: stageArn }));
    assert.equal(stage!.activeSessionId, undefined, 'a refused join starts no session');
  });

  void test('DisconnectParticipant disconnects and the same token cannot rejoin', async () => {
    const stageArn = await createStage('disconnect');
    const guest = await token(stageArn, { userId: 'guest' });
    const other = await token(stageArn);
    const { sessionId } = await fx.control.join(guest.token!, { publish: true });
    await fx.control.join(other.token!);

    await fx.ivs.send(
      new DisconnectParticipantCommand({ stageArn, participantId: guest.participantId!, reason: 'misbehaving' }),
    );
    const p = await participant(stageArn, sessionId, guest.participantId!);
    assert.equal(p.state, 'DISCONNECTED');
    assert.equal(p.published, true, 'it had published before it was disconnected');
    assert.deepEqual(
      (await eventNames(stageArn, sessionId, guest.participantId!)).map((e) => e.name),
      ['JOINED', 'PUBLISH_STARTED', 'PUBLISH_STOPPED', 'LEFT'],
    );
    await rejectsWithControlError(fx.control.join(guest.token!), 403, 'AccessDeniedException');
    // Other participants' tokens are unaffected.
    await fx.control.leave({ token: other.token! });
    await fx.control.join(other.token!);
    await fx.control.leave({ token: other.token! });
  });

  void test('self-signed tokens: a key registered with ImportPublicKey joins, an unknown key is rejected', async () => {
    const stageArn = await createStage('self-signed');
    const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
    const { publicKey: imported } = await fx.ivs.send(
      new ImportPublicKeyCommand({ publicKeyMaterial: await exportSPKI(publicKey), name: 'app-key' }),
    );
    assert.match(imported!.arn!, /^arn:aws:ivs:us-east-1:123456789012:public-key\/[a-zA-Z0-9]+$/);

    const nowSeconds = Math.floor((await fx.control.clock()).epochMs / 1000);
    const sign = (key: KeyLike, kid: string, participantId: string) =>
      new SignJWT({
        resource: stageArn,
        user_id: 'self-signed-user',
        attributes: { role: 'guest' },
        capabilities: { allow_publish: true, allow_subscribe: true },
        version: '1.0',
      })
        .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid })
        .setJti(participantId)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + 3600)
        .sign(key);

    const good = await sign(privateKey, imported!.arn!, 'selfSigned01');
    const joined = await fx.control.join(good, { publish: true });
    assert.equal(joined.participantId, 'selfSigned01');
    const p = await participant(stageArn, joined.sessionId, 'selfSigned01');
    assert.equal(p.userId, 'self-signed-user');
    assert.deepEqual(p.attributes, { role: 'guest' });
    assert.equal(p.published, true);
    await fx.control.leave({ token: good });

    const stranger = await generateKeyPair('ES384');
    const unknownKid = imported!.arn!.replace(/[^/]+$/, 'AAAAAAAAAAAA');
    const unknown = await sign(stranger.privateKey, unknownKid, 'selfSigned02');
    const e1 = await rejectsWithControlError(fx.control.join(unknown), 403, 'AccessDeniedException');
    assert.match(e1.message, /unknown public key/);
    // The right kid but another private key: the signature does not verify.
    const forged = await sign(stranger.privateKey, imported!.arn!, 'selfSigned03');
    await rejectsWithControlError(fx.control.join(forged), 403, 'AccessDeniedException');
  });

  void test('the 13th publisher of a stage is refused with QUOTA_EXCEEDED', async () => {
    const stageArn = await createStage('crowded');
    const tokens = await Promise.all(Array.from({ length: 13 }, (_, i) => token(stageArn, { userId: `p${i}` })));
    let sessionId = '';
    for (const t of tokens.slice(0, 12)) ({ sessionId } = await fx.control.join(t.token!, { publish: true }));
    const thirteenth = tokens[12]!;
    await fx.control.join(thirteenth.token!);
    const error = await rejectsWithControlError(
      fx.control.publish({ token: thirteenth.token! }),
      402,
      'ServiceQuotaExceededException',
    );
    assert.match(error.message, /12 publishers/);
    const events = await eventNames(stageArn, sessionId, thirteenth.participantId!);
    assert.equal(events.at(-1)!.name, 'PUBLISH_ERROR');
    assert.equal(events.at(-1)!.errorCode, 'QUOTA_EXCEEDED');

    // A slot frees up when someone stops publishing.
    await fx.control.unpublish({ token: tokens[0]!.token! });
    await fx.control.publish({ token: thirteenth.token! });
    const { participants } = await fx.ivs.send(
      new ListParticipantsCommand({ stageArn, sessionId, filterByPublished: true }),
    );
    // published means "ever published", so the one who stopped still counts: 13 have published, 12 publish now.
    assert.equal(participants!.length, 13);
    await fx.ivs.send(new DeleteStageCommand({ arn: stageArn }));
  });
});

void describe('stage quota', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig({ quotas: { stagesPerRegion: 2 } }));

  void test('the third stage of a region is refused with ServiceQuotaExceededException (HTTP 402)', async () => {
    const { stage: first } = await fx.ivs.send(new CreateStageCommand({ name: 'one' }));
    await fx.ivs.send(new CreateStageCommand({ name: 'two' }));
    const error = await rejectsWithSdkError(
      fx.ivs.send(new CreateStageCommand({ name: 'three' })),
      'ServiceQuotaExceededException',
      402,
    );
    assert.match(error.message, /at most 2 stages/);
    // Another account has its own quota.
    await fx.client({ accessKeyId: '210987654321' }).send(new CreateStageCommand({ name: 'elsewhere' }));
    await fx.ivs.send(new DeleteStageCommand({ arn: first!.arn! }));
    await fx.ivs.send(new CreateStageCommand({ name: 'three' }));
  });
});
