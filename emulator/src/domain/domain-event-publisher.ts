import { compositionStateChangeEvent } from '../events/composition-state-change';
import { participantRecordingStateChangeEvent } from '../events/participant-recording-state-change';
import { stageUpdateEvent } from '../events/stage-update';
import type { EventSink } from '../events/types';
import type { Clock } from '../clock';
import type { DomainEvents } from './emulator-context';

/** Turns state-machine announcements into EventBridge-shaped events on the emulator's clock. */
export function domainEventPublisher(sink: EventSink, clock: Clock): DomainEvents {
  const context = (region: { accountId: string; region: string }) => ({
    account: region.accountId,
    region: region.region,
    time: clock.now(),
  });
  return {
    composition(region, composition, eventName, destination, reason) {
      const ref = { compositionArn: composition.arn, stageArn: composition.stageArn };
      const why = reason ?? 'unknown';
      switch (eventName) {
        case 'Session Start':
        case 'Session End':
          return sink.publish(compositionStateChangeEvent(context(region), { ...ref, eventName }));
        case 'Session Failure':
          return sink.publish(compositionStateChangeEvent(context(region), { ...ref, eventName, reason: why }));
        case 'Destination Failure':
          return sink.publish(
            compositionStateChangeEvent(context(region), {
              ...ref,
              eventName,
              destinationId: destination?.id ?? '',
              reason: why,
            }),
          );
        default:
          return sink.publish(
            compositionStateChangeEvent(context(region), { ...ref, eventName, destinationId: destination?.id ?? '' }),
          );
      }
    },
    recording(region, stage, sessionId, participant, eventName, reason) {
      const ref = {
        stageArn: stage.arn,
        sessionId,
        participantId: participant.participantId,
        bucket: participant.recordingS3BucketName ?? '',
        keyPrefix: participant.recordingS3Prefix ?? '',
      };
      if (eventName === 'Recording Start Failure' || eventName === 'Recording End Failure') {
        sink.publish(
          participantRecordingStateChangeEvent(context(region), { ...ref, eventName, reason: reason ?? 'unknown' }),
        );
      } else sink.publish(participantRecordingStateChangeEvent(context(region), { ...ref, eventName }));
    },
    stageUpdate(region, stage, sessionId, participant, eventName, errorCode) {
      const ref = {
        stageArn: stage.arn,
        sessionId,
        participantId: participant.participantId,
        userId: participant.userId ?? '',
      };
      if (eventName === 'Participant Publish Error') {
        sink.publish(
          stageUpdateEvent(context(region), { ...ref, eventName, errorCode: errorCode ?? 'INTERNAL_SERVER_EXCEPTION' }),
        );
      } else sink.publish(stageUpdateEvent(context(region), { ...ref, eventName }));
    },
  };
}
