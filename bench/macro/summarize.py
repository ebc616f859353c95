#!/usr/bin/python3
"""Turns the macro benchmarks' raw results (macro.tsv, macro-meta.json in
OUT) into OUT/macro.md (tables, targets, method, machine) and
OUT/macro.dat, macro-labels.dat, macro-keys.txt and macro-params.gp (for
bench/plot/macro.gp).

    summarize.py OUT
"""
import json
import os
import statistics
import sys

# What sentry aims at, reported and never asserted: (workload, largest
# ratio of sentry's median time to native's, what it means).
TARGETS = [
    ("python-pass", 1.3, "python3 -c pass <= 1.3x native"),
    ("forkexec", 2.0, "fork+exec loop <= 2x native"),
    ("smallfiles", 2.0, "small-file workload <= 2x native"),
    ("seqio", 1.0 / 0.9, "sequential I/O >= 0.9x native tmpfs throughput (time <= 1.11x)"),
]
SENTRY_TOOLS = ["sentry-unotify", "sentry-ptrace"]
PEERS_TO_BEAT = ["proot", "gvisor"]


def load(out):
    with open(os.path.join(out, "macro-meta.json")) as f:
        meta = json.load(f)
    samples, failures = {}, {}
    with open(os.path.join(out, "macro.tsv")) as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 6:
                continue
            wl, tool, rep, ms, status, note = c[:6]
            if status == "ok":
                if rep != "0":
                    samples.setdefault((wl, tool), []).append(float(ms))
            elif (wl, tool) not in failures:
                failures[(wl, tool)] = (int(rep), note)
    return meta, samples, failures


def fmt_ms(v):
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
    meta, samples, failures = load(out)
    tools = [t["name"] for t in meta["tools"]]
    workloads = meta["workloads"]

    stats = {}  # (wl, tool) -> (median, min, max, n)
    for key, v in samples.items():
        stats[key] = (statistics.median(v), min(v), max(v), len(v))

    def ratio(wl, tool):
        if (wl, tool) in failures or (wl, tool) not in stats or (wl, "native") not in stats:
            return None
        return stats[(wl, tool)][0] / stats[(wl, "native")][0]

    # Footnotes: one per distinct (tool, reason).
    notes, note_of = [], {}
    for w in workloads:
        for t in tools:
            f = failures.get((w["id"], t))
            if not f:
                continue
            rep, reason = f
            key = (t, reason)
            if key not in note_of:
                notes.append([t, reason, []])
                note_of[key] = len(notes)
            notes[note_of[key] - 1][2].append(w["name"])

    m = meta["machine"]
    L = []
    L.append("## Macro benchmarks\n")
    L.append(f"Machine: {m['nproc']} CPUs, {m['cpu']}, Linux {m['kernel']}, {m['date']}; "
             f"load average {m.get('loadavg_start', '?')} at the start, "
             f"{m.get('loadavg_end', '?')} at the end.  ")
    L.append(f"Each workload ran {meta['reps']} times per tool, the tools taking turns "
             f"(round-robin, each repetition starting one tool further){'' if meta['quick'] else ', after one untimed warm-up run per tool'}; "
             f"wall time from spawn to exit; median (min-max) in ms, and the ratio of "
             f"medians to native. Limit {meta['timeout_s']} s per run."
             + (" Quick mode: 3 repetitions, a subset of the workloads, warm-up natively only." if meta["quick"] else "")
             + "\n")

    hdr = "| workload | " + " | ".join(tools) + " |"
    L.append(hdr)
    L.append("|---|" + "---:|" * len(tools))
    for w in workloads:
        cells = []
        for t in tools:
            key = (w["id"], t)
            if key in failures:
                cells.append(f"failed [{note_of[(t, failures[key][1])]}]")
            elif key in stats:
                med, lo, hi, n = stats[key]
                r = ratio(w["id"], t)
                rs = f"**{r:.2f}x**" if r is not None else "n/a"
                cells.append(f"{fmt_ms(med)} ({fmt_ms(lo)}-{fmt_ms(hi)}) {rs}")
            else:
                cells.append("not run")
        L.append(f"| {w['name']} | " + " | ".join(cells) + " |")
    L.append("")
    if notes:
        L.append("Could not run:\n")
        for i, (t, reason, wls) in enumerate(notes, 1):
            L.append(f"- [{i}] {t} ({', '.join(wls)}): failed: {reason}")
        L.append("")

    L.append("### Targets (reported, not asserted)\n")
    L.append("| target | " + " | ".join(SENTRY_TOOLS) + " |")
    L.append("|---|" + "---|" * len(SENTRY_TOOLS))
    wl_ids = {w["id"] for w in workloads}
    for wl, limit, text in TARGETS:
        if wl not in wl_ids:
            continue
        cells = []
        for t in SENTRY_TOOLS:
            r = ratio(wl, t)
            if (wl, t) in failures:
                cells.append("failed")
            elif r is None:
                cells.append("not measured")
            else:
                cells.append(f"{r:.2f}x: {'met' if r <= limit else 'not met'}")
        L.append(f"| {text} | " + " | ".join(cells) + " |")
    cells = []
    for t in SENTRY_TOOLS:
        ahead, behind, unknown = 0, [], 0
        for w in workloads:
            s = stats.get((w["id"], t)) if (w["id"], t) not in failures else None
            for peer in PEERS_TO_BEAT:
                p = stats.get((w["id"], peer)) if (w["id"], peer) not in failures else None
                if s is None or p is None:
                    unknown += 1
                elif s[0] < p[0]:
                    ahead += 1
                else:
                    behind.append(f"{peer} on {w['name']}")
        total = ahead + len(behind) + unknown
        if unknown == total:
            cells.append("not measured")
        else:
            c = "met" if not behind and not unknown else "not met"
            c += f": ahead in {ahead} of {total} comparisons"
            if behind:
                c += "; behind " + ", ".join(behind)
            if unknown:
                c += f"; {unknown} not measured"
            cells.append(c)
    L.append("| ahead of " + " and ".join(PEERS_TO_BEAT) + " on every workload | " + " | ".join(cells) + " |")
    L.append("")

    L.append("### Workloads\n")
    L.append("Each run starts in a fresh work folder holding a copy of the workload file "
             "(and its binary for the static C programs); HOME and TMPDIR point at it, "
             "and the environment is the same minimal one for every tool.\n")
    for w in workloads:
        L.append(f"- **{w['name']}** (`bench/macro/workloads/{w['file']}`): `{w['run']}`; {w['what']}")
    L.append("")
    L.append("### Tools\n")
    L.append("| tool | invocation | work folder | version | note |")
    L.append("|---|---|---|---|---|")
    for t in meta["tools"]:
        L.append(f"| {t['name']} | `{t['invocation']}` | {meta['work_folder'].get(t['name'], '')} "
                 f"| {t['version']} | {t['note']} |")
    L.append("")
    L.append("Reference (design doc, this machine kind): python3 -c pass native 11.3 ms, "
             "bwrap 12.7 ms, proot 37.7 ms, strace -f 42.3 ms, gVisor (runsc, ptrace) 204 ms.")
    L.append("")
    text = "\n".join(L)
    with open(os.path.join(out, "macro.md"), "w") as f:
        f.write(text)
    print(text)

    ratios = [r for w in workloads for t in tools
              if (r := ratio(w["id"], t)) is not None]
    # 0.5x unless a bar is shorter: then the power of two below it.
    ymin = 0.5
    while ratios and ymin > 1 / 64 and min(ratios) < ymin * 1.1:
        ymin /= 2
    write_plot_data(out, tools, workloads, failures, ratio, ymin)
    subtitle = f"{m['nproc']} CPUs, {m['cpu']}, Linux {m['kernel']}, {m['date']}"
    with open(os.path.join(out, "macro-params.gp"), "w") as f:
        f.write(f"ncols = {len(tools)}\n")  # the workload column and every tool but native
        f.write(f"nrows = {len(workloads)}\n")
        f.write(f"ymin = {ymin:g}\n")
        f.write(f"ymax = {max([4.0] + [r * 1.8 for r in ratios]):.2f}\n")
        f.write('subtitle = "' + subtitle.replace('"', "'") + '"\n')


