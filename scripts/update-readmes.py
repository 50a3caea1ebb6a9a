#!/usr/bin/env python3
"""Regenerates the options table of every plugin README from the code (`netfeed options
--markdown`), between the <!-- options:begin --> and <!-- options:end --> markers.

    scripts/update-readmes.py build/netfeed          # rewrite the READMEs
    scripts/update-readmes.py build/netfeed --check  # exit 1 when a README is out of date
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- options:begin -->\n)(.*?)(<!-- options:end -->)", re.S)


def plugin_readmes():
    for kind in ("collectors", "enrichers", "sinks"):
        for folder in sorted((ROOT / kind).iterdir()):
            if folder.is_dir() and folder.name != "common":
                yield f"{kind}/{folder.name}", folder / "README.md"


def main():
    binary, check = sys.argv[1], "--check" in sys.argv
    stale = []
    for plugin, readme in plugin_readmes():
        table = subprocess.run([binary, "options", "--markdown", plugin], capture_output=True,
                               text=True, check=True).stdout
        text = readme.read_text()
        if not BLOCK.search(text):
            stale.append(f"{readme}: no <!-- options:begin --> ... <!-- options:end --> block")
            continue
        updated = BLOCK.sub(lambda m: m.group(1) + table + m.group(3), text)
        if updated != text:
            stale.append(f"{readme}: options table differs from `netfeed options --markdown {plugin}`")
            if not check:
                readme.write_text(updated)
    if check and stale:
        print("\n".join(stale) + "\nrun scripts/update-readmes.py build/netfeed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
