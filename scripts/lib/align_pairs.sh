# Sourced by the training-data scripts. align_pairs ALIGNER THREADS REFERENCE FQ1 FQ2 READ_GROUP
# writes unsorted SAM of the read pairs FQ1/FQ2 (regular files) on stdout, logs on stderr.
#   mem  bwa mem; -K fixes the batch size so that the output does not depend on the thread count.
#   aln  bwa aln + bwa sampe (BWA-backtrack), the aligner of many older short-read BAMs, such as
#        the DeepVariant NA12878 test reads (bwa 0.6.1). Its mapping qualities mean something
#        else: 37 and 29 for unique reads that bwa mem would give 60, 29 or less for mate-rescued
#        reads, so the caller must see both kinds (models/caller.md, "Training data").
#        The .sai files are written next to FQ1.
align_pairs() {
  local aligner=$1 threads=$2 reference=$3 fq1=$4 fq2=$5 read_group=$6
  case $aligner in
    mem)
      bwa mem -t "$threads" -K 10000000 -v 1 -R "$read_group" "$reference" "$fq1" "$fq2" ;;
    aln)
      bwa aln -t "$threads" "$reference" "$fq1" > "$fq1.1.sai" || return 1
      bwa aln -t "$threads" "$reference" "$fq2" > "$fq1.2.sai" || return 1
      bwa sampe -r "$read_group" "$reference" "$fq1.1.sai" "$fq1.2.sai" "$fq1" "$fq2" || return 1
      rm -f "$fq1.1.sai" "$fq1.2.sai" ;;
    *)
      echo "align_pairs: unknown aligner '$aligner' (mem or aln)" >&2; return 2 ;;
  esac
}