GAP = 1.5  # the gap between clusters in bench/plot/macro.gp, in bars


def write_plot_data(out, tools, workloads, failures, ratio, ymin=0.5):
    """macro.dat: a header row, then one row per workload ("name" ratio...,
    "?" where a tool has no result) for every tool but native.
    macro-labels.dat: a header row, then x y "text" for the value printed on each bar, and
    "failed" where the bar is missing. macro-keys.txt: one key title per
    tool, in column order. (macro-params.gp, written by main, holds the
    sizes, the y range and the subtitle.) ymin: the bottom of the y axis,
    where the "failed" labels go."""
    shown = [t for t in tools if t != "native"]
    n = len(shown)
    with open(os.path.join(out, "macro-keys.txt"), "w") as f:
        for t in shown:
            nfail = sum(1 for w in workloads if (w["id"], t) in failures)
            f.write(f"{t} (failed {nfail} of {len(workloads)})\n" if nfail else f"{t}\n")
    with open(os.path.join(out, "macro.dat"), "w") as dat, \
            open(os.path.join(out, "macro-labels.dat"), "w") as lab:
        lab.write("x y text\n")  # a header row: macro.gp reads column heads
        dat.write("workload " + " ".join(f'"{t}"' for t in shown) + "\n")
        for i, w in enumerate(workloads):
            vals = []
            for j, t in enumerate(shown):
                x = i + (j - (n - 1) / 2) / (n + GAP)
                r = ratio(w["id"], t)
                vals.append(f"{r:.4f}" if r is not None else "?")
                if r is not None:
                    lab.write(f'{x:.4f} {r:.4f} "{r:.2f}"\n' if r < 10 else f'{x:.4f} {r:.4f} "{r:.1f}"\n')
                else:
                    what = "failed" if (w["id"], t) in failures else "not run"
                    lab.write(f'{x:.4f} {ymin * 1.04:.4f} "{what}"\n')
            dat.write(f'"{w["name"]}" ' + " ".join(vals) + "\n")


if __name__ == "__main__":
    main()
