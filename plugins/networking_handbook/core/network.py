"""Stage 3c, network: clusters, brokers, warm paths and value over size (SPEC section 5).

Pure functions of `(handbook, settings, today)`, built on the ties of `ties.tie_graph`.
Only the pure-Python parts of networkx are used (Louvain communities with a fixed seed on a
graph built in slug order, connected components), so the same files give the same clusters
and nothing imports numpy or scipy. Burt's effective size and efficiency come from their
direct formula: with you tied to every contact, `n - 2t/n`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .identity import tag_slug, topic_key
from .records import Contact, Handbook
from .rules import past_interactions
from .settings import Settings
from .ties import Tie, tie_graph
from .values import add_months

if TYPE_CHECKING:  # imported when a network is computed: `handbook check` and `due` never load it
    import networkx as nx

ACTIVE_DAYS = 90  # your tie to a contact is active when touched within this many days
RARE_SHARE = 0.1  # a cluster with less of your recent touches than this is one you rarely reach
HISTORY_MONTHS = 12
MAX_INTRODUCTIONS = 50
GIVERS_PER_NEED = 3
SEED = 0  # the community search is seeded: the same ties give the same clusters


@dataclass(frozen=True, slots=True)
class Cluster:
    number: int  # 1 for the largest; the page and the CLI name clusters by it
    name: str  # its most common tags, else companies, else its best-tied person
    people: tuple[str, ...]  # most ties first, then by slug
    touches: int  # your touches of its people within ACTIVE_DAYS
    touch_share: float  # of all your touches within ACTIVE_DAYS
    last_touch: date | None

    @property
    def label(self) -> str:
        return f"{self.number} ({self.name})"


@dataclass(frozen=True, slots=True)
class Broker:
    slug: str
    joins: tuple[int, ...]  # the clusters that only they join (without them, only you do)


@dataclass(frozen=True, slots=True)
class FragileBridge:
    cluster: int
    through: str  # the one contact tying it to other clusters
    to: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Match:
    giver: str
    receiver: str
    topic: str  # as the receiver wrote it in `needs`


@dataclass(frozen=True, slots=True)
class Introduction:
    a: str
    b: str
    matches: tuple[Match, ...]  # why: who offers what the other needs


@dataclass(frozen=True, slots=True)
class WarmPath:
    slug: str  # someone you have not touched within `dormant_after`, or never
    last_touch: date | None
    via: tuple[str, ...]  # active contacts tied to them, strong ties first


@dataclass(frozen=True, slots=True)
class ReStoke:
    slug: str
    last_touch: date
    into: tuple[int, ...]  # the rarely reached clusters they tie into
    outside_industry: bool
    outside_main_clusters: bool


@dataclass(frozen=True, slots=True)
class Value:
    """Value over size on one day."""

    day: date
    contacts: int
    active: int
    ties: int  # among your contacts
    effective_size: float
    efficiency: float
    with_industry: int  # contacts whose industry is noted, with `my_industry` set
    outside_industry: int

    @property
    def outside_share(self) -> float | None:
        return self.outside_industry / self.with_industry if self.with_industry else None

    def as_json(self) -> dict[str, object]:
        return {"day": self.day.isoformat(), "contacts": self.contacts, "active": self.active, "ties": self.ties,
                "effective_size": round(self.effective_size, 2), "efficiency": round(self.efficiency, 3),
                "outside_industry_share": None if self.outside_share is None else round(self.outside_share, 3)}


@dataclass(frozen=True)
class Network:
    today: date
    ties: dict[tuple[str, str], Tie]
    clusters: tuple[Cluster, ...]
    cluster_of: dict[str, int]
    unconnected: tuple[str, ...]
    brokers: tuple[Broker, ...]
    fragile: tuple[FragileBridge, ...]
    islands: tuple[int, ...]  # with two or more clusters, those tied to no other: you are their only way in
    introductions: tuple[Introduction, ...]
    warm_paths: tuple[WarmPath, ...]
    re_stoke: tuple[ReStoke, ...]
    value: Value
    history: tuple[Value, ...]  # monthly, oldest first, the last one `today`
    links: dict[tuple[int, int], int] = field(default_factory=dict)  # ties between two clusters
    adjacent: dict[str, tuple[tuple[str, bool], ...]] = field(default_factory=dict)  # slug: (other, strong)

    def neighbours(self, slug: str) -> list[tuple[str, bool]]:
        """The contacts tied to `slug`, strong ties first, then by slug."""
        return sorted(self.adjacent.get(slug, ()), key=lambda pair: (not pair[1], pair[0]))

    def cluster(self, number: int) -> Cluster:
        return self.clusters[number - 1]

    def outside_ties(self) -> Counter[int]:
        """For each cluster, its ties to other clusters."""
        found: Counter[int] = Counter()
        for (one, other), count in self.links.items():
            found[one] += count
            found[other] += count
        return found

    def broker_slugs(self) -> set[str]:
        return {broker.slug for broker in self.brokers} | {bridge.through for bridge in self.fragile}

    def as_json(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "clusters": [{"number": c.number, "name": c.name, "people": list(c.people), "touches": c.touches,
                          "touch_share": round(c.touch_share, 3),
                          "last_touch": c.last_touch.isoformat() if c.last_touch else None} for c in self.clusters],
            "unconnected": list(self.unconnected),
            "brokers": [{"contact": b.slug, "joins": list(b.joins)} for b in self.brokers],
            "fragile_bridges": [{"cluster": f.cluster, "through": f.through, "to": list(f.to)} for f in self.fragile],
            "islands": list(self.islands),
            "introductions": [{"a": i.a, "b": i.b, "why": [{"giver": m.giver, "receiver": m.receiver,
                                                            "topic": m.topic} for m in i.matches]}
                              for i in self.introductions],
            "warm_paths": [{"contact": w.slug, "last_touch": w.last_touch.isoformat() if w.last_touch else None,
                            "via": list(w.via)} for w in self.warm_paths],
            "re_stoke": [{"contact": r.slug, "last_touch": r.last_touch.isoformat(), "into": list(r.into),
                          "outside_industry": r.outside_industry, "outside_main_clusters": r.outside_main_clusters}
                         for r in self.re_stoke],
            "value": self.value.as_json(),
            "history": [value.as_json() for value in self.history],
        }


class _Touches:
    """Each contact's touch days (interactions and `met.on`) up to `today`, sorted once, so
    the last touch on any earlier day is a bisection."""

    def __init__(self, contacts: dict[str, Contact], today: date) -> None:
        self.days = {slug: sorted([i.on for i in past_interactions(c, today)]
                                  + ([c.met.on] if c.met.on and c.met.on <= today else []))
                     for slug, c in contacts.items()}

    def last(self, slug: str, day: date) -> date | None:
        days = self.days[slug]
        index = bisect_right(days, day)
        return days[index - 1] if index else None

    def active(self, slug: str, day: date) -> bool:
        touched = self.last(slug, day)
        return touched is not None and (day - touched).days <= ACTIVE_DAYS

    def dormant(self, slug: str, settings: Settings, day: date) -> bool:
        """Never touched, or not within `dormant_after`."""
        touched = self.last(slug, day)
        return touched is None or settings.dormant_after.after(touched) <= day


def compute_network(handbook: Handbook, settings: Settings, today: date) -> Network:
    """Everything the Network page and `handbook network` show for `today`."""
    contacts = {slug: c for slug, c in handbook.contacts.items() if c.stage != "archived"}
    ties = tie_graph(handbook, today)
    groups, cluster_of, brokers, fragile, links, adjacent = _shape(tuple(ties.values()))
    touches = _Touches(contacts, today)
    recent = _recent_touches(contacts, today)
    total = sum(recent.values())
    clusters = tuple(
        Cluster(number, _cluster_name(people, contacts), tuple(people), count := sum(recent[s] for s in people),
                count / total if total else 0.0, max(filter(None, (touches.last(s, today) for s in people)), default=None))
        for number, people in enumerate(groups, 1))
    active = {slug for slug in contacts if touches.active(slug, today)}
    return Network(
        today, ties, clusters, cluster_of, tuple(slug for slug in contacts if slug not in cluster_of),
        brokers, fragile,
        tuple(c.number for c in clusters if len(clusters) > 1 and not any(c.number in pair for pair in links)),
        _introductions(contacts, ties, cluster_of, recent), _warm_paths(ties, active, touches, settings, today),
        _re_stoke(contacts, ties, cluster_of, clusters, touches, settings, today),
        *_history(handbook, settings, ties, touches, today), links, adjacent)


_Shape = tuple[list[list[str]], dict[str, int], tuple["Broker", ...], tuple["FragileBridge", ...],
               dict[tuple[int, int], int], dict[str, tuple[tuple[str, bool], ...]]]


@lru_cache(maxsize=1)
def _shape(ties: tuple[Tie, ...]) -> _Shape:
    """What follows from the ties alone: the clusters (each's people, best tied first), each
    person's cluster, the brokers, the fragile bridges, the ties between clusters and each
    person's ties. The last one is kept: `mkdocs serve` computes the network on every save,
    and a logged call seldom changes a tie (this is most of the network's cost). What it returns
    is shared by the networks of equal ties: no caller changes it."""
    import networkx as nx
    by_pair = {(tie.a, tie.b): tie for tie in ties}
    graph: nx.Graph[str] = nx.Graph()  # in slug order: the seeded search then visits nodes in a fixed order
    graph.add_weighted_edges_from((tie.a, tie.b, tie.weight) for tie in ties)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=SEED) if ties else []
    degree = dict(graph.degree())
    groups = sorted((sorted(group, key=lambda s: (-degree[s], s)) for group in communities),
                    key=lambda people: (-len(people), people[0]))
    cluster_of = {slug: number for number, people in enumerate(groups, 1) for slug in people}
    return (groups, cluster_of, _brokers(by_pair, cluster_of, len(groups)), _fragile(by_pair, cluster_of),
            _cluster_links(by_pair, cluster_of), _adjacent(by_pair))


def _adjacent(ties: dict[tuple[str, str], Tie]) -> dict[str, tuple[tuple[str, bool], ...]]:
    found: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for tie in ties.values():
        found[tie.a].append((tie.b, tie.strong))
        found[tie.b].append((tie.a, tie.strong))
    return {slug: tuple(others) for slug, others in found.items()}


def _recent_touches(contacts: dict[str, Contact], today: date) -> Counter[str]:
    return Counter({slug: sum(1 for i in past_interactions(c, today) if (today - i.on).days <= ACTIVE_DAYS)
                    for slug, c in contacts.items()})


def _cluster_name(people: list[str], contacts: dict[str, Contact]) -> str:
    """The tags two or more of its people share (the two most common), else such companies,
    else "around" its best-tied person."""
    for values in ([c.tags for c in map(contacts.__getitem__, people)],
                   [[c.company] if c.company else [] for c in map(contacts.__getitem__, people)]):
        written: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for own in values:
            for value in {tag_slug(v) or topic_key(v): v.strip() for v in own}.items():
                counts[value[0]] += 1
                written.setdefault(value[0], value[1])
        shared = sorted((key for key, n in counts.items() if n >= 2), key=lambda key: (-counts[key], key))
        if shared:
            return ", ".join(written[key] for key in shared[:2])
    return f"around {contacts[people[0]].name}"


def _cluster_links(ties: dict[tuple[str, str], Tie], cluster_of: dict[str, int]) -> dict[tuple[int, int], int]:
    links: Counter[tuple[int, int]] = Counter()
    for tie in ties.values():
        one, other = cluster_of.get(tie.a), cluster_of.get(tie.b)
        if one is not None and other is not None and one != other:
            links[(min(one, other), max(one, other))] += 1
    return dict(sorted(links.items()))


def _between(ties: dict[tuple[str, str], Tie], cluster_of: dict[str, int]) -> dict[tuple[int, int], set[str]]:
    """For each pair of linked clusters, the contacts on every tie between them (one or two
    when a single person carries the link, else usually none)."""
    common: dict[tuple[int, int], set[str]] = {}
    for tie in ties.values():
        one, other = cluster_of[tie.a], cluster_of[tie.b]
        if one != other:
            pair = (min(one, other), max(one, other))
            common[pair] = common[pair] & {tie.a, tie.b} if pair in common else {tie.a, tie.b}
    return common


def _brokers(ties: dict[tuple[str, str], Tie], cluster_of: dict[str, int], count: int) -> tuple[Broker, ...]:
    """Contacts whose removal leaves clusters joined only through you: on the graph of
    clusters (linked when any tie joins their people), the ones whose own ties carry links
    that no other path replaces."""
    import networkx as nx

    common = _between(ties, cluster_of)
    clusters: nx.Graph[int] = nx.Graph()
    clusters.add_nodes_from(range(1, count + 1))
    clusters.add_edges_from(common)
    parts = {frozenset(part) for part in nx.connected_components(clusters)}
    carried: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pair, people in common.items():
        for slug in people:
            carried[slug].append(pair)
    found = []
    for slug, pairs in sorted(carried.items()):
        without = clusters.copy()
        without.remove_edges_from(pairs)
        split = {frozenset(part) for part in nx.connected_components(without)} - parts
        joined = sorted({number for part in split for number in part} & {n for pair in pairs for n in pair})
        if split:
            found.append(Broker(slug, tuple(joined)))
    return tuple(sorted(found, key=lambda b: (-len(b.joins), b.slug)))


def _fragile(ties: dict[tuple[str, str], Tie], cluster_of: dict[str, int]) -> tuple[FragileBridge, ...]:
    """Clusters whose every tie to other clusters goes through one contact (theirs if the
    single tie has one end in the cluster)."""
    common: dict[int, set[str]] = {}
    reach: dict[int, set[int]] = defaultdict(set)
    for tie in ties.values():
        one, other = cluster_of[tie.a], cluster_of[tie.b]
        if one == other:
            continue
        for number, far in ((one, other), (other, one)):
            common[number] = common[number] & {tie.a, tie.b} if number in common else {tie.a, tie.b}
            reach[number].add(far)
    found = []
    for number, people in sorted(common.items()):
        inside = sorted(slug for slug in people if cluster_of[slug] == number)
        through = inside or sorted(people)
        if len(through) == 1:
            found.append(FragileBridge(number, through[0], tuple(sorted(reach[number]))))
    return tuple(found)


def _introductions(contacts: dict[str, Contact], ties: dict[tuple[str, str], Tie], cluster_of: dict[str, int],
                   recent: Counter[str]) -> tuple[Introduction, ...]:
    """Pairs in different clusters, not tied, where one offers what the other needs; the pairs
    with most matches (either way) first, at most `MAX_INTRODUCTIONS`. For each need, only the
    `GIVERS_PER_NEED` givers you touched most recently are candidates: a common topic would
    otherwise pair everyone with everyone."""
    offers = {slug: {topic_key(t) for t in c.offers} for slug, c in contacts.items() if slug in cluster_of}
    needs = {slug: {topic_key(t): t.strip() for t in c.needs} for slug, c in contacts.items() if slug in cluster_of}
    offering: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(offers, key=lambda s: (-recent[s], s)):
        for topic in offers[slug]:
            offering[topic].append(slug)
    candidates: set[tuple[str, str]] = set()
    for receiver, wanted in needs.items():
        for topic in wanted:
            found = 0
            for giver in offering.get(topic, []):
                pair = (min(giver, receiver), max(giver, receiver))
                if cluster_of[giver] != cluster_of[receiver] and pair not in ties:
                    candidates.add(pair)
                    found += 1
                    if found == GIVERS_PER_NEED:
                        break
    def strength(pair: tuple[str, str]) -> int:
        a, b = pair
        return len(offers[a] & needs[b].keys()) + len(offers[b] & needs[a].keys())

    best = sorted(candidates, key=lambda pair: (-strength(pair), pair))[:MAX_INTRODUCTIONS]
    return tuple(Introduction(a, b, tuple(Match(giver, receiver, needs[receiver][topic])
                                          for giver, receiver in ((a, b), (b, a))
                                          for topic in sorted(offers[giver] & needs[receiver].keys())))
                 for a, b in best)


def _warm_paths(ties: dict[tuple[str, str], Tie], active: set[str], touches: _Touches, settings: Settings,
                today: date) -> tuple[WarmPath, ...]:
    """Contacts not touched within `dormant_after` (or never), tied to someone you are active
    with; most ways in first."""
    via: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for tie in ties.values():
        for one, other in ((tie.a, tie.b), (tie.b, tie.a)):
            if other in active:
                via[one].append((not tie.strong, other))
    found = []
    for slug in sorted(via):
        if touches.dormant(slug, settings, today):
            found.append(WarmPath(slug, touches.last(slug, today), tuple(other for _, other in sorted(via[slug]))))
    return tuple(sorted(found, key=lambda w: (-len(w.via), w.slug)))


def _re_stoke(contacts: dict[str, Contact], ties: dict[tuple[str, str], Tie], cluster_of: dict[str, int],
              clusters: tuple[Cluster, ...], touches: _Touches, settings: Settings, today: date) -> tuple[ReStoke, ...]:
    """Dormant contacts you have touched before, outside your main clusters or your industry,
    with ties into clusters you rarely reach."""
    rare = {c.number for c in clusters if c.touch_share < RARE_SHARE}
    into: dict[str, set[int]] = defaultdict(set)
    for tie in ties.values():
        for one, other in ((tie.a, tie.b), (tie.b, tie.a)):
            if cluster_of.get(other) in rare:
                into[one].add(cluster_of[other])
    mine = settings.my_industry
    found = []
    for slug in sorted(into):
        contact = contacts[slug]
        touched = touches.last(slug, today)
        outside_industry = bool(mine and contact.industry and topic_key(contact.industry) != topic_key(mine))
        outside_main = cluster_of.get(slug) in rare or slug not in cluster_of
        if touched is not None and touches.dormant(slug, settings, today) and (outside_industry or outside_main):
            found.append(ReStoke(slug, touched, tuple(sorted(into[slug])), outside_industry, outside_main))
    return tuple(sorted(found, key=lambda r: (-len(r.into), r.last_touch, r.slug)))


def _first_known(handbook: Handbook) -> dict[str, date]:
    """The first day each contact appears in the notes: met, touched, or at an event."""
    first: dict[str, date] = {}
    for slug, contact in handbook.contacts.items():
        days = [i.on for i in contact.interactions] + ([contact.met.on] if contact.met.on else [])
        if days:
            first[slug] = min(days)
    for event in handbook.events.values():
        for slug in event.people:
            first[slug] = min(first.get(slug, event.on), event.on)
    return first


def _history(handbook: Handbook, settings: Settings, ties: dict[tuple[str, str], Tie], touches: _Touches,
             today: date) -> tuple[Value, tuple[Value, ...]]:
    """Value over size today, and on the same day of each of the last `HISTORY_MONTHS` months.

    On a past day, the contacts counted are those known by then (met, touched or at an event;
    those with no date at all always), the ties those known by then between them."""
    first = _first_known(handbook)
    counted = {slug: first.get(slug, date.min) for slug, c in handbook.contacts.items() if c.stage != "archived"}
    contact_days = sorted(counted.values())
    tie_days = sorted(max(tie.since or date.min, counted[tie.a], counted[tie.b]) for tie in ties.values())
    mine = topic_key(settings.my_industry) if settings.my_industry else None
    industry_days = sorted((counted[slug], topic_key(c.industry) != mine) for slug, c in handbook.contacts.items()
                           if slug in counted and c.industry and mine)
    points = []
    months_since_year_one = (today.year - 1) * 12 + today.month - 1  # the calendar's first days have less history
    for months in range(min(HISTORY_MONTHS, months_since_year_one), -1, -1):
        day = add_months(today, -months)
        n = bisect_right(contact_days, day)
        t = bisect_right(tie_days, day)
        known = [outside for since, outside in industry_days if since <= day]
        effective = n - 2 * t / n if n else 0.0
        points.append(Value(day, n, sum(1 for slug, since in counted.items() if since <= day and touches.active(slug, day)),
                            t, effective, effective / n if n else 0.0, len(known), sum(known)))
    return points[-1], tuple(points)
