"""The plugin READMEs' option tables are generated from the code; fail when they drift."""
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


if __name__ == "__main__":
    unittest.main()
