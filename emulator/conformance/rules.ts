/**
 * The hand-kept half of the conformance table (emulator/conformance.md): how the emulator answers each behavioural
 * statement of the service model's documentation. The other half, the statements themselves, is generated from
 * botocore's model into model-statements.json by scripts/generate-ivs-constraints.py. scripts/conformance-table.ts
 * renders both; test/emulator/conformance-table.test.ts fails when a statement is answered by no rule or by two, when
 * an enforced rule names a test that does not exist, or when the table or the README's coverage figure is stale.
 */
export interface StatementMatcher {
  /** The statement's owner: an operation, a shape, or `service`. */
  owner: RegExp;
  /** The statement's sentence. */
  text: RegExp;
  /** Only an operation's error list (kind `errors`) needs saying; every other matcher skips those. */
  errorLists?: true;
}

export interface TestRef {
  /** Under test/emulator/. */
  file: string;
  /** The test's exact title. */
  name: string;
}

interface RuleBase {
  id: string;
  /** What the emulator does, in a sentence. */
  rule: string;
  covers: StatementMatcher[];
}

export type ConformanceRule =
  | (RuleBase & { status: 'enforced'; how: string; tests: TestRef[] })
  | (RuleBase & { status: 'not-followed'; reason: string });

const any = /.*/;
const t = (file: string, name: string): TestRef => ({ file, name });
const DOC = 'documented-behaviour.test.ts';
const doc = (name: string) => t(DOC, name);
const NO_MEDIA =
  'The emulator has no media plane: nothing carries audio or video, so there is no stream to inspect or render.';

