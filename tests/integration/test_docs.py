"""The plugin READMEs' option tables and the record field tables of docs/records.md and
docs/flows.md are generated from the code; fail when they drift."""
import os
import subprocess
import sys
import unittest

from netfeed_harness import NETFEED, SOURCE_DIR


def check_generated(test, script_name):
    """Runs scripts/SCRIPT_NAME --check against the built binary: it fails on any drift."""
    script = os.path.join(SOURCE_DIR, "scripts", script_name)
    result = subprocess.run([sys.executable, script, NETFEED, "--check"], capture_output=True,
                            text=True, timeout=120)
    test.assertEqual(result.returncode, 0, result.stderr)


class ReadmeOptionTables(unittest.TestCase):
    def test_readmes_match_the_option_tables_in_code(self):
        check_generated(self, "update-readmes.py")


class RecordFieldTables(unittest.TestCase):
    def test_record_docs_match_the_declared_fields(self):
        check_generated(self, "update-record-docs.py")


if __name__ == "__main__":
    unittest.main()
