#!/usr/bin/env python3
"""Writes the published record schemas (`netfeed schema`) to tests/schemas/<kind>.json, the copy
test_schema_compat compares new builds against. Run it when a release publishes the schemas, or
after raising schema_version (agent/record_json.hpp) for an incompatible change.

    scripts/freeze-record-schemas.py build/netfeed
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    out = subprocess.run([sys.argv[1], "schema"], capture_output=True, text=True, check=True)
    target = ROOT / "tests" / "schemas"
    target.mkdir(exist_ok=True)
    for kind, schema in json.loads(out.stdout).items():
        (target / f"{kind}.json").write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
