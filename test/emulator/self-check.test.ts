import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { responseViolation, undocumentedError } from '../../emulator/src/protocol/self-check';

/**
 * The self-check every emulator test runs under (test/support/emulator-fixture.ts turns it on and fails a suite whose
 * emulator broke the model): these prove it catches what it is there to catch.
 */
void describe('emulator self-check against the service model', () => {
  void test('an error its operation does not list is caught; a listed one is not', () => {
    assert.match(
      undocumentedError('ListParticipants', 'ResourceNotFoundException') ?? '',
      /ListParticipants answered ResourceNotFoundException, which its model entry does not list \(ValidationException, AccessDeniedException\)/,
    );
    assert.equal(undocumentedError('GetParticipant', 'ResourceNotFoundException'), undefined);
    assert.ok(undocumentedError('StopParticipantReplication', 'ConflictException'));
  });

  void test('a response body its output shape does not allow is caught, naming the member', () => {
    const stage = { arn: 'arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh', name: 's' };
    assert.equal(responseViolation('GetStage', { stage }), undefined);
    assert.match(responseViolation('GetStage', { stage: { ...stage, arn: 'stage-1' } }) ?? '', /'stage\.arn'/);
    // Required output members: an ingest configuration without its stream key.
    const ingest = {
      arn: 'arn:aws:ivs:us-east-1:123456789012:ingest-configuration/abcdABCDefgh',
      ingestProtocol: 'RTMPS',
      stageArn: '',
      participantId: 'abcdABCDefgh',
      state: 'INACTIVE',
    };
    assert.match(
      responseViolation('GetIngestConfiguration', { ingestConfiguration: ingest }) ?? '',
      /'ingestConfiguration\.streamKey'.*must not be null/,
    );
    // Timestamps are Dates on the way out.
    assert.equal(
      responseViolation('GetStageSession', { stageSession: { sessionId: 'st-abcdABCDefghi', startTime: new Date() } }),
      undefined,
    );
  });
});
