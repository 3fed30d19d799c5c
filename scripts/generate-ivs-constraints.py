#!/usr/bin/env python3
"""Regenerate the emulator's tables from botocore's published IVS Real-Time model.

Writes two files, both from the same pinned botocore:
- emulator/src/model/ivs-realtime-constraints.json: the machine-readable constraints the emulator validates every
  request against (required members, lengths, ranges, patterns, enums, HTTP bindings, each operation's error list),
  and the regions the service has endpoints in (botocore's endpoints.json), which are the only regions it serves.
- emulator/conformance/model-statements.json: every sentence of the model's documentation that states behaviour
  (defaults, exclusive filters, state rules, conditional presence, value rules, meanings of fields), classified, plus
  each operation's error list as a statement. emulator/conformance.md is rendered from it and the hand-kept rules
  (scripts/conformance-table.ts); the rest of the prose is counted but not kept.

Usage: python3 scripts/generate-ivs-constraints.py [--botocore DIR] [--check]
Without --botocore it downloads the pinned botocore wheel from PyPI with pip; DIR is an installed botocore package
(e.g. a virtual environment's site-packages/botocore). --check writes nothing and exits 1 when a file would change.
"""
import argparse
import gzip
import hashlib
import html
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

BOTOCORE_VERSION = "1.43.11"
MODEL_PATH = "data/ivs-realtime/2020-07-14/service-2.json.gz"
ENDPOINTS_PATH = "data/endpoints.json"
ROOT = pathlib.Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "emulator" / "src" / "model" / "ivs-realtime-constraints.json"
STATEMENTS = ROOT / "emulator" / "conformance" / "model-statements.json"

# Constraint keys worth keeping per shape; everything else (documentation, examples) is dropped.
SHAPE_KEYS = ("type", "required", "min", "max", "pattern", "enum", "box", "timestampFormat", "sensitive", "exception", "fault")
MEMBER_KEYS = ("shape", "location", "locationName", "idempotencyToken")

# Where the published model contradicts the live service, the service wins: the emulator must accept what
# AWS accepts. Each entry says why.
MODEL_DEFECTS = {
    ("ResourceArn", "pattern"): (
        "arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+",
        "the model's [a-z-] matches one character, so no real ARN (stage/, composition/ ...) would pass; "
        "TagResource on a stage works against AWS",
    ),
    ("ParticipantRecordingS3Prefix", "pattern"): (
        "[a-zA-Z0-9/-]*",
        "the model's [a-zA-Z0-9-]* has no '/', but the user guide documents the prefix as "
        "<stageId>/<sessionId>/<participantId>/<timestamp> and the service returns it so",
    ),
}

# Kinds of behaviour a documentation sentence can state, tried in order; the first pattern that matches wins. A
# sentence matching none is descriptive ("ARN of the stage.") and is only counted. Tuned on the whole model: when the
# model changes, --check fails and a new sentence lands here or in a rule.
STATEMENT_KINDS = (
    ("default", r"\bDefault(s)?\b[: ]|default value is|defaults to|When not set|When this is not set explicitly"
                r"|will get reset to their defaults"),
    ("exclusivity", r"Only one|Either a channel or an s3|either one destination|not both|You can enable both"),
    ("state", r"cannot be (updated|deleted|started)|that is active cannot|while recording is active|unless force"
              r"|StopComposition and wait|no Compositions are using|If you try to delete"),
    ("presence", r"present only when|\"\" \(empty string\)|if replicationType is|This is null if|Applicable only if"
                 r"|this field is null|this is null|For a subscribe event|If this is a subscribe event"
                 r"|If the event is an error event"),
    ("value", r"must be|maximum|at most|At most|must not|even number|URL-encoded|1 KB total|does not need to be unique"
              r"|cannot be started unless|This is configurable only|whichever is smaller|same AWS account and region"
              r"|must be specified|UTF-8 encoded text|restrictions that apply to tags"),
    ("meaning", r"\bever\b|It is ACTIVE if|If true, this indicates|Filters the|begins when|ends after"
                r"|stops and the resource is deleted|After a 1-minute timeout|When broadcasting|When StopComposition"
                r"|DisconnectParticipant also|also removes the stageArn|disconnecting all participants|merged together"
                r"|attributes are replaced|merged with any|will continue to be ACTIVE|not recorded"
                r"|disconnected from the stage, followed by|invalidates future|always are scoped"
                r"|exists after this operation|returned as a string|in your account, in the AWS region|use nextToken"
                r"|Any broadcast from|IVS tries to record to the same|Stops and deletes|SEQUENTIAL records|LATEST saves"
                r"|can no longer be used|Only the stage ARN|Segments may have|placed in the (featured|PiP) slot"
                r"|ordered based on their arrival|IVS will modify|following resource supports tagging"
                r"|Whether the participant is connected|These correspond to|Indicates whether redundant ingest"
                r"|Indicates if the participant has been replicated|ID of the active session|Whether the stage allows"
                r"|Maximum number of|Idempotency token|Types of media to be recorded|thumbnail-generation interval"
                r"|target duration for recorded segments|after which the .*token expires|capabilities that the user"
                r"|attach to a stage|Location \(S3 bucket name\)|bucket prefix under which the recording"
                r"|^Video-resolution|^Video frame rate|^Bitrate for generated output|^Disconnects a specified"
                r"|^Starts replicating a publishing|occurred during a specified stage session|^Adds or updates tags"
                r"|^Removes tags|^[A-Z_]+ — "),
)


