#!/usr/bin/env python3
"""Draw synthetic SNVs and indels for the simulated training genome (seeded, stdlib only).

Used by scripts/simulate-training-data.sh. The real GIAB truth in the training windows has
about 1.5 variants/kb and only ~13% indels, too few indels to train an indel genotyper, so we
add extra variants at known positions:

  * SNVs with a transition:transversion ratio of about 2.
  * Indels of 1-15 bp (length weight ~ L^-1.5; as repeat indels change whole 2-6 bp units,
    about a third are 1 bp, against ~47% of the real indels), half of them in tandem repeats
    found in the reference (homopolymers >= 5 bp, 2-6 bp units with >= 4 or >= 3 copies:
    expansion or contraction by whole units), half at random positions
    (deletion, or insertion of random bases or of a copy of the next bases); insertions and
    deletions are equally likely; repeat units are 1 bp for 45%, 2 bp for 25%, 3-6 bp for 30%.
  * Genotypes 0|1 / 1|0 / 1|1 with probabilities 0.3 / 0.3 / 0.4; ~5% are multi-allelic (1|2 or 2|1).

Every variant is written left-aligned and trimmed (the same representation `bcftools norm`
gives), and it keeps at least --min-distance bp between its whole repeat-ambiguity span and the
span of any other variant (real or synthetic), so every synthetic variant is an isolated,
unambiguous label.

Inputs: the window FASTA (sequences named CHROM:START-END, 1-based, as `samtools faidx` writes
them), a BED of placement regions inside those windows, and the real variants as
`bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT\\n'` output. Output: a sorted VCF (text).
"""
import argparse
import bisect
import random
import re
import sys

BASES = "ACGT"
TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}
MAX_INDEL = 15
# Share of repeat indels per unit length: homopolymers and dinucleotide repeats dominate real
# indels, but 3-6 bp units (the 4 bp peak of the real length histogram) must be present too.
UNIT_WEIGHTS = {1: 0.45, 2: 0.25, 3: 0.10, 4: 0.12, 5: 0.04, 6: 0.04}


def fail(message):
    print(f"synth_variants.py: {message}", file=sys.stderr)
    sys.exit(3)


def read_windows(path):
    """Returns {chrom: [(start1, end1, seq)]} from a FASTA whose names are CHROM:START-END."""
    windows = {}
    name, chunks = None, []

    def flush():
        if name is None:
            return
        m = re.fullmatch(r"(\S+):(\d+)-(\d+)", name)
        if not m:
            fail(f"{path}: sequence name '{name}' is not CHROM:START-END")
        seq = "".join(chunks).upper()
        start, end = int(m.group(2)), int(m.group(3))
        if len(seq) != end - start + 1:
            fail(f"{path}: sequence '{name}' has {len(seq)} bp, expected {end - start + 1}")
        windows.setdefault(m.group(1), []).append((start, end, seq))

    with open(path) as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith(">"):
                flush()
                name, chunks = line[1:].split()[0], []
            else:
                chunks.append(line)
    flush()
    return windows


class Occupancy:
    """Sorted 1-based closed intervals already taken by variants on one chromosome."""

    def __init__(self):
        self.starts, self.ends = [], []
        self.longest = 1

    def add(self, start, end):
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.longest = max(self.longest, end - start + 1)

    def is_free(self, start, end, gap):
        lo = bisect.bisect_left(self.starts, start - gap - self.longest)
        hi = bisect.bisect_right(self.starts, end + gap)
        return all(self.ends[i] < start - gap or self.starts[i] > end + gap for i in range(lo, hi))


def deletion_span(seq, p, length):
    """Left-aligns the deletion of seq[p:p+length]; returns (p_left, ambiguity_end_exclusive)."""
    while p > 1 and seq[p - 1] == seq[p + length - 1]:
        p -= 1
    q = p
    while q + length < len(seq) and seq[q] == seq[q + length]:
        q += 1
    return p, q + length


def insertion_span(seq, p, inserted):
    """Left-aligns inserting `inserted` before seq[p]; returns (p_left, rotated_insert, end)."""
    while p > 1 and seq[p - 1] == inserted[-1]:
        inserted = inserted[-1] + inserted[:-1]
        p -= 1
    q, rotated = p, inserted
    while q < len(seq) and seq[q] == rotated[0]:
        rotated = rotated[1:] + rotated[0]
        q += 1
    return p, inserted, q + 1


