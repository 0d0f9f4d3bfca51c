# Sourced by the training-data scripts. art_profile_args SIM_DIR PROFILE prints the art_illumina
# options that select a read-quality profile:
#   HS20, HS25, ...   ART's built-in profiles (-ss NAME)
#   HG002fit          the profile fitted to the bundled real HG002 2x148 reads by
#                     art_profiler_illumina (SIM_DIR/profiles/HG002fitR1.txt, R2.txt; made by
#                     scripts/simulate-more-genomes.sh; never from the NA12878 evaluation reads)
art_profile_args() {
  local sim=$1 profile=$2
  case $profile in
    *fit) echo "-1 $sim/profiles/${profile}R1.txt -2 $sim/profiles/${profile}R2.txt" ;;
    *) echo "-ss $profile" ;;
  esac
}
