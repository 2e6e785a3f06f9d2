"""`handbook network`: the Network page's facts in the terminal (SPEC section 5)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..core.diagnostics import has_errors
from ..core.network import Network, compute_network
from ..core.records import Handbook
from .workspace import config_option, date_option, open_workspace, print_diagnostics, summary_line


@click.command()
@config_option
@click.option("--today", callback=date_option, metavar="YYYY-MM-DD",
              help="The day to compute for (default: the `today` option, HANDBOOK_TODAY, or the clock).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def network(config: Path | None, today: date | None, as_json: bool) -> None:
    """Show your clusters, brokers, introductions to make, warm paths and value over size."""
    workspace = open_workspace(config)
    print_diagnostics(workspace.diagnostics, err=True)
    if has_errors(workspace.diagnostics):
        click.echo(f"handbook: {summary_line(workspace.diagnostics)}; fix them first (see `handbook check`)", err=True)
        sys.exit(1)
    found = compute_network(workspace.handbook, workspace.settings, workspace.today(today))
    if as_json:
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(network_text(found, workspace.handbook))


def network_text(found: Network, handbook: Handbook) -> str:
    def name(slug: str) -> str:
        return f"{handbook.contacts[slug].name} ({slug})"

    lines = [f"Network on {found.today.isoformat()}", "", "Clusters:"]
    for cluster in found.clusters:
        touched = cluster.last_touch.isoformat() if cluster.last_touch else "never"
        lines.append(f"  {cluster.number}. {cluster.name}: {len(cluster.people)} people, "
                     f"{cluster.touch_share:.0%} of your touches in 90 days, last touch {touched}")
        lines.append("     " + ", ".join(map(name, cluster.people)))
    if not found.clusters:
        lines.append("  none yet: record who knows whom with `knows`, `met.via` or `with`")
    if found.unconnected:
        lines.append(f"  unconnected: {', '.join(map(name, found.unconnected))}")
    lines += ["", "Brokers:"]
    lines += [f"  {name(b.slug)}: the only link between clusters {', '.join(map(str, b.joins))}"
              for b in found.brokers]
    lines += [f"  fragile bridge: cluster {f.cluster} reaches {', '.join(map(str, f.to))} only through {name(f.through)}"
              for f in found.fragile]
    if found.islands:
        lines.append(f"  reached only through you: cluster(s) {', '.join(map(str, found.islands))}")
    if not (found.brokers or found.fragile or found.islands):
        lines.append("  none")
    lines += ["", "Introductions across clusters:"]
    lines += [f"  {name(i.a)} and {name(i.b)}: " + "; ".join(
        f"{handbook.contacts[m.giver].name} offers {m.topic}, which {handbook.contacts[m.receiver].name} needs"
        for m in i.matches) for i in found.introductions] or ["  none"]
    lines += ["", "Warm paths:"]
    lines += [f"  {name(w.slug)} ({'last touch ' + w.last_touch.isoformat() if w.last_touch else 'never touched'}): "
              f"ask {' or '.join(handbook.contacts[v].name for v in w.via)}" for w in found.warm_paths] or ["  none"]
    lines += ["", "Weak ties to re-stoke:"]
    lines += [f"  {name(r.slug)} (last touch {r.last_touch.isoformat()}): ties into cluster(s) "
              f"{', '.join(map(str, r.into))}" for r in found.re_stoke] or ["  none"]
    v = found.value
    lines += ["", "Value over size:",
              f"  active ties {v.active} of {v.contacts}; effective size {v.effective_size:.1f}, efficiency "
              f"{v.efficiency:.2f}" + (f"; outside your industry {v.outside_share:.0%}" if v.outside_share is not None
                                       else ""),
              "  last 12 months (active / contacts, effective size, efficiency):"]
    lines += [f"    {p.day.isoformat()}  {p.active:>4} / {p.contacts:<5} {p.effective_size:8.1f}  {p.efficiency:.2f}"
              for p in found.history]
    return "\n".join(lines)
