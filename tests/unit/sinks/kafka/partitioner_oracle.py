"""Oracle for partitioner_test.cpp: kafka-python's murmur2 partitioner and Python's UTF-16.

Usage: partitioner_oracle.py [--partitions 1,3,4,6,12] [--utf16] FILE

FILE has one key per line in hex (an empty line is an empty key). For each key one output line:

    <murmur2> <partition for each count...>

where <murmur2> is kafka-python's murmur2(key) as a signed 32-bit number (Java's int; kafka-python
returns it unsigned) and each partition is what kafka-python's DefaultPartitioner picks, i.e.
(murmur2 & 0x7fffffff) % count.

With --utf16 each line is instead UTF-8 text in hex, decoded with errors="replace", encoded with
str.encode("utf-16"), and the output line starts with those bytes in hex ("-" if empty, which
cannot happen: the BOM is always there) before the murmur2 and partitions of those bytes.

Exit status 3 means the kafka module is missing.
"""

import argparse
import sys

try:
    from kafka.partitioner.default import DefaultPartitioner, murmur2
except ImportError as error:
    sys.stderr.write(
        "partitioner_oracle: cannot import kafka-python (%s); "
        "scripts/install-deps.sh installs python3-kafka\n" % error)
    sys.exit(3)


def signed32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def describe(key, counts, partitioner):
    fields = [str(signed32(murmur2(key)))]
    for count in counts:
        partitions = list(range(count))
        fields.append(str(partitioner(key, partitions, partitions)))
    return fields


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--partitions", default="1,3,4,6,12,100")
    parser.add_argument("--utf16", action="store_true")
    parser.add_argument("file")
    args = parser.parse_args()
    counts = [int(c) for c in args.partitions.split(",") if c]
    partitioner = DefaultPartitioner()

    out = []
    with open(args.file, "r", encoding="ascii") as keys:
        for line in keys:
            data = bytes.fromhex(line.rstrip("\n"))
            if args.utf16:
                data = data.decode("utf-8", errors="replace").encode("utf-16")
                out.append(" ".join([data.hex() or "-"] + describe(data, counts, partitioner)))
            else:
                out.append(" ".join(describe(data, counts, partitioner)))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
