"""The benchmark: the plain way against `juesuan batch` on the same synthetic units, on this machine.

Run:  python bench/run.py            (sizes 50 and 200, a department of 300; about fifteen minutes on 2 cores)
      python bench/run.py --sizes 10,40 --department 20 --quick   (a smoke run)
Writes the results into docs/benchmarks.md between the RESULTS markers and prints them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import openpyxl
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.synth import make  # noqa: E402

JUESUAN = [sys.executable, "-m", "generator"]
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- RESULTS BEGIN -->", "<!-- RESULTS END -->"


def measured(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command and all its child processes, sampled every 20 ms."""
    started = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.02)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    code = proc.wait()
    done.set()
    watcher.join()
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}")
    return time.perf_counter() - started, peak / 2**20


def same_documents(a: Path, b: Path) -> bool:
    docs = sorted(p.name for p in a.glob("*.docx"))
    return bool(docs) and all((a / n).read_bytes() == (b / n).read_bytes() for n in docs)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"{cpu}, {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def _correct_one(data: Path, batches: int = 11) -> None:
    """One corrected figure in one unit (as a finance bureau's correction does)."""
    book = data / "unit_0002.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["其他事项"]
    row = next(c.row for c in ws["A"] if c.value == "国内公务接待批次")
    ws[f"B{row}"] = batches
    wb.save(book)


def _mb(value: float) -> str:
    return f"{value:.0f} MB"


def run(sizes: list[int], seed: int, department: int) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    lines = [f"Measured {date.today()} on: {machine()}.", ""]
    try:
        results = {}
        for n in sizes:
            data = work / f"units_{n}"
            make(data, n, seed)
            plain_out = work / f"plain_{n}"
            plain_s, plain_mb = measured([sys.executable, str(ROOT / "bench" / "plain.py"), str(data), str(plain_out)])
            row = {"plain": (plain_s, plain_mb)}
            for mode in ("native", "picture"):
                out = work / f"batch_{mode}_{n}"
                row[mode] = measured([*JUESUAN, "batch", str(data), "--output", str(out), "--force", "--charts", mode])
            # the plain way draws pictures: its documents are the picture batch's, byte for byte
            assert same_documents(plain_out, work / f"batch_picture_{n}"), "the plain way and the batch differ"
            single = work / f"single_{n}"
            for mode in ("native", "picture"):  # one unit made alone is the batch's document, byte for byte
                measured([*JUESUAN, "generate", str(data / "unit_0003.xlsx"), "--output", str(single / mode),
                          "--charts", mode])
                made = next((single / mode).glob("*.docx"))
                assert made.read_bytes() == (work / f"batch_{mode}_{n}" / made.name).read_bytes(), mode
            _correct_one(data)
            row["regen"] = measured([*JUESUAN, "batch", str(data), "--output", str(work / f"batch_native_{n}"),
                                     "--charts", "native"])
            results[n] = row
        dept = None
        if department:
            data = work / f"department_{department}"
            make(data, department, seed, department=True)
            out = work / f"department_out_{department}"
            full = measured([*JUESUAN, "batch", str(data), "--output", str(out), "--charts", "native"])
            regens = []
            for i in range(3):  # a different correction each time: every run remakes the unit and the 部门汇总
                _correct_one(data, 21 + i)
                regens.append(measured([*JUESUAN, "batch", str(data), "--output", str(out), "--charts", "native"]))
            dept = (full, min(regens))
        one = work / f"units_{sizes[0]}" / "unit_0002.xlsx"
        colds = {}
        for mode in ("native", "picture"):
            measured([*JUESUAN, "generate", str(one), "--output", str(work / "cold"), "--charts", mode])  # file cache
            colds[mode] = min(measured([*JUESUAN, "generate", str(one), "--output", str(work / "cold"), "--charts",
                                        mode])[0] for _ in range(3))
        # first use on a new machine: no matplotlib font cache (a fresh MPLCONFIGDIR)
        first = {}
        for mode in ("native", "picture"):
            env = {**os.environ, "MPLCONFIGDIR": str(work / f"mpl_{mode}")}
            first[mode] = measured([*JUESUAN, "generate", str(one), "--output", str(work / "first"), "--charts", mode],
                                   env=env)[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines += ["| N units | plain way | batch, Word charts (default) | ratio | batch, pictures | ratio | "
              "peak RSS: plain / native / picture (all processes) | regenerate after one unit changed |",
              "|---|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        (ps, pm), (ns, nm), (qs, qm), (gs, _) = r["plain"], r["native"], r["picture"], r["regen"]
        lines.append(f"| {n} | {n / ps:.2f} docs/s ({ps:.1f} s) | {n / ns:.2f} docs/s ({ns:.1f} s) | {ps / ns:.2f}× | "
                     f"{n / qs:.2f} docs/s ({qs:.1f} s) | {ps / qs:.2f}× | {_mb(pm)} / {_mb(nm)} / {_mb(qm)} | {gs:.2f} s |")
    if dept:
        (fs, fm), (rs, rm) = dept
        lines += ["", f"A department of {department} units ({department - 1} below the 本级, one project each; "
                  f"{department} documents and the 部门汇总, Word charts): first run {fs:.1f} s (peak {_mb(fm)}); "
                  f"after one unit's workbook changed, the unit and the 部门汇总 made again in {rs:.2f} s "
                  f"(best of 3, peak {_mb(rm)})."]
    lines += ["", f"Cold `juesuan generate` of one unit (new process, Python start-up included, best of 3): "
              f"{colds['native']:.2f} s with Word charts, {colds['picture']:.2f} s with pictures. "
              f"First use on a new machine (no matplotlib font cache): {first['native']:.2f} s with Word charts "
              f"(matplotlib is not loaded), {first['picture']:.2f} s with pictures.",
              "The plain way's documents and the picture batch's were byte-identical, and one unit generated alone "
              "gave the batch's document byte for byte in both chart modes (checked by the script)."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,200")
    parser.add_argument("--department", type=int, default=300, help="units of the department run (0: none)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--quick", action="store_true", help="print only; do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    lines = run([int(x) for x in args.sizes.split(",")], args.seed, args.department)
    print("\n".join(lines))
    if not args.quick:
        text = DOC.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        DOC.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
