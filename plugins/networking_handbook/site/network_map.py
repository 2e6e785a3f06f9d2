"""Stage 4c, the maps: inline SVG of your network and of one person's ties, drawn at build time.

The layout is our own and fixed: you in the middle, the largest clusters as groups on a
ring around you (the rest, and the unconnected, as one group each), in each group its most
relevant people as marks with initials. Coordinates are rounded, so the same handbook gives
the same bytes. Nothing is styled inline: the classes are in `assets/handbook.css`; brokers
are diamonds and fragile clusters dashed, so shape says what colour does.
"""

from __future__ import annotations

import math
import posixpath
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from ..core.network import Network
from .pictures import initials
from .structure import Site
from .urls import destination

MAX_GROUPS = 8  # clusters drawn on their own; the others become one group
MAX_MARKS = 8  # people drawn in a group; the others are counted
MAX_TIES = 12  # people drawn on a person's map (the lists under it say how many more; 40 KB a page)
WIDTH, HEIGHT = 1100, 820  # the big map's drawing units: room for the labels left and right
RING = 245  # from you to the groups' centres
MAX_RADIUS = 95
MARK = 20
LABEL_CHARS = 18


@dataclass(frozen=True)
class Group:
    """One group on the map: a cluster, "other clusters" or "unconnected"."""

    key: str
    title: str
    shown: tuple[str, ...]
    count: int
    cluster: int | None = None
    fragile: bool = False
    short: str = ""  # its label on the map


def page_href(site: Site, from_page: str, to_page: str) -> str:
    """The relative URL from one generated page to another, as MkDocs writes links."""
    here = destination(from_page, site.directory_urls)
    there = destination(to_page, site.directory_urls)
    relative = posixpath.relpath(there, posixpath.dirname(here))
    if site.directory_urls and posixpath.basename(relative) == "index.html":
        relative = relative[: -len("index.html")] or "./"
    return relative


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def groups(network: Network) -> list[Group]:
    """What the big map draws, in order around you; the table under it lists the same."""
    relevant = network.broker_slugs()
    fragile = {bridge.cluster for bridge in network.fragile}
    rest = network.clusters[MAX_GROUPS:]
    count = len(network.clusters[:MAX_GROUPS]) + bool(rest) + bool(network.unconnected)
    room = min(MAX_MARKS, _capacity(_radius(count)))
    found = []
    for cluster in network.clusters[:MAX_GROUPS]:
        ranked = sorted(cluster.people, key=lambda slug: (slug not in relevant, cluster.people.index(slug)))
        found.append(Group(f"c{cluster.number}", f"Cluster {cluster.number}: {cluster.name}",
                           tuple(ranked[:room]), len(cluster.people), cluster.number,
                           cluster.number in fragile, f"{cluster.number}: {cluster.name}"))
    if rest:
        found.append(Group("rest", f"{len(rest)} smaller clusters", (), sum(len(c.people) for c in rest),
                           short=f"{len(rest)} smaller clusters"))
    if network.unconnected:
        found.append(Group("none", "Unconnected", network.unconnected[:room], len(network.unconnected),
                           short="Unconnected"))
    return found


def _radius(count: int) -> float:
    """The radius of each of `count` groups on the ring, so that neighbours never overlap."""
    return min(MAX_RADIUS, math.pi * RING / max(count, 1) - 10)


