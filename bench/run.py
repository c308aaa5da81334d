"""The benchmark: the plain way against `juesuan batch` on the same synthetic units, on this machine.

Run:  python bench/run.py            (sizes 50 and 200; about ten minutes on 2 cores)
      python bench/run.py --sizes 10,40 --quick   (a smoke run)
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


def run(sizes: list[int], seed: int) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    lines = [f"Measured {date.today()} on: {machine()}.", ""]
    try:
        results = {}
        for n in sizes:
            data = work / f"units_{n}"
            make(data, n, seed)
            plain_out, batch_out = work / f"plain_{n}", work / f"batch_{n}"
            plain_s, plain_mb = measured([sys.executable, str(ROOT / "bench" / "plain.py"), str(data), str(plain_out)])
            batch_s, batch_mb = measured([*JUESUAN, "batch", str(data), "--output", str(batch_out), "--force"])
            assert same_documents(plain_out, batch_out), "the two ways must give the same documents"
            # one corrected figure in one unit, then the same batch again
            book = data / "unit_0001.xlsx"
            wb = openpyxl.load_workbook(book)
            ws = wb["其他事项"]
            row = next(c.row for c in ws["A"] if c.value == "国内公务接待批次")
            ws[f"B{row}"] = 11
            wb.save(book)
            regen_s, _ = measured([*JUESUAN, "batch", str(data), "--output", str(batch_out)])
            results[n] = (plain_s, plain_mb, batch_s, batch_mb, regen_s)
        one = work / f"units_{sizes[0]}" / "unit_0002.xlsx"
        measured([*JUESUAN, "generate", str(one), "--output", str(work / "cold")])  # warm the file cache
        cold = min(measured([*JUESUAN, "generate", str(one), "--output", str(work / "cold")])[0] for _ in range(3))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines += ["| N units | plain way | juesuan batch | ratio | plain peak RSS | batch peak RSS (all processes) | regenerate after one unit changed |",
              "|---|---|---|---|---|---|---|"]
    for n, (plain_s, plain_mb, batch_s, batch_mb, regen_s) in results.items():
        lines.append(f"| {n} | {n / plain_s:.2f} docs/s ({plain_s:.1f} s) | {n / batch_s:.2f} docs/s ({batch_s:.1f} s) | "
                     f"{plain_s / batch_s:.2f}× | {plain_mb:.0f} MB | {batch_mb:.0f} MB | {regen_s:.2f} s |")
    lines += ["", f"Cold `juesuan generate` of one unit (new process, Python start-up included, best of 3): {cold:.2f} s.",
              "Both ways produced byte-identical documents in every run (checked by the script)."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,200")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--quick", action="store_true", help="print only; do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    lines = run([int(x) for x in args.sizes.split(",")], args.seed)
    print("\n".join(lines))
    if not args.quick:
        text = DOC.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        DOC.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
