"""Registry index parsing, search and HTTP download, each against a floor measured in the same run.

Run: /work/venv/bin/python benchmarks/registry.py [--packages 5000] [--archive-mb 16] [--repeat 3]

- parse: `parse_index` of an index with N packages (strict checks, frozen records);
  floor: `tomllib.loads` of the same text.
- search: `rank` of N packages for a two-word query; floor: a plain substring filter.
- download: `RegistryClient.download` of an archive-sized file from http.server on 127.0.0.1
  (chunked reads, progress callback, size limit); floor: `urllib.request.urlopen(...).read()`.
Best of --repeat wall times with their ratio. Timings only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
    import tomli as tomllib

from stato.adapters.registry import RegistryClient
from stato.adapters.registry_location import locate
from stato.formats.registry_index import PackageEntry, RegistryIndex, dump_index, parse_index
from stato.ops.registry import Found, rank


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def report(label: str, ours: float, floor: float) -> None:
    print(
        f"{label:<10} ours {ours * 1000:9.2f} ms   floor {floor * 1000:9.2f} ms   "
        f"ratio {ours / floor:6.2f}"
    )


def index_text(n: int) -> str:
    entries = tuple(
        PackageEntry(
            f"pkg-{i:05d}",
            f"Expertise package {i} for stage {i % 50} pipelines",
            "bench",
            f"1.{i % 7}.0",
            ("pipeline", f"stage-{i % 50}", "python"),
            i % 20,
            "2026-01-01T00:00:00Z",
            f"pkg-{i:05d}.stato",
            f"{i:064x}",
        )
        for i in range(n)
    )
    return dump_index(RegistryIndex(entries, "bench"))


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=5000)
    parser.add_argument("--archive-mb", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    text = index_text(args.packages)
    print(f"index: {args.packages} packages, {len(text) / 1e6:.2f} MB")
    report(
        "parse",
        best(lambda: parse_index(text, "bench"), args.repeat),
        best(lambda: tomllib.loads(text), args.repeat),
    )

    found = [Found("bench", p, (p.version,)) for p in parse_index(text, "bench").packages]
    query = "stage-7 pipelines"
    report(
        "search",
        best(lambda: rank(found, query), args.repeat),
        best(
            lambda: [
                f
                for f in found
                if all(w in f.entry.description or w in f.entry.tags for w in query.split())
            ],
            args.repeat,
        ),
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "big.stato").write_bytes(os.urandom(args.archive_mb * 1024 * 1024))
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        client = RegistryClient(locate(base))
        entry = PackageEntry("big", "", "", "1.0.0", (), 0, "", "big.stato", "0" * 64)
        ticks: list[int] = []
        ours = best(lambda: client.download(entry, lambda d, t: ticks.append(d)), args.repeat)

        def floor() -> bytes:
            with urllib.request.urlopen(base + "big.stato", timeout=10) as response:
                return bytes(response.read())

        report("download", ours, best(floor, args.repeat))
        mb = args.archive_mb
        print(
            f"download   {mb / ours:.0f} MB/s over loopback, {len(ticks) // args.repeat} "
            "progress callbacks per download"
        )
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
