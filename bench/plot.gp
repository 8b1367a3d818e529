# SPDX-License-Identifier: Apache-2.0
# The scaling curves of docs/BENCHMARKS.md, drawn by scripts/bench.sh:
#   gnuplot -e "scaling='S.tsv'; pfscale='P.tsv'; outdir='docs'" bench/plot.gp
# S.tsv: "SCALE series x veto_us peer_us ratio" lines (bench-scaling);
# P.tsv: "policies seconds_jobs1 rss_kib seconds_jobs2" lines.
set terminal pngcairo size 1200,800 font ",10"
set datafile separator "\t"

set output outdir."/bench-scaling-decision.png"
set multiplot layout 2,2 title "One decision against its input: time over its peer's (linear axes: a straight line is linear growth)"
set grid
set ylabel "decision / peer"
set yrange [0:*]
set title "keys in the auditor role (peer: 4 verifications)"
set xlabel "keys"
set xrange [0:130]
plot scaling using 3:(strcol(2) eq "keys" ? $6 : 1/0) with linespoints title "veto" lw 2
set title "auditor signatures on the update (peer: 2 + s verifications)"
set xlabel "signatures"
set xrange [0:17]
plot scaling using 3:(strcol(2) eq "sigs" ? $6 : 1/0) with linespoints title "veto" lw 2
set title "features protected, offered and installed (peer: the same decision with 1)"
set xlabel "features"
set xrange [0:260]
plot scaling using 3:(strcol(2) eq "features" ? $6 : 1/0) with linespoints title "veto" lw 2
set title "update payload size (peer: its 4 verifications)"
set xlabel "payload bytes"
set xrange [0:800000]
plot scaling using 3:(strcol(2) eq "payload" ? $6 : 1/0) with linespoints title "veto" lw 2
unset multiplot

set output outdir."/bench-scaling-preflight.png"
set multiplot layout 1,2 title "veto preflight --policies-from: one release against N policies"
set xrange [*:*]
set logscale xy 10
set xlabel "policies"
set title "wall time"
set ylabel "seconds"
set yrange [*:*]
plot pfscale using 1:2 with linespoints title "--jobs 1" lw 2, \
     pfscale using 1:4 with linespoints title "--jobs 2" lw 2
set title "peak resident memory"
set ylabel "MiB"
unset logscale y
set yrange [0:*]
plot pfscale using 1:($3 / 1024) with linespoints title "--jobs 1" lw 2
unset multiplot