def _capacity(radius: float) -> int:
    """How many marks fit side by side on the inner ring of a group."""
    inner = radius - MARK - 5
    return 1 if inner < MARK else max(1, int(2 * math.pi * inner // (2 * MARK + 6)))


def network_map(site: Site, network: Network, page: str) -> Markup:
    """The map of the Network page. Each group's label sits outside it, away from you."""
    drawn = groups(network)
    cx, cy = WIDTH / 2, HEIGHT / 2
    radius = _radius(len(drawn))
    angles = {group.key: 2 * math.pi * index / max(len(drawn), 1) - math.pi / 2 for index, group in enumerate(drawn)}
    places = {key: (cx + RING * math.cos(a), cy + RING * math.sin(a)) for key, a in angles.items()}
    by_cluster = {group.cluster: group.key for group in drawn if group.cluster is not None}
    brokers = network.broker_slugs()
    parts = []
    for group in drawn:  # your tie to each group
        x, y = places[group.key]
        parts.append(f'<line class="handbook-map-you-tie" x1="{_num(cx)}" y1="{_num(cy)}" '
                     f'x2="{_num(x)}" y2="{_num(y)}"/>')
    for (one, other), count in network.links.items():
        if one in by_cluster and other in by_cluster:
            (x1, y1), (x2, y2) = places[by_cluster[one]], places[by_cluster[other]]
            weight = min(4, 1 + int(math.log2(count)))
            bx, by = _bend((cx, cy), (x1, y1), (x2, y2), RING)
            parts.append(f'<path class="handbook-map-link handbook-map-w{weight}" d="M{_num(x1)},{_num(y1)} '
                         f'Q{_num(bx)},{_num(by)} {_num(x2)},{_num(y2)}"><title>{count} ties between clusters '
                         f'{one} and {other}</title></path>')
    parts.append(f'<circle class="handbook-map-you" cx="{_num(cx)}" cy="{_num(cy)}" r="{MARK + 9}"/>'
                 f'<text class="handbook-map-you-label" x="{_num(cx)}" y="{_num(cy + 6)}">You</text>')
    for group in drawn:
        x, y = places[group.key]
        outline = "handbook-map-group" + (" handbook-map-fragile" if group.fragile else "")
        parts.append(f'<g><circle class="{outline}" cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}"/>')
        parts.append(_group_label(group, x, y, radius, angles[group.key]))
        marks = _ring(x, y, radius - MARK - 5, len(group.shown))
        for slug, (mx, my) in zip(group.shown, marks, strict=True):
            parts.append(_mark(site, slug, mx, my, page, slug in brokers))
        hidden = group.count - len(group.shown)
        if hidden:
            more_y = y + 5 if len(group.shown) != 1 else y + MARK + 16
            parts.append(f'<text class="handbook-map-more" x="{_num(x)}" y="{_num(more_y)}">+{hidden}</text>')
        parts.append("</g>")
    described = (f"Your network: {len(network.clusters)} clusters and {len(network.unconnected)} unconnected "
                 f"people around you; brokers are diamonds, clusters with a fragile bridge are dashed. "
                 f"The table below lists the same.")
    return _svg("handbook-network-map", "Map of your network", described, WIDTH, HEIGHT, parts)


def _group_label(group: Group, x: float, y: float, radius: float, angle: float) -> str:
    """A group's name and size beside it on the side away from you: left of the groups on the
    left, right of those on the right, above or below those at the top and bottom."""
    room = LABEL_CHARS - len(str(group.count)) - 3
    name = group.short if len(group.short) <= room else group.short[:room - 1] + "…"
    label = f"{name} ({group.count})"
    dx, dy = math.cos(angle), math.sin(angle)
    if abs(dx) < 0.2:
        anchor, lx, ly = "middle", x, (y + radius + 24 if dy > 0 else y - radius - 10)
    else:
        anchor, lx, ly = ("start" if dx > 0 else "end"), x + dx * (radius + 10), y + dy * (radius + 10) + 6
    return (f'<text class="handbook-map-group-label handbook-map-{anchor}" x="{_num(lx)}" y="{_num(ly)}">'
            f"{escape(label)}</text>")


def person_map(site: Site, network: Network, slug: str, page: str) -> Markup:
    """A small map of one person's ties: them in the middle, the people they are tied to around
    them by cluster (solid lines strong ties, dashed weak ones)."""
    size = 360
    centre = size / 2
    neighbours = sorted(network.neighbours(slug), key=lambda pair: (network.cluster_of.get(pair[0], 10**9),
                                                                       not pair[1], pair[0]))
    shown = neighbours[:MAX_TIES]
    brokers = network.broker_slugs()
    spots = _ring(centre, centre, size * 0.36, len(shown))
    ties: dict[bool, list[str]] = {True: [], False: []}  # one path of lines for each kind of tie
    for (_, strong), (x, y) in zip(shown, spots, strict=True):
        ties[strong].append(f"M{_num(centre)} {_num(centre)}L{_num(x)} {_num(y)}")
    parts = [f'<path class="handbook-map-tie handbook-map-{"strong" if strong else "weak"}" d="{"".join(lines)}"/>'
             for strong, lines in ties.items() if lines]
    name = site.handbook.contacts[slug].name
    parts.append(f'<circle class="handbook-map-you" cx="{_num(centre)}" cy="{_num(centre)}" r="{MARK + 4}"/>'
                 f'<text class="handbook-map-you-label" x="{_num(centre)}" y="{_num(centre + 5)}">'
                 f'{escape(initials(name))}</text>')
    for (other, _), (x, y) in zip(shown, spots, strict=True):
        parts.append(_mark(site, other, x, y, page, other in brokers, network.cluster_of.get(other), y >= centre))
    if len(neighbours) > len(shown):
        parts.append(f'<text class="handbook-map-more" x="{_num(centre)}" y="{size - 6}">'
                     f'+{len(neighbours) - len(shown)} more</text>')
    described = (f"{name}'s ties: {len(neighbours)} people, solid lines for strong ties, dashed for weak ones; "
                 "the label under each mark is their cluster. The list below says the same.")
    return _svg("handbook-person-map", f"Map of {name}'s ties", described, size, size, parts)


def _bend(centre: tuple[float, float], one: tuple[float, float], other: tuple[float, float],
          ring: float) -> tuple[float, float]:
    """The control point of a link between two groups: bent away from you in the middle, so a
    link never looks like it runs through you."""
    mx, my = (one[0] + other[0]) / 2, (one[1] + other[1]) / 2
    dx, dy = mx - centre[0], my - centre[1]
    distance = math.hypot(dx, dy)
    if distance < ring * 0.3:  # groups facing each other: bend sideways
        dx, dy = other[1] - one[1], one[0] - other[0]
        distance = math.hypot(dx, dy)
        return centre[0] + dx / distance * ring * 0.55, centre[1] + dy / distance * ring * 0.55
    return mx + dx / distance * ring * 0.35, my + dy / distance * ring * 0.35


def _ring(x: float, y: float, radius: float, count: int) -> list[tuple[float, float]]:
    if count == 1:
        return [(x, y)]
    return [(x + radius * math.cos(2 * math.pi * i / count - math.pi / 2),
             y + radius * math.sin(2 * math.pi * i / count - math.pi / 2)) for i in range(count)]


def _mark(site: Site, slug: str, x: float, y: float, page: str, broker: bool, cluster: int | None = None,
          below: bool = True) -> str:
    name = site.handbook.contacts[slug].name
    href = page_href(site, page, f"people/{site.person_path(slug)}.md")
    if broker:
        shape = " ".join(f"{_num(x + dx)},{_num(y + dy)}" for dx, dy in
                         ((0, -MARK - 3), (MARK + 3, 0), (0, MARK + 3), (-MARK - 3, 0)))
        body = f'<polygon class="handbook-map-person handbook-map-broker" points="{shape}"/>'
    else:
        body = f'<circle class="handbook-map-person" cx="{_num(x)}" cy="{_num(y)}" r="{MARK}"/>'
    role = ", broker" if broker else ""
    label_y = y + MARK + 14 if below else y - MARK - 6
    under = (f'<text class="handbook-map-cluster" x="{_num(x)}" y="{_num(label_y)}">cluster {cluster}</text>'
             if cluster is not None else "")
    return (f'<a href="{escape(href)}"><title>{escape(name)}{role}</title>{body}'
            f'<text class="handbook-map-initials" x="{_num(x)}" y="{_num(y + 5)}">{escape(initials(name))}</text>'
            f"{under}</a>")


def _svg(kind: str, title: str, described: str, width: int, height: int, parts: list[str]) -> Markup:
    label = escape(f"{title}. {described}")
    return Markup(
        f'<div class="handbook-map {kind}" markdown="0">'
        f'<svg role="img" aria-label="{label}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title><desc>{escape(described)}</desc>'
        + "".join(parts) + "</svg></div>")
