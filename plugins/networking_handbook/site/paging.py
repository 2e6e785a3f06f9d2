"""Long lists in pages of a bounded size (issue 15), so that no generated page grows with the
handbook: a list's first page is at its own path, the others at `<folder>/<key>/<n>`, or on an
encrypted site at ids that reveal nothing (`Site.page_name`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How long lists may grow. A summary (the dashboard's sections, a person page's lists)
    shows the first few of a ranked list and links to the full list, in pages of `page` rows."""

    today: int = 50  # rows of the Today list, on the dashboard and the home page
    week: int = 20  # rows of This week
    section: int = 10  # rows of each rule's section of the dashboard
    names: int = 20  # names in a sentence-long list (ready to ask, birthdays)
    page: int = 200  # rows a page of a full list holds (People, a tag, a topic, the events)
    item_page: int = 100  # rows a page of one of the dashboard's lists holds (each row has its actions)


@dataclass(frozen=True)
class Pages(Generic[T]):
    """The pages of one list: `paths[n - 1]` (a site path, `.md` included) holds `page(n)`,
    and `labels[n - 1]` names its first and last rows, for the pager."""

    items: Sequence[T]
    size: int
    paths: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.paths)

    def page(self, number: int) -> Sequence[T]:
        return self.items[(number - 1) * self.size: number * self.size]


def paginate(items: Sequence[T], size: int, first: str, later: Callable[[int], str],
             label: Callable[[T], str]) -> Pages[T]:
    """`items` in pages of `size`: the first at `first`, page n at `later(n)` (paths without `.md`)."""
    count = max(1, -(-len(items) // size))
    paths = tuple(f"{first if number == 1 else later(number)}.md" for number in range(1, count + 1))
    labels = []
    for number in range(count):
        chunk = items[number * size:(number + 1) * size]
        ends = [label(chunk[0]), label(chunk[-1])] if chunk else [""]
        labels.append(" – ".join(dict.fromkeys(ends)))
    return Pages(items, size, paths, tuple(labels))
