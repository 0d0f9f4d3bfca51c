#!/usr/bin/env python3
"""Labels of SNV examples by the share of their reads below MAPQ 60 (at the candidate column).

Reads the example shards that `genodose make-examples` writes (format in
include/genodose/calling/example_io.hpp) and prints, for each folder group, how many hom-ref,
het and hom-alt examples fall in each class of low-MAPQ share. It shows what the caller can
learn from mapping quality: in the simulated training data a candidate with any read below
MAPQ 60 is mostly hom-ref; whether that holds in real data depends on the aligner.

Usage: example-mapq-labels.py FOLDER [FOLDER...]   (folders of examples-*.gdx.gz shards)
"""
import collections
import glob
import gzip
import struct
import sys

CLASSES = ["none", "< 5%", "5-15%", "15-30%", ">= 30%"]
CHANNEL_BASE, CHANNEL_MAPPING_QUALITY = 0, 2
MAPQ_60 = 254  # min(mq, 60) / 60 x 254 (pileup_encoder.hpp)
KIND_SNV = 0


def examples(path):
    with gzip.open(path, "rb") as handle:
        if handle.read(8) != b"GDEXMPL1":
            sys.exit("%s: not a genodose example shard" % path)
        height, width, channels, reference_rows = struct.unpack("<4I", handle.read(16))
        size = height * width * channels
        while True:
            head = handle.read(16)
            if len(head) < 16:
                return
            _position, label, kind, _length, _reserved = struct.unpack("<qbBhI", head)
            yield label, kind, (height, width, channels, reference_rows), handle.read(size)


def low_mapq_class(tensor, shape):
    height, width, channels, reference_rows = shape
    centre = width // 2
    reads = low = 0
    for row in range(reference_rows, height):
        pixel = (row * width + centre) * channels
        if tensor[pixel + CHANNEL_BASE] == 0 and tensor[pixel + CHANNEL_MAPPING_QUALITY] == 0:
            continue  # empty row, or the read does not cover the candidate
        reads += 1
        if tensor[pixel + CHANNEL_MAPPING_QUALITY] < MAPQ_60:
            low += 1
    if reads == 0:
        return None
    share = low / reads
    return 0 if low == 0 else 1 if share < 0.05 else 2 if share < 0.15 else 3 if share < 0.30 else 4


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: example-mapq-labels.py FOLDER [FOLDER...]")
    counts = collections.Counter()
    for folder in sys.argv[1:]:
        shards = sorted(glob.glob(folder + "/examples-*.gdx.gz"))
        if not shards:
            sys.exit("%s: no examples-*.gdx.gz shards" % folder)
        for shard in shards:
            for label, kind, shape, tensor in examples(shard):
                if kind != KIND_SNV:
                    continue
                cls = low_mapq_class(tensor, shape)
                if cls is not None:
                    counts[(cls, label)] += 1
    print("| reads below MAPQ 60 at the candidate | hom-ref | het | hom-alt | hom-ref share |")
    print("|---|---:|---:|---:|---:|")
    for cls, name in enumerate(CLASSES):
        row = [counts[(cls, label)] for label in (0, 1, 2)]
        share = "%.0f%%" % (100 * row[0] / sum(row)) if sum(row) else "n/a"
        print("| %s | %d | %d | %d | %s |" % (name, row[0], row[1], row[2], share))
    print("\nCommand: benchmarks/caller/example-mapq-labels.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
