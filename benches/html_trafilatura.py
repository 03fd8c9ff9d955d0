"""trafilatura's throughput on saved pages, for `cargo bench --bench html`.

    python3 benches/html_trafilatura.py DIR PASSES

Prints the median MB/s of `trafilatura.extract` (with metadata, as aes-search reads it) over the
.html/.htm files of DIR, PASSES times: by the wall clock, then by the thread's CPU time. Bytes
are the pages' bytes on disk, passed as bytes so that trafilatura decodes them itself, as
aes-search does.
"""
import os
import statistics
import sys
import time

import trafilatura


def main():
    folder, passes = sys.argv[1], int(sys.argv[2])
    pages = []
    for name in sorted(os.listdir(folder)):
        if name.lower().endswith((".html", ".htm")):
            with open(os.path.join(folder, name), "rb") as f:
                pages.append(f.read())
    total = sum(len(p) for p in pages)
    wall, cpu = [], []
    for _ in range(passes):
        start, start_cpu = time.perf_counter(), time.thread_time()
        for page in pages:
            trafilatura.extract(page, with_metadata=True, output_format="json")
        wall.append(total / 1e6 / (time.perf_counter() - start))
        cpu.append(total / 1e6 / max(time.thread_time() - start_cpu, 1e-9))
    print(f"{statistics.median(wall):.2f} {statistics.median(cpu):.2f}")


if __name__ == "__main__":
    main()