export const CONFORMANCE_RULES: ConformanceRule[] = [
  {
    id: 'operation-errors',
    rule: 'Each operation answers only with errors its model entry lists (besides the front door: authentication, throttling, malformed requests)',
    covers: [{ owner: any, text: /can return/, errorLists: true }],
    status: 'enforced',
    how: 'protocol/self-check.ts holds every answer against the list; every emulator suite runs with selfCheck and fails on a breach. List operations answer unknown stages and sessions with an empty list.',
    tests: [
      t('self-check.test.ts', 'an error its operation does not list is caught; a listed one is not'),
      doc(
        'ListParticipants, ListParticipantEvents, ListParticipantReplicas and ListStageSessions answer an unknown stage or session with an empty list',
      ),
    ],
  },
  {
    id: 'list-default-page-size',
    rule: 'An absent maxResults means the documented default page size',
    covers: [{ owner: /^List.*Request$/, text: /^Default: (50|100)\.$/ }],
    status: 'enforced',
    how: 'state/pagination.ts, each operation passing its documented default',
    tests: [doc('list operations return at most their documented default page size when maxResults is absent')],
  },
  {
    id: 'storage-list-page-size',
    rule: "ListStorageConfigurations' default page size is the storage quota or 100, whichever is smaller",
    covers: [{ owner: /^ListStorageConfigurationsRequest$/, text: /whichever is smaller/ }],
    status: 'enforced',
    how: 'operations/storage-configuration-operations.ts',
    tests: [doc('ListStorageConfigurations: maxResults defaults to the quota or 100, whichever is smaller')],
  },
  {
    id: 'pagination',
    rule: 'maxResults bounds a page; nextToken is present exactly when more results follow',
    covers: [
      { owner: any, text: /^Maximum number of/ },
      { owner: any, text: /use nextToken in the request to get the next set/ },
    ],
    status: 'enforced',
    how: 'state/pagination.ts (opaque tokens bound to the operation, filters, account and region)',
    tests: [
      t(
        'api-pagination.test.ts',
        '7 stages with maxResults 3 come in 3 pages, each exactly once, no nextToken on the last',
      ),
      t('api-pagination.test.ts', 'resources created or deleted between pages cause no repeats and no skips'),
    ],
  },
  {
    id: 'regional-lists',
    rule: 'List operations show the caller’s account and region only',
    covers: [{ owner: any, text: /in your account, in the AWS region where the API request is processed/ }],
    status: 'enforced',
    how: 'state/region-state.ts keeps state per account and region',
    tests: [
      t(
        'api-auth-and-isolation.test.ts',
        'a stage of account 111111111111 is invisible to account 222222222222 and to another region',
      ),
    ],
  },
  {
    id: 'list-filters',
    rule: 'Each filter narrows the list to what it names',
    covers: [{ owner: any, text: /^Filters the/ }],
    status: 'enforced',
    how: 'operations/session-operations.ts, ingest-configuration-operations.ts, composition-operations.ts',
    tests: [
      t('stage-sessions.test.ts', 'participants: state, published, recordingState, filters and the event list'),
      doc('ListIngestConfigurations takes only one filter (by stage ARN or by state) at a time'),
      t(
        'api-pagination.test.ts',
        'a ListCompositions token is bound to its filter: reused with another stage it is a ValidationException',
      ),
    ],
  },
  {
    id: 'one-participant-filter',
    rule: 'ListParticipants refuses more than one filter (ValidationException)',
    covers: [{ owner: /^ListParticipantsRequest$/, text: /^Only one of filterByUserId/ }],
    status: 'enforced',
    how: 'operations/session-operations.ts',
    tests: [t('api-validation.test.ts', 'ListParticipants takes at most one filter')],
  },
  {
    id: 'one-ingest-filter',
    rule: 'ListIngestConfigurations refuses both filters at once (ValidationException)',
    covers: [{ owner: /^ListIngestConfigurationsRequest$/, text: /^Only one filter/ }],
    status: 'enforced',
    how: 'operations/ingest-configuration-operations.ts',
    tests: [doc('ListIngestConfigurations takes only one filter (by stage ARN or by state) at a time')],
  },
  {
    id: 'published-ever',
    rule: 'published is true once the participant has published in the session, and stays true; filterByPublished filters on it',
    covers: [{ owner: /^Participant(Summary)?$/, text: /ever published/ }],
    status: 'enforced',
    how: 'domain/stage-participation.ts keeps `published` (ever) apart from `publishing` (now)',
    tests: [
      doc(
        'Participant.published means the participant ever published in the session; filterByPublished filters on that',
      ),
    ],
  },
  {
    id: 'participant-state',
    rule: 'state is CONNECTED while the participant is in the stage, DISCONNECTED after it left or was disconnected',
    covers: [{ owner: /^Participant(Summary)?$/, text: /^Whether the participant is connected/ }],
    status: 'enforced',
    how: 'domain/stage-participation.ts',
    tests: [t('stage-sessions.test.ts', 'participants: state, published, recordingState, filters and the event list')],
  },
  {
    id: 'recording-location-empty',
    rule: 'recordingS3BucketName and recordingS3Prefix are "" until the participant is recorded',
    covers: [{ owner: /^Participant$/, text: /"" \(empty string\), if recording is not enabled/ }],
    status: 'enforced',
    how: 'operations/session-operations.ts',
    tests: [doc("GetParticipant: recordingS3BucketName and recordingS3Prefix are '' when recording is not enabled")],
  },
  {
    id: 'redundant-ingest',
    rule: 'redundantIngest: true gives one redundant credential (participant ID and stream key) that publishes as its own participant; false gives none',
    covers: [
      { owner: /^IngestConfiguration$/, text: /present only when redundantIngest is set to true/ },
      { owner: any, text: /^Indicates whether redundant ingest is enabled/ },
    ],
    status: 'enforced',
    how: 'domain/ingest-publishing.ts; the model does not say how many credentials there are: one, for a backup encoder',
    tests: [
      doc('redundantIngest: true returns redundantIngestCredentials, and the redundant stream key publishes too'),
    ],
  },
  {
    id: 'ingest-active',
    rule: 'An ingest configuration is ACTIVE exactly while one of its publishers streams',
    covers: [
      { owner: /^IngestConfiguration(Summary)?$/, text: /^It is ACTIVE if a publisher currently is publishing/ },
    ],
    status: 'enforced',
    how: 'domain/ingest-publishing.ts tracks its publishers; every way out of the stage updates it',
    tests: [
      t('ingest.test.ts', 'a publisher connecting with the stream key becomes a published RTMPS participant'),
      doc('redundantIngest: true returns redundantIngestCredentials, and the redundant stream key publishes too'),
    ],
  },
  {
    id: 'ingest-update',
    rule: 'UpdateIngestConfiguration changes only the stage ARN (and redundantIngest, a member of its request); an ACTIVE one is refused (409)',
    covers: [
      { owner: /^UpdateIngestConfiguration$/, text: /^An IngestConfiguration that is active cannot be updated/ },
      { owner: /^UpdateIngestConfiguration$/, text: /^Only the stage ARN/ },
    ],
    status: 'enforced',
    how: 'operations/ingest-configuration-operations.ts',
    tests: [t('ingest.test.ts', 'an ACTIVE configuration cannot be updated, nor deleted without force')],
  },
  {
    id: 'ingest-update-default',
    rule: 'An UpdateIngestConfiguration without redundantIngest sets it to its default, false',
    covers: [{ owner: /^UpdateIngestConfigurationRequest$/, text: /^Default: false/ }],
    status: 'enforced',
    how: 'operations/ingest-configuration-operations.ts',
    tests: [doc('UpdateIngestConfiguration: an absent redundantIngest takes its documented default, false')],
  },
  {
    id: 'ingest-delete',
    rule: 'DeleteIngestConfiguration refuses an ACTIVE configuration (409) unless force, which disconnects the publisher first; a deleted key no longer publishes',
    covers: [
      { owner: /^DeleteIngestConfiguration$/, text: any },
      { owner: /^DeleteIngestConfigurationRequest$/, text: any },
    ],
    status: 'enforced',
    how: 'operations/ingest-configuration-operations.ts',
    tests: [t('ingest.test.ts', 'an ACTIVE configuration cannot be updated, nor deleted without force')],
  },
  {
    id: 'rtmp-insecure',
    rule: 'RTMP ingest requires insecureIngest: true (default false), and only then accepts RTMP',
    covers: [
      {
        owner: /^CreateIngestConfigurationRequest$/,
        text: /insecureIngest must be set to true|must be set to true, if ingestProtocol is set to RTMP|^Whether the stage allows insecure RTMP ingest/,
      },
    ],
    status: 'enforced',
    how: 'operations/ingest-configuration-operations.ts, domain/ingest-publishing.ts',
    tests: [
      t('api-validation.test.ts', 'RTMP ingest requires insecureIngest=true'),
      t('ingest.test.ts', 'an RTMP configuration (insecureIngest) accepts RTMP'),
    ],
  },
  {
    id: 'ingest-create-defaults',
    rule: 'CreateIngestConfiguration defaults insecureIngest and redundantIngest to false',
    covers: [{ owner: /^CreateIngestConfigurationRequest$/, text: /^Default: false/ }],
    status: 'enforced',
    how: 'operations/ingest-configuration-operations.ts',
    tests: [
      doc('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type'),
      t('api-validation.test.ts', 'RTMP ingest requires insecureIngest=true'),
    ],
  },
  {
    id: 'disconnect-participant',
    rule: 'DisconnectParticipant disconnects the participant; for one publishing through an ingest configuration it also blanks the configuration’s stageArn',
    covers: [{ owner: /^DisconnectParticipant$/, text: any }],
    status: 'enforced',
    how: 'operations/session-operations.ts',
    tests: [
      t('stage-sessions.test.ts', 'DisconnectParticipant disconnects and the same token cannot rejoin'),
      t('ingest.test.ts', 'DisconnectParticipant of the ingest participant disconnects it and blanks stageArn'),
      doc('DeleteStage and DisconnectParticipant blank the stageArn only of an ingest configuration that publishes'),
    ],
  },
  {
    id: 'delete-stage',
    rule: 'DeleteStage disconnects everyone and blanks the stageArn of the ingest configurations publishing to it (only those)',
    covers: [{ owner: /^DeleteStage$/, text: any }],
    status: 'enforced',
    how: 'domain/ivs-domain.ts',
    tests: [
      t('ingest.test.ts', 'DeleteStage blanks stageArn; UpdateIngestConfiguration re-attaches'),
      doc('DeleteStage and DisconnectParticipant blank the stageArn only of an ingest configuration that publishes'),
    ],
  },
  {
    id: 'video-size',
    rule: 'Video width and height must be even and width × height at most 2,073,600 (ValidationException)',
    covers: [{ owner: /^Video$/, text: /even number|maximum total pixels/ }],
    status: 'enforced',
    how: 'operations/encoder-configuration-operations.ts (an absent side counts with its default)',
    tests: [doc('Video width and height must be even numbers and at most 2,073,600 pixels in total')],
  },
  {
    id: 'video-defaults',
    rule: 'Encoder configurations default to 1280×720, 2,500,000 bps, 30 fps',
    covers: [{ owner: /^(Video|CreateEncoderConfigurationRequest|EncoderConfiguration)$/, text: /^Default/ }],
    status: 'enforced',
    how: 'operations/encoder-configuration-operations.ts',
    tests: [
      t('api-operations.test.ts', 'encoder configurations: Create, Get, List, Delete'),
      doc('Video width and height must be even numbers and at most 2,073,600 pixels in total'),
    ],
  },
  {
    id: 'video-rendition',
    rule: 'Width, height and frame rate shape the S3 composite recording’s rendition (name, thumbnails)',
    covers: [{ owner: /^Video$/, text: /^Video-resolution|^Video frame rate/ }],
    status: 'enforced',
    how: 'recording/composite-recorder.ts',
    tests: [t('recording-writer.test.ts', 'composite recording: rendition naming, resolutions, EVENT then VOD')],
  },
  {
    id: 'video-bitrate',
    rule: 'The bitrate shapes no output',
    covers: [{ owner: /^Video$/, text: /^Bitrate for generated output/ }],
    status: 'not-followed',
    reason: NO_MEDIA,
  },
  {
    id: 'participant-recording-defaults',
    rule: 'autoParticipantRecordingConfiguration is filled with its documented defaults; storageConfigurationArn "" turns recording off and resets the rest',
    covers: [
      {
        owner:
          /^(AutoParticipantRecordingConfiguration|ParticipantThumbnailConfiguration|ParticipantRecordingHlsConfiguration)$/,
        text: /^Default|^The default value is 0|^To disable individual participant recording/,
      },
    ],
    status: 'enforced',
    how: 'operations/stage-operations.ts',
    tests: [doc('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type')],
  },
  {
    id: 'recording-needs-storage',
    rule: 'A stage records participants only with an existing storage configuration (else ValidationException)',
    covers: [
      {
        owner: /^AutoParticipantRecordingConfiguration$/,
        text: /^Individual participant recording cannot be started unless/,
      },
    ],
    status: 'enforced',
    how: 'operations/stage-operations.ts',
    tests: [
      doc(
        'recordParticipantReplicas false: a replica is not recorded; recording needs an existing storage configuration',
      ),
    ],
  },
  {
    id: 'recording-settings-locked',
    rule: 'UpdateStage refuses autoParticipantRecordingConfiguration (409) while a participant recording of the stage has not ended',
    covers: [{ owner: /^UpdateStageRequest$/, text: /cannot be updated while recording is active/ }],
    status: 'enforced',
    how: 'operations/stage-operations.ts, StageParticipation.recordedParticipant',
    tests: [doc('UpdateStage refuses autoParticipantRecordingConfiguration while a participant recording is active')],
  },
  {
    id: 'thumbnail-interval-mode',
    rule: 'A participant thumbnail interval may be set only with recordingMode INTERVAL (ValidationException otherwise)',
    covers: [{ owner: /^ParticipantThumbnailConfiguration$/, text: /configurable only if recordingMode is INTERVAL/ }],
    status: 'enforced',
    how: 'operations/stage-operations.ts; the model does not name the error: ValidationException, the safest reading',
    tests: [doc('participant thumbnails: targetIntervalSeconds is configurable only if recordingMode is INTERVAL')],
  },
  {
    id: 'recording-media',
    rule: 'Recordings follow their settings: media types, HLS segment target, thumbnails SEQUENTIAL and/or LATEST at the interval, bucket and prefix',
    covers: [
      {
        owner: any,
        text: /^Types of media to be recorded|target duration for recorded segments|^Segments may have durations/,
      },
      {
        owner: any,
        text: /^SEQUENTIAL records|^LATEST saves|^You can enable both SEQUENTIAL and LATEST|thumbnail-generation interval/,
      },
      { owner: any, text: /^Location \(S3 bucket name\)|bucket prefix under which the recording/ },
    ],
    status: 'enforced',
    how: 'recording/ (participant and composite recorders); the synthetic segments are exactly the target duration, which "may be longer" allows',
    tests: [
      t('recordings.test.ts', 'individual participant recording: prefix, states, S3 objects and events'),
      t('recordings.test.ts', 'composite recording of a composition s3 destination'),
      t('recording-writer.test.ts', 'AUDIO_ONLY recording ends once the reconnect window passes'),
      t('recording-writer.test.ts', 'mediaType NONE writes thumbnails only and ends at once with a zero window'),
    ],
  },
  {
    id: 'recording-merge',
    rule: 'A publisher back within recordingReconnectWindowSeconds continues the same recording under the same prefix',
    covers: [{ owner: any, text: /merged together|IVS tries to record to the same S3 prefix/ }],
    status: 'enforced',
    how: 'domain/stage-participation.ts, recording/participant-recorder.ts',
    tests: [
      t(
        'recordings.test.ts',
        'reconnect window: republishing within it continues the same recording behind a discontinuity',
      ),
    ],
  },
  {
    id: 'replicas-recorded',
    rule: 'recordParticipantReplicas false leaves replicas unrecorded',
    covers: [{ owner: /^AutoParticipantRecordingConfiguration$/, text: /replica participants are not recorded/ }],
    status: 'enforced',
    how: 'domain/stage-participation.ts',
    tests: [
      doc(
        'recordParticipantReplicas false: a replica is not recorded; recording needs an existing storage configuration',
      ),
    ],
  },
  {
    id: 'storage-same-region',
    rule: 'The bucket must be in the composition’s region',
    covers: [{ owner: /^S3StorageConfiguration$/, text: /must be in the same region as the Composition/ }],
    status: 'not-followed',
    reason:
      'The emulator writes to one S3 server that has a single region; the storage configuration itself is regional.',
  },
  {
    id: 'storage-bucket-policy',
    rule: 'CreateStorageConfiguration changes the bucket policy',
    covers: [{ owner: /^CreateStorageConfiguration$/, text: /IVS will modify the S3 bucketPolicy/ }],
    status: 'not-followed',
    reason:
      'The emulator writes with its own S3 credentials and leaves the developer’s bucket policies alone; it does check that the bucket exists.',
  },
  {
    id: 'storage-name',
    rule: 'Storage configuration names need not be unique',
    covers: [{ owner: /^CreateStorageConfigurationRequest$/, text: /does not need to be unique/ }],
    status: 'enforced',
    how: 'operations/storage-configuration-operations.ts',
    tests: [doc('ListStorageConfigurations: maxResults defaults to the quota or 100, whichever is smaller')],
  },
  {
    id: 'composition-lifetime',
    rule: 'A composition exists once StartComposition returns and stops, then is purged: on StopComposition, a minute after the stage empties or when started on an empty stage, when its broadcast fails for good',
    covers: [{ owner: /^(StartComposition|StopComposition)$/, text: any }],
    status: 'enforced',
    how: 'domain/composition-lifecycle.ts',
    tests: [
      t(
        'compositions.test.ts',
        'StartComposition: STARTING → ACTIVE; StopComposition: STOPPING → STOPPED; purged afterwards',
      ),
      t('compositions.test.ts', 'idle rule: a composition on an empty stage stops about a minute after it started'),
      t('compositions.test.ts', 'idle rule: a composition stops about a minute after the last participant left'),
      t(
        'compositions.test.ts',
        'RECONNECTING beyond the window fails that destination only; both failed fails the composition',
      ),
    ],
  },
  {
    id: 'destination-kinds',
    rule: 'A destination is a channel or an s3, never both; a composition has one or two (one of each)',
    covers: [
      { owner: /^DestinationConfiguration$/, text: /^Either a channel or an s3 must be specified/ },
      { owner: /^Composition$/, text: /either one destination/ },
    ],
    status: 'enforced',
    how: 'domain/composition-starts.ts',
    tests: [
      t(
        'api-validation.test.ts',
        'a composition has at most one channel and one s3 destination, each of exactly one kind',
      ),
    ],
  },
  {
    id: 'destination-same-account',
    rule: 'The channel and encoder configurations must be in the stage’s account and region',
    covers: [
      {
        owner: /^(ChannelDestinationConfiguration|S3DestinationConfiguration)$/,
        text: /must be in the same AWS account and region/,
      },
    ],
    status: 'enforced',
    how: 'domain/composition-starts.ts (a foreign channel: ValidationException; a foreign encoder configuration is not found)',
    tests: [
      doc("StartComposition: the channel must be in the stage's account and region"),
      t(
        'api-validation.test.ts',
        'two s3 destinations are refused; a missing storage or encoder configuration is not found',
      ),
    ],
  },
  {
    id: 'channel-offline',
    rule: 'A channel destination fails when its channel is already broadcasting',
    covers: [{ owner: /^ChannelDestinationConfiguration$/, text: /must be offline/ }],
    status: 'enforced',
    how: 'domain/composition-lifecycle.ts (busy channels from the control API or another live composition)',
    tests: [
      t('compositions.test.ts', 'a channel already used by a live composition, or marked busy, fails that destination'),
    ],
  },
  {
    id: 'layout-defaults',
    rule: 'Layouts are filled with their documented defaults (grid when none is given)',
    covers: [
      { owner: /^(GridConfiguration|PipConfiguration)$/, text: /^Default/ },
      { owner: /^LayoutConfiguration$/, text: /^Default: Grid layout/ },
    ],
    status: 'enforced',
    how: 'domain/composition-starts.ts',
    tests: [doc('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type')],
  },
  {
    id: 'layout-rendering',
    rule: 'Layouts place, order, fit and size participants as described',
    covers: [
      {
        owner: /^(GridConfiguration|PipConfiguration)$/,
        text: /placed in the|ordered based on their arrival|^When not set|^When this is not set explicitly/,
      },
    ],
    status: 'not-followed',
    reason: `${NO_MEDIA} Layouts are stored and echoed with their defaults.`,
  },
  {
    id: 'composite-s3-defaults',
    rule: 'An S3 destination gets HLS with 2 s segments and thumbnail defaults (60 s, SEQUENTIAL)',
    covers: [{ owner: /^(CompositionRecordingHlsConfiguration|CompositionThumbnailConfiguration)$/, text: /^Default/ }],
    status: 'enforced',
    how: 'domain/composition-starts.ts',
    tests: [doc('StartComposition fills the documented defaults of an S3 destination, thumbnails included')],
  },
  {
    id: 'configurations-in-use',
    rule: 'Encoder and storage configurations used by a live composition cannot be deleted (409) until it stopped',
    covers: [{ owner: /^(DeleteEncoderConfiguration|DeleteStorageConfiguration)$/, text: any }],
    status: 'enforced',
    how: 'operations/encoder-configuration-operations.ts, storage-configuration-operations.ts',
    tests: [
      t(
        'compositions.test.ts',
        'storage and encoder configurations used by a live composition cannot be deleted until it stopped',
      ),
    ],
  },
  {
    id: 'idempotency',
    rule: 'The same idempotencyToken and request give the same composition; the same token with other parameters is a 409',
    covers: [{ owner: /^StartCompositionRequest$/, text: /^Idempotency token/ }],
    status: 'enforced',
    how: 'domain/composition-starts.ts (remembered for idempotencyWindowMs; the model says no more than "Idempotency token")',
    tests: [
      t(
        'compositions.test.ts',
        'idempotencyToken: the same request returns the same composition; other parameters conflict',
      ),
    ],
  },
  {
    id: 'stage-sessions',
    rule: 'A session begins with the first join and ends after the last participant leaves; activeSessionId names it; endTime is absent while it runs',
    covers: [
      { owner: /^StageSession$/, text: /^A stage session begins/ },
      { owner: any, text: /^ID of the active session|This is null if the stage is active/ },
    ],
    status: 'enforced',
    how: 'domain/stage-participation.ts',
    tests: [
      t(
        'stage-sessions.test.ts',
        'a session begins with the first join and ends when everyone left; the next join starts a new one',
      ),
    ],
  },
  {
    id: 'timestamps',
    rule: 'Times are ISO 8601 strings',
    covers: [{ owner: /^(?!ExchangedParticipantToken$)/, text: /returned as a string/ }],
    status: 'enforced',
    how: 'protocol/responses.ts (Date#toJSON)',
    tests: [
      t('api-wire-protocol.test.ts', 'successful responses carry a unique x-amzn-RequestId and ISO 8601 timestamps'),
    ],
  },
  {
    id: 'token-duration',
    rule: 'A token expires duration minutes after it is made (default 720); an expired token cannot join',
    covers: [
      {
        owner: /^(CreateParticipantTokenRequest|ParticipantToken|ParticipantTokenConfiguration)$/,
        text: /after which the .*token expires|^Default: 720/,
      },
    ],
    status: 'enforced',
    how: 'operations/participant-token-operations.ts, domain/participant-tokens.ts',
    tests: [
      t('stage-sessions.test.ts', 'an expired token cannot join'),
      t('stage-sessions.test.ts', 'participant tokens are ES384 JWTs with the documented claims'),
    ],
  },
  {
    id: 'token-capabilities',
    rule: 'Capabilities (default PUBLISH and SUBSCRIBE) decide what a participant may do: publishing without PUBLISH is refused',
    covers: [
      {
        owner: /^(CreateParticipantTokenRequest|ParticipantToken|ParticipantTokenConfiguration)$/,
        text: /capabilities that the user|^Default: PUBLISH, SUBSCRIBE/,
      },
    ],
    status: 'enforced',
    how: 'domain/stage-participation.ts',
    tests: [
      t(
        'stage-sessions.test.ts',
        'a SUBSCRIBE-only participant cannot publish: error and PUBLISH_ERROR INSUFFICIENT_CAPABILITIES',
      ),
      doc('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type'),
    ],
  },
  {
    id: 'participant-attributes',
    rule: 'Attributes of the token or ingest configuration reach the participant; keys, values and userId may be any UTF-8 text; at most 1 KB in total',
    covers: [
      {
        owner:
          /^(CreateParticipantTokenRequest|ParticipantToken|ParticipantTokenConfiguration|Participant|CreateIngestConfigurationRequest|IngestConfiguration|StartParticipantReplicationRequest|IngestConfigurationSummary|ParticipantSummary)$/,
        text: /attach to a stage|UTF-8 encoded text|1 KB total/,
      },
    ],
    status: 'enforced',
    how: 'operations/resource-lookup.ts checkAttributesSize; domain/stage-participation.ts',
    tests: [
      t('api-validation.test.ts', 'participant attributes over 1 KB in total are refused'),
      t(
        'stage-sessions.test.ts',
        'self-signed tokens: a key registered with ImportPublicKey joins, an unknown key is rejected',
      ),
      doc('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type'),
    ],
  },
  {
    id: 'token-exchange',
    rule: 'Tokens can be exchanged (TOKEN_EXCHANGED events)',
    covers: [{ owner: /^ExchangedParticipantToken$/, text: any }],
    status: 'not-followed',
    reason: 'Token exchange happens on the media plane’s events websocket, which the emulator does not have.',
  },
  {
    id: 'tokens-scoped',
    rule: 'A token joins only the stage it was made for',
    covers: [{ owner: /^CreateParticipantToken$/, text: /Tokens always are scoped/ }],
    status: 'enforced',
    how: 'domain/participant-tokens.ts (the stage ARN is a signed claim)',
    tests: [t('stage-sessions.test.ts', 'participant tokens are ES384 JWTs with the documented claims')],
  },
  {
    id: 'stage-tokens',
    rule: 'CreateStage answers one token per requested configuration, in order',
    covers: [{ owner: /^CreateStageResponse$/, text: /These correspond to the participants/ }],
    status: 'enforced',
    how: 'operations/stage-operations.ts',
    tests: [
      t(
        'api-operations.test.ts',
        'stage lifecycle: CreateStage with tokens, GetStage, UpdateStage, ListStages, DeleteStage',
      ),
    ],
  },
  {
    id: 'public-key-deleted',
    rule: 'Tokens signed with a deleted public key no longer join, those signed before the deletion too',
    covers: [{ owner: /^DeletePublicKey$/, text: /invalidates future participant tokens/ }],
    status: 'enforced',
    how:
      'domain/participant-tokens.ts resolves the key at join. The model speaks only of future tokens and is silent on earlier ones; ' +
      'refusing those too is a choice: a self-signed token’s iat is the signer’s own claim, so a holder of the private key could ' +
      'backdate a future token, and only refusing every token of the key enforces the sentence. Clients must not count on either ' +
      '(Showrunner deletes the stage with the key)',
    tests: [
      doc('DeletePublicKey: tokens signed with the deleted key no longer join, those signed before the deletion too'),
    ],
  },
  {
    id: 'tags',
    rule: 'TagResource merges, UntagResource removes; at most 50 tags; aws: keys are reserved; the ARN is URL-encoded in the path',
    covers: [
      { owner: /^(TagResource|UntagResource)$/, text: /^Adds or updates tags|^Removes tags/ },
      { owner: /^service$/, text: /^At most 50 tags/ },
      { owner: any, text: /restrictions that apply to tags/ },
      { owner: any, text: /The ARN must be URL-encoded/ },
    ],
    status: 'enforced',
    how: 'operations/tag-operations.ts, operations/resource-lookup.ts checkTags, protocol/operation-router.ts',
    tests: [
      t('api-operations.test.ts', 'tags round trip on every taggable resource type'),
      t('api-validation.test.ts', 'tagging beyond 50 tags in total is refused and changes nothing'),
      t('api-validation.test.ts', "tag keys starting with 'aws:' are reserved"),
      t('api-auth-and-isolation.test.ts', 'a correctly signed tags request with a URL-encoded ARN in the path works'),
    ],
  },
  {
    id: 'tags-stage-only',
    rule: 'Only stages support tagging',
    covers: [{ owner: /^service$/, text: /following resource supports tagging: Stage/ }],
    status: 'not-followed',
    reason:
      'The same model gives compositions, encoder, storage and ingest configurations and public keys a tags member on create and read; the emulator tags all of them, as those shapes allow.',
  },
  {
    id: 'replication',
    rule: 'Only a publishing participant is replicated; replication attributes merge over the token’s; the replica is a REPLICA with its source’s stage and session',
    covers: [
      { owner: /^StartParticipantReplication$/, text: any },
      { owner: /^StartParticipantReplicationRequest$/, text: /merged with any|attributes are replaced/ },
    ],
    status: 'enforced',
    how: 'domain/participant-replication.ts. "The values in these attributes are replaced" is ambiguous; the replication’s values win, as setting them asks',
    tests: [
      t('replication.test.ts', 'replicating a participant that is not publishing is a ConflictException'),
      doc('replication attributes are merged with the token attributes, the replication values replacing on overlap'),
    ],
  },
  {
    id: 'replication-fields',
    rule: 'replicationType (default NONE), sourceStageArn and sourceSessionId for REPLICA only, event destination fields for REPLICATION_* only, replica false unless a replica',
    covers: [
      {
        owner: /^Participant(Summary)?$/,
        text: /^Indicates if the participant has been replicated|^Default: NONE|if replicationType is REPLICA/,
      },
      {
        owner: /^Event$/,
        text: /^Applicable only if the event name is REPLICATION|^If true, this indicates|^Default: false/,
      },
    ],
    status: 'enforced',
    how: 'domain/participant-replication.ts, operations/session-operations.ts',
    tests: [
      t(
        'replication.test.ts',
        'a publishing participant is replicated to another stage as a REPLICA, until replication stops',
      ),
      doc('ListParticipantEvents: replica is false, its documented default, for a participant that is no replica'),
      doc('documented defaults are filled in: layouts, participant recording, tokens, ingest, replication type'),
    ],
  },
  {
    id: 'replication-reconnect',
    rule: 'Replication survives a source reconnecting within reconnectWindowSeconds (default 0)',
    covers: [{ owner: /^StartParticipantReplicationRequest$/, text: /will continue to be ACTIVE|^Default: 0/ }],
    status: 'not-followed',
    reason: 'Accepted and ignored: replication ends when the source leaves, which is what the default 0 does.',
  },
  {
    id: 'event-fields',
    rule: 'remoteParticipantId is absent for publish and join events; errorCode only on error events',
    covers: [
      {
        owner: /^Event$/,
        text: /^For a publish or join event|^If the event is an error event|^If the event is not an error event/,
      },
    ],
    status: 'enforced',
    how: 'domain/stage-participation.ts, operations/session-operations.ts',
    tests: [
      doc('ListParticipantEvents: replica is false, its documented default, for a participant that is no replica'),
      t(
        'stage-sessions.test.ts',
        'a SUBSCRIBE-only participant cannot publish: error and PUBLISH_ERROR INSUFFICIENT_CAPABILITIES',
      ),
    ],
  },
  {
    id: 'participant-events',
    rule: 'ListParticipantEvents lists the participant’s events of that session',
    covers: [{ owner: /^ListParticipantEvents$/, text: any }],
    status: 'enforced',
    how: 'domain/stage-participation.ts records them per session',
    tests: [t('stage-sessions.test.ts', 'participants: state, published, recordingState, filters and the event list')],
  },
  {
    id: 'subscribe-events',
    rule: 'Subscribe events name the publisher (remoteParticipantId) and its replica flag',
    covers: [{ owner: /^Event$/, text: /^For a subscribe event|^If this is a subscribe event/ }],
    status: 'not-followed',
    reason: 'Nothing subscribes in the emulator (no media plane), so there are no SUBSCRIBE_* events.',
  },
  {
    id: 'publish-error-codes',
    rule: 'PUBLISH_ERROR carries INSUFFICIENT_CAPABILITIES and QUOTA_EXCEEDED as documented',
    covers: [{ owner: /^Event$/, text: /^(INSUFFICIENT_CAPABILITIES|QUOTA_EXCEEDED) — / }],
    status: 'enforced',
    how: 'domain/stage-participation.ts',
    tests: [
      t(
        'stage-sessions.test.ts',
        'a SUBSCRIBE-only participant cannot publish: error and PUBLISH_ERROR INSUFFICIENT_CAPABILITIES',
      ),
      t('stage-sessions.test.ts', 'the 13th publisher of a stage is refused with QUOTA_EXCEEDED'),
    ],
  },
  {
    id: 'media-error-codes',
    rule: 'Media and subscribe error codes (B-frames, bitrate, codecs, input, resolution, duration, publisher not found, internal)',
    covers: [
      {
        owner: /^Event$/,
        text: /^(B_FRAME_PRESENT|BITRATE_EXCEEDED|INTERNAL_SERVER_EXCEPTION|INVALID_AUDIO_CODEC|INVALID_INPUT|INVALID_VIDEO_CODEC|PUBLISHER_NOT_FOUND|RESOLUTION_EXCEEDED|STREAM_DURATION_EXCEEDED) — /,
      },
    ],
    status: 'not-followed',
    reason: NO_MEDIA,
  },
  {
    id: 'ingest-error-codes',
    rule: 'Ingest refusals as participant events (INVALID_PROTOCOL, INVALID_STREAM_KEY, REUSE_OF_STREAM_KEY)',
    covers: [{ owner: /^Event$/, text: /^(INVALID_PROTOCOL|INVALID_STREAM_KEY|REUSE_OF_STREAM_KEY) — / }],
    status: 'not-followed',
    reason:
      'A refused encoder never becomes a participant here, so the codes come back as HTTP errors of /_emulator/ingest/connect (named in the message) instead of PUBLISH_ERROR events.',
  },
];
