"""Render every sample workbook with every shipped template (and the sample department's batch) into a folder.

Used to prove a refactoring changed no document: run it before and after and compare the printed digests
(`python tools/render_all.py OUT > before.txt`, change the code, run again, `diff before.txt after.txt`).
The same folder is what a reviewer converts to pages with LibreOffice.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path


def digest(path: Path) -> str:
    """A digest of every part of a .docx (names and bytes), independent of zip compression."""
    h = hashlib.sha256()
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            h.update(name.encode() + b"\0" + z.read(name) + b"\0")
    return h.hexdigest()[:16]


def main(out: str = "output/all") -> int:
    from generator.batch.run import batch
    from generator.bundled import sample_dir
    from generator.document.pipeline import generate_document
    from generator.document.templates import shipped

    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for book in sorted(sample_dir().glob("*.xlsx")):
        for spec in shipped():
            made = generate_document(book, spec.name, target / spec.name, force=True).path
            print(f"{digest(made)}  {spec.name}/{made.name}")
    for spec in shipped():
        run = batch(sample_dir() / "益阳市行政审批服务局（部门）", target / ("batch_" + spec.name), [spec.name], jobs=1, force=True)
        for r in sorted(run.results, key=lambda r: r.output or ""):
            if r.output:
                print(f"{digest(Path(r.output))}  batch_{spec.name}/{Path(r.output).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
