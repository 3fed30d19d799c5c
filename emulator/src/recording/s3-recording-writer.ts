import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../clock';
import { S3CompositeRecorder } from './composite-recorder';
import { S3ParticipantRecorder } from './participant-recorder';
import type { RecordingDeps, RecordingSession } from './recording-session';
import type { RecordingWriterFactory } from './types';

export interface S3RecordingWriterOptions {
  /** Path-style addressing (`forcePathStyle: true`) is needed for local S3 servers. */
  s3: S3Client;
  clock: Clock;
  log?: (msg: string) => void;
}

function isMissingOrForbidden(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  return status === 404 || status === 403 || name === 'NotFound' || name === 'NoSuchBucket' || name === 'Forbidden';
}

/** Writes recordings to a real S3 API (AWS or a local server such as versitygw) the way IVS lays them out. */
export function createS3RecordingWriterFactory(options: S3RecordingWriterOptions): RecordingWriterFactory {
  const deps: RecordingDeps = {
    s3: options.s3,
    clock: options.clock,
    log: options.log ?? ((msg) => console.warn(`[recording] ${msg}`)),
  };
  const sessions = new Set<RecordingSession>();

  function track(session: RecordingSession): void {
    sessions.add(session);
    void session.settled().then(() => sessions.delete(session));
  }

  return {
    participant(spec, observer) {
      const recorder = new S3ParticipantRecorder(spec, observer, deps);
      track(recorder.session);
      return recorder;
    },

    composite(spec, observer) {
      const recorder = new S3CompositeRecorder(spec, observer, deps);
      track(recorder.session);
      return recorder;
    },

    async bucketExists(bucket) {
      try {
        await options.s3.send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch (error) {
        // A bucket we may not write to is as good as missing; anything else (network, 5xx) is the caller's problem.
        if (isMissingOrForbidden(error)) return false;
        throw error;
      }
    },

    async drain() {
      await Promise.all([...sessions].map((session) => session.quiesced()));
    },
  };
}