def load(botocore_dir):
    """(model, endpoints, source) from an installed botocore, or from the pinned wheel on PyPI."""
    if botocore_dir:
        base = pathlib.Path(botocore_dir)
        raw_model, raw_endpoints = (base / MODEL_PATH).read_bytes(), (base / ENDPOINTS_PATH).read_bytes()
        version = re.search(r"__version__ = '([^']+)'", (base / "__init__.py").read_text()).group(1)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                 "-d", tmp, f"botocore=={BOTOCORE_VERSION}"],
                check=True,
            )
            wheel = next(pathlib.Path(tmp).glob("botocore-*.whl"))
            with zipfile.ZipFile(wheel) as zf:
                raw_model = zf.read(f"botocore/{MODEL_PATH}")
                raw_endpoints = zf.read(f"botocore/{ENDPOINTS_PATH}")
        version = BOTOCORE_VERSION
    if version != BOTOCORE_VERSION:
        sys.exit(f"botocore {version} found, but the tables are pinned to botocore=={BOTOCORE_VERSION}")
    if raw_model[:2] == b"\x1f\x8b":
        raw_model = gzip.decompress(raw_model)
    source = {"package": f"botocore=={BOTOCORE_VERSION}", "path": f"botocore/{MODEL_PATH}",
              "sha256": hashlib.sha256(raw_model).hexdigest()}
    return json.loads(raw_model), json.loads(raw_endpoints), source


def strip_shape(name, shape):
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if "error" in shape:
        out["httpStatusCode"] = shape["error"].get("httpStatusCode")
    if "members" in shape:
        out["members"] = {
            m: {k: v for k, v in spec.items() if k in MEMBER_KEYS} for m, spec in shape["members"].items()
        }
    for key in ("member", "key", "value"):
        if key in shape:
            out[key] = shape[key]["shape"]
    for (shape_name, key), (value, _why) in MODEL_DEFECTS.items():
        if shape_name == name:
            out[key] = value
    return out


def regions(endpoints, service):
    """Regions of the aws partition where botocore knows an endpoint of the service (global aliases left out)."""
    for partition in endpoints["partitions"]:
        if partition["partition"] == "aws":
            known = partition["services"].get(service, {}).get("endpoints", {})
            return sorted(r for r in known if re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", r))
    return []


def constraints(model, endpoints, source):
    operations = {}
    for name, op in sorted(model["operations"].items()):
        operations[name] = {
            "method": op["http"]["method"],
            "uri": op["http"]["requestUri"],
            "status": op["http"].get("responseCode", 200),
            "input": op.get("input", {}).get("shape"),
            "output": op.get("output", {}).get("shape"),
            "errors": [e["shape"] for e in op.get("errors", [])],
        }
    return {
        "generatedBy": "scripts/generate-ivs-constraints.py",
        "source": source,
        "metadata": {k: model["metadata"][k] for k in ("apiVersion", "endpointPrefix", "signingName", "protocol", "serviceId")},
        "regions": {"ivsRealtime": regions(endpoints, "ivsrealtime"), "sts": regions(endpoints, "sts")},
        "modelDefectsOverridden": [
            {"shape": s, "key": k, "value": v, "why": why} for (s, k), (v, why) in MODEL_DEFECTS.items()
        ],
        "operations": operations,
        "shapes": {name: strip_shape(name, shape) for name, shape in sorted(model["shapes"].items())},
    }


def sentences(documentation):
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", documentation or ""))).strip()
    text = re.sub(r" ([.,;:)])", r"\1", text)
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", text) if s]


def kind_of(sentence):
    for kind, pattern in STATEMENT_KINDS:
        if re.search(pattern, sentence):
            return kind
    return None


def statements(model, source):
    """Behavioural sentences grouped by owner (operation or shape) and text; member names gathered per group."""
    grouped = {}
    described = 0

    def add(owner, member, documentation):
        nonlocal described
        for sentence in sentences(documentation):
            kind = kind_of(sentence)
            if kind is None:
                described += 1
                continue
            entry = grouped.setdefault((owner, sentence), {"kind": kind, "owner": owner, "members": [], "text": sentence})
            if member and member not in entry["members"]:
                entry["members"].append(member)

    add("service", None, model.get("documentation"))
    for name, op in sorted(model["operations"].items()):
        add(name, None, op.get("documentation"))
    for name, shape in sorted(model["shapes"].items()):
        add(name, None, shape.get("documentation"))
        for member, spec in shape.get("members", {}).items():
            add(name, member, spec.get("documentation"))
    found = sorted(grouped.values(), key=lambda s: (s["owner"], s["text"]))
    for name, op in sorted(model["operations"].items()):
        errors = [e["shape"] for e in op.get("errors", [])]
        found.append({"kind": "errors", "owner": name, "members": [],
                      "text": f"{name} can return {', '.join(errors)}."})
    return {
        "generatedBy": "scripts/generate-ivs-constraints.py",
        "source": source,
        "descriptiveSentences": described,
        "statements": found,
    }


def write_or_check(path, data, check):
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    current = path.read_text() if path.exists() else None
    if check:
        if current != text:
            print(f"{path.relative_to(ROOT)} is out of date with botocore=={BOTOCORE_VERSION}: "
                  "run npm run generate:constraints", file=sys.stderr)
            return False
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--botocore", help="an installed botocore package directory instead of the PyPI wheel")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    args = parser.parse_args()
    model, endpoints, source = load(args.botocore)
    table = constraints(model, endpoints, source)
    found = statements(model, source)
    ok = write_or_check(CONSTRAINTS, table, args.check) & write_or_check(STATEMENTS, found, args.check)
    if not args.check:
        print(f"wrote {CONSTRAINTS.relative_to(ROOT)} ({len(table['operations'])} operations, {len(table['shapes'])} "
              f"shapes) and {STATEMENTS.relative_to(ROOT)} ({len(found['statements'])} statements, "
              f"{found['descriptiveSentences']} descriptive sentences) from {source['package']}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
