"""The network computation (`core/network`) on synthetic handbooks with realistic ties.

For each size: the handbook is loaded once, then `compute_network` is timed (best of three,
in CPU seconds of this process, which a machine shared with other work inflates less than
wall-clock time; both are printed) and the Network page's map drawn, reporting its size. At `--build-size` contacts (1,000 by
default: a 5,000-contact build takes about ten minutes on two shared cores) a whole
`mkdocs build` with the plugin is timed too, and the network's share of it printed; the
share at larger sizes is extrapolated from that and labelled so.
Run: `python bench/network_bench.py [--sizes 1000 5000] [--build-size 1000]`.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.network import compute_network
from networking_handbook.core.settings import Settings
from networking_handbook.site.network_map import network_map
from networking_handbook.site.structure import build_site
from site_bench import BASE_CONFIG, TODAY, timed_build
from synthetic import write_handbook

TARGET_S = 2.0


def network_seconds(root: Path, contacts: int) -> tuple[float, float, int, int, int]:
    """Best-of-three network CPU and wall time, the map's bytes, and the numbers of ties and clusters."""
    data = write_handbook(root, contacts, ties=True)
    handbook = load_handbook(data, root).handbook
    settings = Settings(my_industry="software")
    times, walls = [], []
    for _ in range(3):
        start, wall = time.process_time(), time.perf_counter()
        found = compute_network(handbook, settings, TODAY)
        times.append(time.process_time() - start)
        walls.append(time.perf_counter() - wall)
    site = build_site(handbook, settings, TODAY)
    assert site.network is not None
    svg = network_map(site, site.network, "network.md")
    return min(times), min(walls), len(svg.encode("utf-8")), len(found.ties), len(found.clusters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--build-size", type=int, default=1000)
    args = parser.parse_args()
    measured: dict[int, float] = {}
    print(f"{'contacts':>8}  {'ties':>7}  {'clusters':>8}  {'network CPU':>11}  {'wall':>7}  {'map':>7}  target")
    for size in sorted(set(args.sizes) | {args.build_size}):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, wall, svg_bytes, ties, clusters = network_seconds(Path(tmp), size)
        measured[size] = seconds
        verdict = "ok" if seconds <= TARGET_S else f"OVER {TARGET_S:.0f} s"
        print(f"{size:>8}  {ties:>7}  {clusters:>8}  {seconds:>9.2f} s  {wall:>5.2f} s  {svg_bytes / 1024:>4.0f} KB  "
              f"{verdict}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_handbook(root, args.build_size, ties=True)
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# Bench\n")
        (root / "mkdocs.yml").write_text(BASE_CONFIG + f"  - handbook:\n      today: {TODAY.isoformat()}\n"
                                         "      my_industry: software\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        build_wall, _ = timed_build(root)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        build_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)  # CPU, like the network's
    share = measured[args.build_size] / build_s
    print(f"measured: a whole build of {args.build_size} contacts took {build_s:.1f} s of CPU ({build_wall:.1f} s "
          f"wall); the network {measured[args.build_size]:.2f} s of it ({share:.1%})")
    for size in sorted(s for s in measured if s > args.build_size):
        estimate = build_s * size / args.build_size  # a build grows about linearly with the pages
        print(f"extrapolated, not measured: at {size} contacts a build of about {estimate:.0f} s, the network "
              f"{measured[size]:.2f} s of it ({measured[size] / estimate:.1%})")


if __name__ == "__main__":
    main()
