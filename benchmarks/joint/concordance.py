#!/usr/bin/env python3
"""Concordance of a joint-genotyped cohort VCF with the per-sample calls it was made from.

usage: concordance.py COHORT.vcf.gz SAMPLE=CALLS.vcf.gz [SAMPLE=CALLS.vcf.gz ...]
(SAMPLE: the name in the cohort VCF; CALLS: that sample's single-sample VCF, whatever its name there)

For every PASS non-reference genotype of each per-sample VCF (genodose call), the cohort's
genotype of that sample at the same position is compared as allele sequences (REF/ALT with
their common suffix trimmed, so REFs extended when sites were merged still compare equal).
Prints one line per sample and a total; exits 1 if a compared genotype differs.
Reads VCFs with bcftools (Debian package), nothing else.
"""
import subprocess
import sys


def trimmed(ref, alt):
    while len(ref) > 1 and len(alt) > 1 and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    return ref + ">" + alt


def genotypes(path, sample, pass_non_reference_only):
    """{(chrom, pos): sorted allele tuple} of one sample."""
    expression = ['-i', 'GT="alt" && FILTER="PASS"'] if pass_non_reference_only else []
    selection = ['-s', sample] if sample else []  # a per-sample VCF: its one sample, whatever its name
    out = subprocess.run(['bcftools', 'query', *selection, *expression, '-f', '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n', path],
                         check=True, capture_output=True, text=True).stdout
    calls = {}
    for line in out.splitlines():
        chrom, pos, ref, alts, gt = line.split('\t')
        alleles = [ref] + alts.split(',')
        called = []
        for allele in gt.replace('|', '/').split('/'):
            called.append('.' if allele == '.' else ('REF' if allele == '0' else trimmed(ref, alleles[int(allele)])))
        calls[(chrom, int(pos))] = tuple(sorted(called))
    return calls


def main():
    cohort = sys.argv[1]
    total_compared = total_same = 0
    for argument in sys.argv[2:]:
        sample, calls_path = argument.split('=', 1)
        own = genotypes(calls_path, None, True)
        joint = genotypes(cohort, sample, False)
        same = sum(1 for site, gt in own.items() if joint.get(site) == gt)
        missing = sum(1 for site in own if site not in joint)
        print(f"{sample}: {same}/{len(own)} PASS non-reference calls identical in the cohort VCF ({missing} sites absent)")
        total_compared += len(own)
        total_same += same
    print(f"total: {total_same}/{total_compared} identical ({100.0 * total_same / max(1, total_compared):.2f}%)")
    return 0 if total_same == total_compared else 1


if __name__ == '__main__':
    sys.exit(main())
