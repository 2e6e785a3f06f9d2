"""The Network page and the person pages' maps, in the example site built with the real
`mkdocs build --strict`, and the map's promises: links to real pages, a text alternative,
no inline style or script, the same bytes for the same input, small at 5,000 contacts."""

from __future__ import annotations

import posixpath
import re
from datetime import date
from pathlib import Path

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.records import Contact, Event, Handbook
from networking_handbook.core.settings import Settings
from networking_handbook.site.network_map import groups, network_map, page_href, person_map
from networking_handbook.site.structure import build_site

from .conftest import REPO
from .html_tools import Elements, article, primary_nav_links

DAY = date(2026, 3, 1)


def _svg(html: str) -> str:
    found = re.findall(r"<svg role=\"img\".*?</svg>", html, re.S)  # the theme draws its icons as SVG too
    assert len(found) == 1
    return found[0]


def _resolves(site: Path, page: str, href: str) -> bool:
    target = posixpath.normpath(posixpath.join(page, href))
    return (site / target / "index.html").exists()


def test_network_page_sections_and_navigation(example_site: Path) -> None:
    page = article(example_site, "network")
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "h2"]
    assert ids == ["map", "clusters", "brokers", "introductions", "warm-paths", "re-stoke", "value-over-size"]
    text = page.text
    assert "Cluster 1: founder, mentor : 4 people" in text
    assert "Kenji Watanabe is the only link between clusters 1, 2" in text
    assert "Fragile bridge: cluster 3 (friends-family) reaches cluster 1 through Diego Álvarez only." in text
    assert "Inês Carvalho offers user research, which Fatima Zahra Benali needs" in text
    assert "Nadia Haddad (last touch 2025-08-20): ask Tomás Ferreira , who knows them." in text
    assert "Active ties: 13 of 15" in text and "efficiency 0.88" in text
    assert "2025-03-01 4 1 1 3.5 0.88 100%" in text and "2026-03-01 15 13 13 13.3 0.88 73%" in text  # monthly rows
    assert "../network/" in primary_nav_links(example_site, "dashboard")


def test_network_map_links_every_mark_to_its_page_with_a_text_alternative(example_site: Path) -> None:
    html = (example_site / "network" / "index.html").read_text(encoding="utf-8")
    svg = _svg(html)
    elements = Elements(svg)
    root = elements.tags[0][1]
    assert root["role"] == "img" and "Map of your network" in (root["aria-label"] or "")
    assert "<title>Map of your network</title>" in svg
    links = elements.links()
    assert len(links) == 15 and all(_resolves(example_site, "network", href) for href in links)
    assert not [attrs for _, attrs in elements.tags if "style" in attrs]
    assert "<style" not in svg and "<script" not in svg
    assert svg.count('class="handbook-map-person handbook-map-broker"') == 3  # diamonds, not colour alone
    assert svg.count("handbook-map-fragile") == 2
    table = article(example_site, "network")
    assert "Marta Lindqvist" in table.text and "1 more" not in table.text


def test_person_page_ends_with_their_map(example_site: Path) -> None:
    html = (example_site / "people" / "diego-alvarez" / "index.html").read_text(encoding="utf-8")
    svg = _svg(html)
    links = Elements(svg).links()
    assert sorted(links) == ["../amara-nwosu/", "../ana-souza/", "../fatima-benali/", "../marta-lindqvist/"]
    assert all(_resolves(example_site, "people/diego-alvarez", href) for href in links)
    text = article(example_site, "people/diego-alvarez").text
    assert text.index("Connections") < text.index("Network")
    assert "Knows (strong ties): Ana Souza (cluster 1), Fatima Zahra Benali (cluster 1)" in text
    assert "Met at events (weak ties): Amara Nwosu (cluster 3), Marta Lindqvist (cluster 3)" in text
    assert "Broker: the only link between clusters 1, 3" in text
    lone = article(example_site, "people/rafael-mendes").text
    assert "Cluster: none: tied to nobody else in your notes" in lone and "<svg" not in lone


def test_guide_pages_link_to_the_sections_they_talk_about(example_site: Path) -> None:
    assert {"../../network/#clusters", "../../network/#brokers", "../../network/#re-stoke",
            "../../network/#value-over-size"} <= set(article(example_site, "guide/beyond-your-circle").links())
    assert {"../../network/#introductions", "../../network/#warm-paths"} <= set(
        article(example_site, "guide/make-opportunities").links())


def test_the_same_notes_give_the_same_bytes() -> None:
    maps = []
    for _ in range(2):
        handbook = load_handbook(REPO / "handbook", REPO).handbook
        site = build_site(handbook, Settings(my_industry="software"), DAY)
        assert site.network is not None
        maps.append(network_map(site, site.network, "network.md")
                    + person_map(site, site.network, "marta-lindqvist", "people/marta-lindqvist.md"))
    assert maps[0] == maps[1]


def test_links_follow_use_directory_urls() -> None:
    site = build_site(Handbook(), Settings(), DAY, directory_urls=False)
    assert page_href(site, "network.md", "people/ana.md") == "people/ana.html"
    assert page_href(site, "people/bo.md", "people/ana.md") == "ana.html"
    site = build_site(Handbook(), Settings(), DAY)
    assert page_href(site, "network.md", "people/ana.md") == "../people/ana/"
    assert page_href(site, "people/bo.md", "people/ana.md") == "../ana/"


def test_the_map_stays_small_and_labels_the_few_at_5000_contacts() -> None:
    """125 communities of 40 who know their neighbours, joined here and there, and events."""
    contacts = {}
    for index in range(5000):
        group = index - index % 40
        knows = [f"p{group + (index + 1) % 40}", f"p{group + (index + 7) % 40}"]
        if index % 97 == 0:
            knows.append(f"p{(index + 40 * 3) % 5000}")
        contacts[f"p{index}"] = Contact(name=f"Person {index} Example", knows=knows, tags=[f"group-{group}"],
                                        needs=["hiring"] if index % 3 else [], offers=["hiring"] if index % 5 == 0 else [])
    events = {f"e{n}": Event(name=f"Meetup {n}", on=date(2026, 1, 1), people=[f"p{(n * 37 + k) % 5000}" for k in range(25)])
              for n in range(200)}
    site = build_site(Handbook(dict(sorted(contacts.items())), events), Settings(), DAY)
    assert site.network is not None and len(site.network.clusters) > 12
    svg = str(network_map(site, site.network, "network.md"))
    assert len(svg.encode("utf-8")) < 200_000
    drawn = groups(site.network)
    assert [group.key for group in drawn][-1] == "rest" and len(drawn) == 9  # the 8 largest, then the rest
    assert svg.count("<a ") == sum(len(group.shown) for group in drawn) <= 9 * 8


def test_names_in_the_maps_stay_text() -> None:
    hostile = '</title><script>alert(1)</script><a href="javascript:x">'
    contacts = {"ana": Contact(name=hostile, knows=["bo"]), "bo": Contact(name="Bo & <b>Co</b>")}
    site = build_site(Handbook(contacts), Settings(), DAY)
    assert site.network is not None
    for svg in (network_map(site, site.network, "network.md"), person_map(site, site.network, "ana", "people/ana.md")):
        assert "<script" not in svg and 'href="javascript' not in svg and "<b>" not in svg
        assert "&lt;/title&gt;&lt;script&gt;" in svg and "Bo &amp; &lt;b&gt;Co&lt;/b&gt;" in svg