def find_repeats(seq):
    """Tandem repeat tracts: (start0, unit, copies) for homopolymers >= 5, units 2-6 bp."""
    tracts = []
    min_copies = {1: 5, 2: 4, 3: 3, 4: 3, 5: 3, 6: 3}
    for unit_len, copies in min_copies.items():
        pattern = re.compile(r"([ACGT]{%d})\1{%d,}" % (unit_len, copies - 1))
        for m in pattern.finditer(seq):
            unit = m.group(1)
            # skip units that are themselves repeats of a shorter unit (AA, ATAT, ...)
            if any(unit_len % k == 0 and unit == unit[:k] * (unit_len // k) for k in range(1, unit_len)):
                continue
            tracts.append((m.start(), unit, (m.end() - m.start()) // unit_len))
    return tracts


def weighted_length(rng, lengths):
    weights = [l ** -1.5 for l in lengths]
    return rng.choices(lengths, weights=weights)[0]


def draw_genotype(rng, n_alts):
    if n_alts == 2:
        return rng.choice(["1|2", "2|1"])
    r = rng.random()
    return "0|1" if r < 0.3 else "1|0" if r < 0.6 else "1|1"


def allele_from_event(seq, event):
    """event = ('del', p, L) or ('ins', p, text); returns (anchor0, ref, alt, span0_start, span0_end)."""
    if event[0] == "del":
        p, end = deletion_span(seq, event[1], event[2])
        return p - 1, seq[p - 1:p + event[2]], seq[p - 1], p - 1, end
    p, inserted, end = insertion_span(seq, event[1], event[2])
    return p - 1, seq[p - 1], seq[p - 1] + inserted, p - 1, end


def combine_alleles(a, b):
    """Two left-aligned alleles with the same anchor -> (ref, [alt_a, alt_b]) or None."""
    if a[0] != b[0]:
        return None
    ref = a[1] if len(a[1]) >= len(b[1]) else b[1]
    alts = [x[2] + ref[len(x[1]):] for x in (a, b)]
    if alts[0] == alts[1] or ref in alts:
        return None
    # trim a common suffix, keeping at least one base in every allele
    while min(len(ref), *(len(x) for x in alts)) > 1 and all(x[-1] == ref[-1] for x in alts):
        ref, alts = ref[:-1], [x[:-1] for x in alts]
    return ref, alts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--windows-fasta", required=True)
    ap.add_argument("--regions-bed", required=True, help="placement regions (0-based BED)")
    ap.add_argument("--real-variants", required=True, help="CHROM POS REF ALT (tsv)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--snvs-per-mb", type=float, default=100.0)
    ap.add_argument("--indels-per-mb", type=float, default=300.0)
    ap.add_argument("--min-distance", type=int, default=50)
    ap.add_argument("--sample", default="HG001")
    ap.add_argument("--output", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    windows = read_windows(args.windows_fasta)
    occupancy = {chrom: Occupancy() for chrom in windows}

    def window_of(chrom, pos):
        for start, end, seq in windows.get(chrom, []):
            if start <= pos <= end:
                return start, seq
        return None

    # Real variants occupy their REF span widened to the indel's repeat-ambiguity span.
    with open(args.real_variants) as handle:
        for row, line in enumerate(handle, 1):
            f = line.rstrip("\n").split("\t")
            if len(f) != 4:
                fail(f"{args.real_variants}: row {row}: expected 4 tab-separated fields")
            chrom, pos, ref = f[0], int(f[1]), f[2]
            found = window_of(chrom, pos)
            if found is None:
                fail(f"{args.real_variants}: row {row}: {chrom}:{pos} lies outside the windows")
            wstart, seq = found
            lo, hi = pos, pos + len(ref) - 1
            for alt in f[3].split(","):
                span = None
                if len(alt) > len(ref) and alt.startswith(ref):
                    p, _, e = insertion_span(seq, pos - wstart + len(ref), alt[len(ref):])
                    span = (p - 1, e)
                elif len(alt) < len(ref) and ref.startswith(alt):
                    span = deletion_span(seq, pos - wstart + len(alt), len(ref) - len(alt))
                    span = (span[0] - 1, span[1])
                if span is not None:
                    lo, hi = min(lo, wstart + span[0]), max(hi, wstart + span[1] - 1)
            occupancy[chrom].add(lo, hi)

    regions = []
    with open(args.regions_bed) as handle:
        for row, line in enumerate(handle, 1):
            if not line.strip() or line.startswith(("#", "track", "browser")):
                continue
            f = line.split("\t")
            chrom, start0, end0 = f[0], int(f[1]), int(f[2])
            found = window_of(chrom, start0 + 1)
            if found is None or window_of(chrom, end0) is None:
                fail(f"{args.regions_bed}: row {row}: region is not inside the windows")
            wstart, seq = found
            repeats = {}
            for t in find_repeats(seq):
                if start0 + 20 <= wstart + t[0] and wstart + t[0] + len(t[1]) * t[2] + 20 <= end0:
                    repeats.setdefault(len(t[1]), []).append(t)
            regions.append((chrom, start0, end0, wstart, seq, repeats))
    total_bp = sum(r[2] - r[1] for r in regions)
    if total_bp == 0:
        fail(f"{args.regions_bed}: no placement regions")
    targets = {"snv": round(args.snvs_per_mb * total_bp / 1e6), "indel": round(args.indels_per_mb * total_bp / 1e6)}

    records = []
    counts = {"snv": 0, "indel": 0}
    order = ["snv"] * targets["snv"] + ["indel"] * targets["indel"]
    rng.shuffle(order)
    weights = [r[2] - r[1] for r in regions]
    for kind in order:
        for _attempt in range(1000):
            chrom, start0, end0, wstart, seq, repeats = rng.choices(regions, weights=weights)[0]
            multi = rng.random() < 0.05
            if kind == "snv":
                pos = rng.randrange(start0 + 20, end0 - 20) + 1
                ref = seq[pos - wstart]
                if ref not in BASES:
                    continue
                if rng.random() < 2 / 3:
                    alts = [TRANSITION[ref]]
                else:
                    alts = rng.sample([b for b in BASES if b != ref and b != TRANSITION[ref]], 1)
                if multi:
                    alts.append(rng.choice([b for b in BASES if b != ref and b not in alts]))
                span = (pos, pos)
                label = "snv"
            else:
                in_repeat = rng.random() < 0.5
                if in_repeat:
                    unit_len = rng.choices(list(UNIT_WEIGHTS), weights=list(UNIT_WEIGHTS.values()))[0]
                    if not repeats.get(unit_len):
                        continue
                    t0, unit, copies = rng.choice(repeats[unit_len])
                    u = len(unit)
                    ins_options = [("ins", k) for k in range(1, MAX_INDEL // u + 1)]
                    del_options = [("del", k) for k in range(1, min(copies - 1, MAX_INDEL // u) + 1)]

                    def repeat_event(exclude=None):
                        # insertion or deletion with equal odds, then a unit count ~ (k*u)^-1.5
                        options = [c for c in rng.choice([ins_options, del_options]) if c != exclude]
                        if not options:
                            return None, None
                        w = [(k * u) ** -1.5 for _, k in options]
                        op, k = rng.choices(options, weights=w)[0]
                        event = ("del", t0, k * u) if op == "del" else ("ins", t0, unit * k)
                        return (op, k), event

                    picked, event = repeat_event()
                    if event is None:
                        continue
                    events = [event]
                    if multi:
                        _, second = repeat_event(exclude=picked)
                        if second is not None:
                            events.append(second)
                    label = ("ins" if event[0] == "ins" else "del") + "_repeat"
                else:
                    p = rng.randrange(start0 + 20, end0 - 20 - MAX_INDEL) - wstart + 1
                    length = weighted_length(rng, list(range(1, MAX_INDEL + 1)))
                    op = rng.choice(["del_random", "del_random", "ins_random", "ins_dup"])
                    if op == "del_random":
                        event = ("del", p, length)
                    elif op == "ins_dup":
                        event = ("ins", p, seq[p:p + length])
                    else:
                        event = ("ins", p, "".join(rng.choice(BASES) for _ in range(length)))
                    events = [event]
                    label = op
                alleles = [allele_from_event(seq, e) for e in events]
                if any("N" in a[1] + a[2] for a in alleles):
                    continue
                if len(alleles) == 2:
                    combined = combine_alleles(alleles[0], alleles[1])
                    if combined is None:
                        alleles = alleles[:1]
                if len(alleles) == 2:
                    ref, alts = combined
                else:
                    ref, alts = alleles[0][1], [alleles[0][2]]
                pos = wstart + alleles[0][0]
                span = (wstart + min(a[3] for a in alleles), wstart + max(a[4] for a in alleles) - 1)
                if span[0] <= start0 or span[1] > end0:
                    continue
                if in_repeat:
                    label += f";SYNTH_UNIT={unit}"
            if not occupancy[chrom].is_free(span[0], span[1], args.min_distance):
                continue
            occupancy[chrom].add(span[0], span[1])
            gt = draw_genotype(rng, len(alts))
            records.append((chrom, pos, ref, ",".join(alts), label, gt))
            counts[kind] += 1
            break
        else:
            fail(f"could not place a synthetic {kind} after 1000 attempts; lower the density")

    records.sort(key=lambda r: (r[0], r[1]))
    with open(args.output, "w") as out:
        out.write("##fileformat=VCFv4.2\n")
        for chrom in windows:
            out.write(f"##contig=<ID={chrom}>\n")
        out.write('##INFO=<ID=SYNTH,Number=0,Type=Flag,Description="Synthetic variant added by '
                  'scripts/simulate-training-data.sh (not in the GIAB truth)">\n')
        out.write('##INFO=<ID=SYNTH_KIND,Number=1,Type=String,Description="How the synthetic variant was '
                  'drawn: snv, ins_random, ins_dup, del_random, ins_repeat, del_repeat">\n')
        out.write('##INFO=<ID=SYNTH_UNIT,Number=1,Type=String,Description="Repeat unit of a synthetic '
                  'repeat indel">\n')
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write(f"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{args.sample}\n")
        for chrom, pos, ref, alt, label, gt in records:
            out.write(f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\tSYNTH;SYNTH_KIND={label}\tGT\t{gt}\n")
    print(f"synthetic variants: {counts['snv']} SNVs, {counts['indel']} indels over {total_bp} bp "
          f"(seed {args.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
