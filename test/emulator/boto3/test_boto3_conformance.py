"""The emulator through boto3, a client we did not write: botocore serializes, signs, parses and paginates on its own.

Run by test/emulator/boto3-conformance.test.ts in the pinned virtual environment (requirements.txt), with
IVS_EMULATOR_ENDPOINT pointing at a running emulator, IVS_STORAGE_CONFIGURATION_ARN at a storage configuration
whose bucket exists and IVS_P384_PUBLIC_KEYS holding a JSON list of P-384 public keys (PEM). Each test is one documented rule seen through botocore's parsers and paginators.
"""
import datetime
import json
import os
import time
import unittest
import urllib.request

import boto3
import botocore
from botocore.exceptions import ClientError, ParamValidationError

ENDPOINT = os.environ["IVS_EMULATOR_ENDPOINT"]
STORAGE_ARN = os.environ["IVS_STORAGE_CONFIGURATION_ARN"]
UNKNOWN_STAGE = "arn:aws:ivs:us-east-1:123456789012:stage/AAAAAAAAAAAA"
# The standard library cannot make EC keys, so the node side passes a few P-384 public keys.
P384_PUBLIC_KEYS = json.loads(os.environ["IVS_P384_PUBLIC_KEYS"])


def client(access_key="test"):
    return boto3.client(
        "ivs-realtime",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key="test",
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


def control(path, body):
    """The emulator's simulation API (participants joining and publishing), which no AWS client has."""
    request = urllib.request.Request(
        f"{ENDPOINT}/_emulator{path}",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def error_code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e
    raise AssertionError("expected a ClientError")


class Boto3Conformance(unittest.TestCase):
    ivs = client()

    def stage(self, **kwargs):
        return self.ivs.create_stage(**kwargs)["stage"]["arn"]

    def join(self, stage_arn, publish=True, user_id="host"):
        token = self.ivs.create_participant_token(stageArn=stage_arn, userId=user_id)["participantToken"]
        return control("/participants/join", {"token": token["token"], "publish": publish}), token["token"]

    def test_timestamps_and_defaults_parse(self):
        created = self.ivs.create_stage(participantTokenConfigurations=[{"userId": "host"}])
        token = created["participantTokens"][0]
        self.assertIsInstance(token["expirationTime"], datetime.datetime)
        self.assertEqual((token["duration"], token["capabilities"]), (720, ["PUBLISH", "SUBSCRIBE"]))
        recording = created["stage"]["autoParticipantRecordingConfiguration"]
        self.assertEqual(recording["storageConfigurationArn"], "")
        self.assertEqual(recording["hlsConfiguration"], {"targetSegmentDurationSeconds": 6})

    def test_published_means_ever_published(self):
        stage = self.stage()
        host, token = self.join(stage)
        control("/participants/unpublish", {"token": token})
        listed = self.ivs.list_participants(stageArn=stage, sessionId=host["sessionId"], filterByPublished=True)
        self.assertEqual([(p["participantId"], p["published"]) for p in listed["participants"]],
                         [(host["participantId"], True)])

    def test_only_one_participant_filter(self):
        stage = self.stage()
        host, _ = self.join(stage)
        code, status, _ = error_code(lambda: self.ivs.list_participants(
            stageArn=stage, sessionId=host["sessionId"], filterByPublished=True, filterByUserId="host"))
        self.assertEqual((code, status), ("ValidationException", 400))

    def test_only_one_ingest_filter(self):
        stage = self.stage()
        code, status, _ = error_code(lambda: self.ivs.list_ingest_configurations(
            filterByStageArn=stage, filterByState="ACTIVE"))
        self.assertEqual((code, status), ("ValidationException", 400))

    def test_video_even_and_pixel_limit(self):
        code, _, e = error_code(lambda: self.ivs.create_encoder_configuration(video={"width": 1279, "height": 720}))
        self.assertEqual(code, "ValidationException")
        self.assertIn("even", str(e))
        code, _, e = error_code(lambda: self.ivs.create_encoder_configuration(video={"width": 1920, "height": 1200}))
        self.assertEqual(code, "ValidationException")
        self.assertIn("2073600", str(e))
        video = self.ivs.create_encoder_configuration(video={"width": 1080, "height": 1920})["encoderConfiguration"]["video"]
        self.assertEqual(video, {"width": 1080, "height": 1920, "framerate": 30.0, "bitrate": 2500000})

    def test_recording_settings_locked_while_recording(self):
        stage = self.stage(autoParticipantRecordingConfiguration={"storageConfigurationArn": STORAGE_ARN})
        host, token = self.join(stage)
        deadline = time.time() + 10
        while self.ivs.get_participant(stageArn=stage, sessionId=host["sessionId"], participantId=host["participantId"])[
                "participant"]["recordingState"] != "ACTIVE":
            self.assertLess(time.time(), deadline, "the recording never became ACTIVE")
            time.sleep(0.05)
        code, status, _ = error_code(lambda: self.ivs.update_stage(
            arn=stage, autoParticipantRecordingConfiguration={"storageConfigurationArn": ""}))
        self.assertEqual((code, status), ("ConflictException", 409))
        control("/participants/leave", {"token": token})

    def test_recording_location_empty_when_not_recorded(self):
        stage = self.stage()
        host, _ = self.join(stage)
        participant = self.ivs.get_participant(
            stageArn=stage, sessionId=host["sessionId"], participantId=host["participantId"])["participant"]
        self.assertEqual((participant["recordingS3BucketName"], participant["recordingS3Prefix"]), ("", ""))

    def test_redundant_ingest_credentials(self):
        stage = self.stage()
        plain = self.ivs.create_ingest_configuration(ingestProtocol="RTMPS", stageArn=stage)["ingestConfiguration"]
        self.assertNotIn("redundantIngestCredentials", plain)
        config = self.ivs.create_ingest_configuration(
            ingestProtocol="RTMPS", stageArn=stage, redundantIngest=True)["ingestConfiguration"]
        [credential] = config["redundantIngestCredentials"]
        self.assertRegex(credential["streamKey"], r"^rt_[0-9]+_[a-z0-9-]+_[a-zA-Z0-9-]+_.+$")
        connected = control("/ingest/connect", {"streamKey": credential["streamKey"]})
        participant = self.ivs.get_participant(
            stageArn=stage, sessionId=connected["sessionId"], participantId=credential["participantId"])["participant"]
        self.assertEqual((participant["redundantIngest"], participant["ingestConfigurationArn"]), (True, config["arn"]))

    def test_list_operations_on_an_unknown_stage_are_empty(self):
        self.assertEqual(self.ivs.list_stage_sessions(stageArn=UNKNOWN_STAGE)["stageSessions"], [])
        self.assertEqual(self.ivs.list_participants(stageArn=UNKNOWN_STAGE, sessionId="st-AAAAAAAAAAAAA")["participants"], [])
        self.assertEqual(self.ivs.list_participant_events(
            stageArn=UNKNOWN_STAGE, sessionId="st-AAAAAAAAAAAAA", participantId="AAAAAAAAAAAA")["events"], [])
        pages = self.ivs.get_paginator("list_participant_replicas").paginate(
            sourceStageArn=UNKNOWN_STAGE, participantId="AAAAAAAAAAAA")
        self.assertEqual([r for page in pages for r in page["replicas"]], [])
        code, status, _ = error_code(lambda: self.ivs.get_stage(arn=UNKNOWN_STAGE))
        self.assertEqual((code, status), ("ResourceNotFoundException", 404))

    def test_untag_resource_requires_tag_keys(self):
        stage = self.stage(tags={"a": "1", "b": "2"})
        with self.assertRaises(ParamValidationError):
            self.ivs.untag_resource(resourceArn=stage)
        self.ivs.untag_resource(resourceArn=stage, tagKeys=["a"])
        self.assertEqual(self.ivs.list_tags_for_resource(resourceArn=stage)["tags"], {"b": "2"})

    def test_header_bound_members_are_parsed(self):
        source, destination = self.stage(), self.stage()
        speaker, _ = self.join(source)
        ref = dict(sourceStageArn=source, destinationStageArn=destination, participantId=speaker["participantId"])
        started = self.ivs.start_participant_replication(**ref)
        for member in ("accessControlAllowOrigin", "accessControlExposeHeaders", "cacheControl", "contentSecurityPolicy",
                       "strictTransportSecurity", "xContentTypeOptions", "xFrameOptions"):
            self.assertTrue(started.get(member), f"{member} missing from StartParticipantReplicationResponse")
        stopped = self.ivs.stop_participant_replication(**ref)
        self.assertTrue(stopped.get("xFrameOptions"))
        _, _, e = error_code(lambda: self.ivs.get_stage(arn=UNKNOWN_STAGE))
        self.assertEqual(e.response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"], "ResourceNotFoundException")
        self.assertIn("x-frame-options", e.response["ResponseMetadata"]["HTTPHeaders"])

    def test_paginators(self):
        # The model's three paginators, each over more items than a page holds.
        ivs = client("210000000042")
        stage = ivs.create_stage()["stage"]["arn"]
        for _ in range(5):
            ivs.create_ingest_configuration(ingestProtocol="RTMPS", stageArn=stage)
        pages = list(ivs.get_paginator("list_ingest_configurations").paginate(
            filterByStageArn=stage, PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["ingestConfigurations"]) for p in pages], [2, 2, 1])
        self.assertEqual(len({c["arn"] for p in pages for c in p["ingestConfigurations"]}), 5)

        for pem in P384_PUBLIC_KEYS:
            ivs.import_public_key(publicKeyMaterial=pem)
        keys = ivs.get_paginator("list_public_keys").paginate(PaginationConfig={"PageSize": 2}).build_full_result()
        self.assertEqual(len(keys["publicKeys"]), len(P384_PUBLIC_KEYS))

        token = ivs.create_participant_token(stageArn=stage)["participantToken"]["token"]
        speaker = control("/participants/join", {"token": token, "publish": True})
        destinations = [ivs.create_stage()["stage"]["arn"] for _ in range(3)]
        for destination in destinations:
            ivs.start_participant_replication(
                sourceStageArn=stage, destinationStageArn=destination, participantId=speaker["participantId"])
        replicas = ivs.get_paginator("list_participant_replicas").paginate(
            sourceStageArn=stage, participantId=speaker["participantId"], PaginationConfig={"PageSize": 2})
        self.assertEqual(sorted(r["destinationStageArn"] for p in replicas for r in p["replicas"]), sorted(destinations))

    def test_composition_defaults_parse(self):
        stage = self.stage()
        self.join(stage)
        composition = self.ivs.start_composition(
            stageArn=stage,
            destinations=[{"channel": {"channelArn": "arn:aws:ivs:us-east-1:123456789012:channel/boto3boto3bo"}}],
        )["composition"]
        self.assertEqual(composition["layout"]["grid"]["gridGap"], 2)
        self.assertIsInstance(composition["startTime"], datetime.datetime)
        self.ivs.stop_composition(arn=composition["arn"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
