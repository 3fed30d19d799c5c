#!/usr/bin/env python3
"""Regenerate emulator/src/model/ivs-realtime-constraints.json from botocore's published IVS Real-Time model.

The emulator validates every request against these tables, so they must come from the published model,
not from hand-copied rules. Only the machine-readable constraints are kept: the model's documentation
strings are AWS's prose and are deliberately dropped.

Usage: python3 scripts/generate-ivs-constraints.py [--model path/to/service-2.json(.gz)]
Without --model it downloads the pinned botocore wheel from PyPI with pip.
"""
import argparse
import gzip
import hashlib
import io
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

BOTOCORE_VERSION = "1.43.11"
MODEL_PATH = "botocore/data/ivs-realtime/2020-07-14/service-2.json.gz"
OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "emulator" / "src" / "model" / "ivs-realtime-constraints.json"

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
}


def load_model(path):
    if path:
        raw = pathlib.Path(path).read_bytes()
        source = {"file": str(path)}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                 "-d", tmp, f"botocore=={BOTOCORE_VERSION}"],
                check=True,
            )
            wheel = next(pathlib.Path(tmp).glob("botocore-*.whl"))
            with zipfile.ZipFile(wheel) as zf:
                raw = zf.read(MODEL_PATH)
        source = {"package": f"botocore=={BOTOCORE_VERSION}", "path": MODEL_PATH}
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    source["sha256"] = hashlib.sha256(raw).hexdigest()
    return json.loads(raw), source


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a local service-2.json or service-2.json.gz instead of the PyPI wheel")
    args = parser.parse_args()
    model, source = load_model(args.model)
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
    out = {
        "generatedBy": "scripts/generate-ivs-constraints.py",
        "source": source,
        "metadata": {k: model["metadata"][k] for k in ("apiVersion", "endpointPrefix", "signingName", "protocol", "serviceId")},
        "modelDefectsOverridden": [
            {"shape": s, "key": k, "value": v, "why": why} for (s, k), (v, why) in MODEL_DEFECTS.items()
        ],
        "operations": operations,
        "shapes": {name: strip_shape(name, shape) for name, shape in sorted(model["shapes"].items())},
    }
    OUTPUT.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")
    print(f"wrote {OUTPUT} ({len(operations)} operations, {len(out['shapes'])} shapes) from {source}")


if __name__ == "__main__":
    main()
