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

import generated_blocks

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- options:begin -->\n)(.*?)(<!-- options:end -->)", re.S)


def plugin_readmes():
    for kind in ("collectors", "enrichers", "sinks"):
        for folder in sorted((ROOT / kind).iterdir()):
            if folder.is_dir() and folder.name != "common":
                yield f"{kind}/{folder.name}", folder / "README.md"


def main():
    binary, check = sys.argv[1], "--check" in sys.argv

    def table(plugin):
        return subprocess.run([binary, "options", "--markdown", plugin], capture_output=True,
                              text=True, check=True).stdout

    files = [(readme, BLOCK, lambda m, plugin=plugin: table(plugin),
              f"the options table (`netfeed options --markdown {plugin}`)")
             for plugin, readme in plugin_readmes()]
    return generated_blocks.refresh(files, check, "scripts/update-readmes.py build/netfeed")


if __name__ == "__main__":
    sys.exit(main())
