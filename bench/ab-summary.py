# Summary of bench/ab.sh rounds: per scenario, medians and ranges of the per-round ratios.
import sys, statistics as st, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 11: continue
    s = f[1]; nr, nc, br, bc, xr, xc = float(f[3]), float(f[4][:-2]), float(f[6]), float(f[7][:-2]), float(f[9]), float(f[10][:-2])
    rows[s].append((nr / br, nc / bc, nr / xr, br / xr, nc / xc, bc / xc))
print("scen  rps new/base  cpu new/base  | rps new/bare  rps base/bare  cpu new/bare  cpu base/bare   (median [min-max])")
for s, r in rows.items():
    cols = list(zip(*r))
    fmt = lambda c: f"{st.median(c):.3f} [{min(c):.2f}-{max(c):.2f}]"
    print(s, "  ".join(fmt(c) for c in cols))
