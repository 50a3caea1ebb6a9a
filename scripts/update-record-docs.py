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

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "records.md", ROOT / "docs" / "flows.md"]
BLOCK = re.compile(r"(<!-- schema:([a-z_]+):begin -->\n)(.*?)(<!-- schema:\2:end -->)", re.S)


def main():
    binary, check = sys.argv[1], "--check" in sys.argv
    stale = []
    tables = {}

    def table(what):
        if what not in tables:
            tables[what] = subprocess.run([binary, "schema", "--markdown", what],
                                          capture_output=True, text=True, check=True).stdout
        return tables[what]

    for doc in DOCS:
        text = doc.read_text()
        if not BLOCK.search(text):
            stale.append(f"{doc}: no <!-- schema:WHAT:begin --> ... <!-- schema:WHAT:end --> block")
            continue
        updated = BLOCK.sub(lambda m: m.group(1) + table(m.group(2)) + m.group(4), text)
        if updated != text:
            stale.append(f"{doc}: a field table differs from `netfeed schema --markdown`")
            if not check:
                doc.write_text(updated)
    if check and stale:
        print("\n".join(stale) + "\nrun scripts/update-record-docs.py build/netfeed",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
