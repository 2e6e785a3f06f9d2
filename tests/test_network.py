"""SPEC section 5 on real YAML files, through the real CLI: each folder of network_cases/ is a
small handbook (`handbook/`), the day and options to compute for (`case.yml`: `today` and any
plugin options) and what `handbook network --json` must say (`expected.json`: every key it
holds is compared, `history` only where a case lists it). Adding a case is adding a folder:
run with `UPDATE_GOLDEN=1` to write `expected.json`, then review it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import HandbookDir, run_cli

CASES = Path(__file__).parent / "network_cases"
REQUIRED = {"clusters", "unconnected", "brokers", "fragile_bridges", "islands", "introductions", "warm_paths",
            "re_stoke", "value"}


def _network(case: Path, site: HandbookDir, *args: str) -> subprocess.CompletedProcess[str]:
    options = yaml.safe_load((case / "case.yml").read_text(encoding="utf-8"))
    today = options.pop("today")
    site.options("\n".join(f"{key}: {value}" for key, value in options.items()))
    shutil.rmtree(site.root / "handbook")
    shutil.copytree(case / "handbook", site.root / "handbook")
    return run_cli("network", "--today", str(today), *args, cwd=site.root)


@pytest.mark.parametrize("case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_network_case(case: Path, site: HandbookDir) -> None:
    result = _network(case, site, "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    golden = case / "expected.json"
    if os.environ.get("UPDATE_GOLDEN"):
        keep = json.loads(golden.read_text(encoding="utf-8")).keys() if golden.exists() else REQUIRED
        golden.write_text(json.dumps({k: found[k] for k in found if k in keep}, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert REQUIRED <= expected.keys()
    assert {key: found[key] for key in expected} == expected


def test_clusters_do_not_depend_on_file_order(site: HandbookDir) -> None:
    """The same ties written in another order (`knows` lists reversed, files renamed to
    `.yaml`, so found in another order) give the same clusters."""
    case = CASES / "two-dense-groups-joined-by-one-person"
    first = json.loads(_network(case, site, "--json").stdout)
    for path in sorted((site.root / "handbook" / "contacts").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        listed = re.search(r"^knows: \[(.*)\]$", text, re.MULTILINE)
        assert listed
        text = text.replace(listed.group(0), f"knows: [{', '.join(reversed(listed.group(1).split(', ')))}]")
        path.unlink()
        (path.parent / f"{path.stem}.yaml").write_text(text, encoding="utf-8")
    again = run_cli("network", "--today", "2026-03-01", "--json", cwd=site.root)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["clusters"] == first["clusters"]


def test_text_output_names_people_and_sections(site: HandbookDir) -> None:
    result = _network(CASES / "two-dense-groups-joined-by-one-person", site)
    assert result.returncode == 0, result.stderr
    assert "Jo Joiner (jo): the only link between clusters 1, 2" in result.stdout
    assert "Ann Design offers hiring, which Bram Python needs" in result.stdout
    for section in ("Clusters:", "Brokers:", "Introductions across clusters:", "Warm paths:",
                    "Weak ties to re-stoke:", "Value over size:"):
        assert section in result.stdout


def test_invalid_notes_are_reported_not_computed(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nknows: [bo]\n")
    result = run_cli("network", cwd=site.root)
    assert result.returncode == 1
    assert "handbook/contacts/ana.yml:2:9: error: unknown contact `bo`" in result.stderr
    assert "Traceback" not in result.stderr


def test_network_needs_neither_numpy_nor_scipy() -> None:
    """networkx imports numpy and scipy lazily; what the network computation calls must not."""
    code = ("import sys; from datetime import date; from pathlib import Path\n"
            "from networking_handbook.core.handbook import load_handbook\n"
            "from networking_handbook.core.network import compute_network\n"
            "from networking_handbook.core.settings import Settings\n"
            "h = load_handbook(Path('handbook'), Path('.')).handbook\n"
            "n = compute_network(h, Settings(), date(2026, 3, 1))\n"
            "assert n.clusters and n.brokers, 'the example has clusters and brokers'\n"
            "print(sorted(m for m in ('numpy', 'scipy', 'pandas') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


def test_a_logged_call_reuses_the_clusters_and_a_new_tie_does_not(site: HandbookDir) -> None:
    """`mkdocs serve` computes the network on every save: the clusters, brokers and bridges,
    which follow from the ties alone, are computed again only when the ties changed."""
    from datetime import date

    from networking_handbook.core import network
    from networking_handbook.core.handbook import load_handbook
    from networking_handbook.core.settings import Settings

    case = CASES / "two-dense-groups-joined-by-one-person"
    shutil.copytree(case / "handbook", site.root / "handbook", dirs_exist_ok=True)
    today = date(2026, 3, 1)

    def computed() -> network.Network:
        return network.compute_network(load_handbook(site.root / "handbook", site.root).handbook, Settings(), today)

    network._shape.cache_clear()
    first = computed()
    path = site.root / "handbook" / "contacts" / "ada.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("interactions:\n", "interactions:\n  - {on: 2026-02-27, kind: call}\n"),
                    encoding="utf-8")
    called = computed()
    assert network._shape.cache_info().hits == 1
    network._shape.cache_clear()
    assert called == computed()  # what the reused shape gives is what a fresh one does
    assert called.clusters != first.clusters  # the call shows in the clusters' last touch
    path.write_text(path.read_text(encoding="utf-8").replace("knows: [alan,", "knows: [bram, alan,"), encoding="utf-8")
    computed()
    assert network._shape.cache_info().misses == 2
