"""The published record schemas (tests/schemas/, frozen by scripts/freeze-record-schemas.py)
stay readable: a field removed or changed in type fails here unless schema_version rose."""
import copy
import json
import os
import subprocess
import unittest

from netfeed_harness import NETFEED, SOURCE_DIR
from schema_compat import incompatibilities

FROZEN = os.path.join(SOURCE_DIR, "tests", "schemas")


def frozen_schemas():
    out = {}
    for name in sorted(os.listdir(FROZEN)):
        if name.endswith(".json"):
            with open(os.path.join(FROZEN, name)) as f:
                out[name[:-5]] = json.load(f)
    return out


def current_schemas():
    out = subprocess.run([NETFEED, "schema"], capture_output=True, text=True, timeout=60,
                         check=True)
    return json.loads(out.stdout)


class PublishedSchemas(unittest.TestCase):
    def test_current_schemas_read_every_frozen_record_or_the_version_rose(self):
        published, current = frozen_schemas(), current_schemas()
        self.assertIn("flow", published)
        for kind, schema in current.items():
            version, frozen_version = schema["x-schema-version"], None
            if kind in published:
                frozen_version = published[kind]["x-schema-version"]
                self.assertGreaterEqual(version, frozen_version, kind)
            if frozen_version is not None and version > frozen_version:
                # A new version may break readers on purpose; freeze it to publish it.
                published.pop(kind)
        problems = incompatibilities(published, current)
        self.assertEqual(problems, [], "an incompatible record change needs a higher "
                         "schema_version (agent/record_json.hpp), then "
                         "scripts/freeze-record-schemas.py build/netfeed")

    def test_the_rules(self):
        """What counts as incompatible, on a copy of the real flow schema."""
        published = {"flow": current_schemas()["flow"]}
        same = copy.deepcopy(published)
        self.assertEqual(incompatibilities(published, same), [])

        added = copy.deepcopy(published)
        added["flow"]["properties"]["new_field"] = {"type": "integer"}
        self.assertEqual(incompatibilities(published, added), [])

        removed = copy.deepcopy(published)
        del removed["flow"]["properties"]["src_port"]
        self.assertEqual(incompatibilities(published, removed), ["flow.src_port: removed"])

        retyped = copy.deepcopy(published)
        retyped["flow"]["properties"]["bytes"]["type"] = "string"
        self.assertEqual(len(incompatibilities(published, retyped)), 1)

        nullable = copy.deepcopy(published)
        nullable["flow"]["properties"]["bytes"]["type"] = ["integer", "null"]
        self.assertEqual(len(incompatibilities(published, nullable)), 1)

        map_values = copy.deepcopy(published)
        map_values["flow"]["properties"]["extra"]["additionalProperties"] = {"type": "integer"}
        self.assertEqual(len(incompatibilities(published, map_values)), 1)

        items = copy.deepcopy(published)
        items["flow"]["properties"]["as_path"]["items"] = {"type": "string"}
        self.assertEqual(len(incompatibilities(published, items)), 1)

        self.assertEqual(incompatibilities(published, {}), ["flow: the kind is gone"])


if __name__ == "__main__":
    unittest.main()
