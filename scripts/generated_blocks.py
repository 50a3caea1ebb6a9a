"""What update-readmes.py and update-record-docs.py share: rewrite the generated blocks of
markdown files (text between begin/end markers) from the program's output, or, with --check,
only say which files are out of date."""
import sys


def refresh(files, check, hint):
    """`files`: (path, block regex, fill, what) per file, where the regex's first group is the
    begin marker and its last the end marker, and fill(match) returns the block's new text.
    Returns the exit code: 1 when --check found a stale or unmarked file."""
    stale = []
    for path, block, fill, what in files:
        text = path.read_text()
        if not block.search(text):
            stale.append(f"{path}: no generated block ({what})")
            continue
        updated = block.sub(lambda m: m.group(1) + fill(m) + m.group(m.lastindex), text)
        if updated != text:
            stale.append(f"{path}: {what} differs from the code")
            if not check:
                path.write_text(updated)
    if check and stale:
        print("\n".join(stale) + f"\nrun {hint}", file=sys.stderr)
        return 1
    return 0
