#!/usr/bin/env python3
"""Regenerates the record field tables of docs/records.md and docs/flows.md from the plugins'
declared fields (`netfeed schema --markdown WHAT`), between <!-- schema:WHAT:begin --> and
<!-- schema:WHAT:end --> markers. WHAT is a record kind, `envelope` or `enrichers`.

    scripts/update-record-docs.py build/netfeed          # rewrite the docs
    scripts/update-record-docs.py build/netfeed --check  # exit 1 when a table is out of date
"""
import pathlib
import re
import subprocess
import sys

import generated_blocks

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "records.md", ROOT / "docs" / "flows.md"]
BLOCK = re.compile(r"(<!-- schema:([a-z_]+):begin -->\n)(.*?)(<!-- schema:\2:end -->)", re.S)


def main():
    binary, check = sys.argv[1], "--check" in sys.argv
    tables = {}

    def table(match):
        what = match.group(2)
        if what not in tables:
            tables[what] = subprocess.run([binary, "schema", "--markdown", what],
                                          capture_output=True, text=True, check=True).stdout
        return tables[what]

    files = [(doc, BLOCK, table, "a field table (`netfeed schema --markdown`)") for doc in DOCS]
    return generated_blocks.refresh(files, check, "scripts/update-record-docs.py build/netfeed")


if __name__ == "__main__":
    sys.exit(main())
