# simulate_deep_reads.py LENGTH DEPTH SEED REFERENCE: writes a random reference of LENGTH + 400 bp
# (contig d1) to REFERENCE and prints 150 bp reads at DEPTH over it as coordinate-sorted SAM, with
# a heterozygous SNV in the middle (half the reads covering it carry the alternative base).
import random, sys
length, depth, seed, reference = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
seq = ''.join(rng.choice('ACGT') for _ in range(length + 400))
open(reference, 'w').write('>d1\n' + '\n'.join(seq[i:i+60] for i in range(0, len(seq), 60)) + '\n')
snv = 200 + length // 2
alt = 'A' if seq[snv] != 'A' else 'C'
n = depth * length // 150
starts = sorted(rng.randrange(200, 200 + length - 150) for _ in range(n))
out = sys.stdout
out.write(f'@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:d1\tLN:{len(seq)}\n@RG\tID:r\tSM:DEEP\n')
q = 'I' * 150
for i, s in enumerate(starts):
    r = seq[s:s+150]
    if s <= snv < s + 150 and rng.random() < 0.5:
        r = r[:snv-s] + alt + r[snv-s+1:]
    flag = 16 if rng.random() < 0.5 else 0
    out.write(f'read{i}\t{flag}\td1\t{s+1}\t60\t150M\t*\t0\t0\t{r}\t{q}\tRG:Z:r\n')
