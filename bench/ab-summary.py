# Summary of bench/ab.sh rounds: per scenario, medians and ranges of the per-round ratios.
import sys, statistics as st, collections
rows = collections.defaultdict(list)
errors = collections.defaultdict(lambda: [0, 0])  # answers other than 2xx/3xx and socket errors, new and base
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 11: continue
    s = f[1]; nr, nc, br, bc, xr, xc = float(f[3]), float(f[4][:-2]), float(f[6]), float(f[7][:-2]), float(f[9]), float(f[10][:-2])
    rows[s].append((nr / br, nc / bc, nr / xr, br / xr, nc / xc, bc / xc))
    if len(f) >= 14: errors[s][0] += int(f[12]); errors[s][1] += int(f[13])
print("scen  rps new/base  cpu new/base  | rps new/bare  rps base/bare  cpu new/bare  cpu base/bare   (median [min-max])")
for s, r in rows.items():
    cols = list(zip(*r))
    fmt = lambda c: f"{st.median(c):.3f} [{min(c):.2f}-{max(c):.2f}]"
    print(s, "  ".join(fmt(c) for c in cols))
for s, (ne, be) in errors.items():
    if ne or be:
        print(f"WARNING: scenario {s}: {ne} errors on new, {be} on base (non-2xx/3xx answers or socket errors): its ratios do not compare like with like")
