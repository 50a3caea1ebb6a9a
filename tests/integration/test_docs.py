"""The plugin READMEs' option tables and the record field tables of docs/records.md and
docs/flows.md are generated from the code; fail when they drift."""
import os
import subprocess
import sys
import unittest

from netfeed_harness import NETFEED, SOURCE_DIR


class ReadmeOptionTables(unittest.TestCase):
    def test_readmes_match_the_option_tables_in_code(self):
        script = os.path.join(SOURCE_DIR, "scripts", "update-readmes.py")
        result = subprocess.run([sys.executable, script, NETFEED, "--check"], capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)


class RecordFieldTables(unittest.TestCase):
    def test_record_docs_match_the_declared_fields(self):
        script = os.path.join(SOURCE_DIR, "scripts", "update-record-docs.py")
        result = subprocess.run([sys.executable, script, NETFEED, "--check"], capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main()
