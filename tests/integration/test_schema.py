"""`netfeed schema`: JSON Schema (draft 2020-12) for every record kind, one kind, the fields a
config's enrichers add; checked with python3-jsonschema, an implementation that is not ours."""
import json
import os
import subprocess
import tempfile
import unittest

from jsonschema import Draft202012Validator

from netfeed_harness import NETFEED, validate_record


def schema(*args):
    out = subprocess.run([NETFEED, "schema", *args], capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


class RecordSchemaCommand(unittest.TestCase):
    def test_every_kind_has_a_valid_draft_2020_12_schema(self):
        code, out, err = schema()
        self.assertEqual(code, 0, err)
        schemas = json.loads(out)
        self.assertLessEqual({"syslog", "flow", "snmp", "trap", "nxapi", "status", "test"},
                             set(schemas))
        for kind, s in schemas.items():
            Draft202012Validator.check_schema(s)
            self.assertEqual(s["$schema"], "https://json-schema.org/draft/2020-12/schema")
            self.assertEqual(s["properties"]["kind"]["const"], kind)
            self.assertEqual(s["required"],
                             ["kind", "time", "time_received", "device", "device_address"])

    def test_one_kind_is_that_entry_of_the_whole(self):
        _, whole, _ = schema()
        code, out, err = schema("flow")
        self.assertEqual(code, 0, err)
        flow = json.loads(out)
        self.assertEqual(flow, json.loads(whole)["flow"])
        # NetFlow, NSEL, biflow and sFlow fields alike, with their JSON types.
        props = flow["properties"]
        self.assertEqual(props["src_port"]["type"], "integer")
        self.assertEqual(props["fw_event"]["type"], "integer")
        self.assertEqual(props["reverse_bytes"]["x-unit"], "bytes")
        self.assertEqual(props["src_mac"]["type"], "string")
        self.assertEqual(props["extra"]["additionalProperties"], {"type": "string"})

    def test_the_schema_accepts_a_real_record_and_refuses_a_changed_type(self):
        _, out, _ = schema("syslog")
        validator = Draft202012Validator(json.loads(out))
        record = {"kind": "syslog", "time": "2026-11-23T01:00:00.000000Z",
                  "time_received": "2026-11-23T01:00:00.000000Z", "device": "r1",
                  "device_address": "192.0.2.1", "syslog_format": "rfc3164", "severity": None,
                  "facility": None, "hostname": "r1", "app_name": "x", "message": "m",
                  "transport": "udp"}
        self.assertEqual(list(validator.iter_errors(record)), [])
        record["severity"] = "5"
        self.assertEqual([e.absolute_path[0] for e in validator.iter_errors(record)],
                         ["severity"])
        record["severity"] = 5
        record["kind"] = "flow"
        self.assertEqual(len(list(validator.iter_errors(record))), 1)

    def test_the_harness_check_of_read_back_records_can_fail(self):
        record = {"kind": "flow", "time": "2026-11-23T01:00:00.000000Z",
                  "time_received": "2026-11-23T01:00:00.000000Z", "device": "r1",
                  "device_address": "192.0.2.1", "src_port": 443, "bytes": 10}
        validate_record(json.dumps(record))
        with self.assertRaisesRegex(AssertionError, "src_port"):
            validate_record(dict(record, src_port="443"))
        with self.assertRaisesRegex(AssertionError, "unknown kind"):
            validate_record(dict(record, kind="flows"))
        # A Connect envelope is checked by its payload; its nulls are absent fields.
        validate_record({"schema": {}, "payload": dict(record, dst_port=None)})

    def test_a_config_adds_the_fields_of_its_enrichers_on_their_kinds(self):
        work = tempfile.mkdtemp(prefix="netfeed_schema_")
        inventory = os.path.join(work, "inventory.csv")
        with open(inventory, "w") as f:
            f.write("hostname,site,rack\nr1,lax,r12\nr2,,r13\n")
        config = os.path.join(work, "netfeed.yaml")
        with open(config, "w") as f:
            f.write(f"""
collectors:
  - {{type: generator, count: 1}}
enrichers:
  - {{type: protocol, kinds: [flow], services: false}}
  - {{type: inventory, path: {inventory}, match_field: in_inventory}}
""")
        code, out, err = schema("-c", config)
        self.assertEqual(code, 0, err)
        schemas = json.loads(out)
        flow, syslog = schemas["flow"]["properties"], schemas["syslog"]["properties"]
        self.assertEqual(flow["proto_name"]["x-enricher"], "protocol")
        self.assertIn("tcp_flags_text", flow)
        self.assertNotIn("src_service", flow)  # services: false
        self.assertNotIn("proto_name", syslog)  # kinds: [flow]
        # The inventory's real columns, on every kind.
        for props in (flow, syslog):
            self.assertEqual(props["in_inventory"]["type"], "boolean")
            self.assertEqual(props["inventory_site"]["type"], "string")
            self.assertEqual(props["inventory_rack"]["type"], "string")
        _, plain, _ = schema()
        self.assertNotIn("proto_name", json.loads(plain)["flow"]["properties"])

    def test_unknown_kind_and_bad_config_exit_2(self):
        code, _, err = schema("flows")
        self.assertEqual(code, 2)
        self.assertIn("no record kind 'flows'", err)
        work = tempfile.mkdtemp(prefix="netfeed_schema_")
        config = os.path.join(work, "netfeed.yaml")
        with open(config, "w") as f:
            f.write("enrichers:\n  - {type: protocl}\n")
        code, _, err = schema("-c", config)
        self.assertEqual(code, 2)
        self.assertIn("protocl", err)


if __name__ == "__main__":
    unittest.main()
