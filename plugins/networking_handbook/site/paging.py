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
    the rows from `starts[n - 1]`, and `labels[n - 1]` names it for the pager. `by` says how a
    list is cut into pages when not every `size` rows (`paginate_by`)."""

    items: Sequence[T]
    size: int
    paths: tuple[str, ...]
    labels: tuple[str, ...]
    starts: tuple[int, ...]
    by: str | None = None

    @property
    def count(self) -> int:
        return len(self.paths)

    def page(self, number: int) -> Sequence[T]:
        end = self.starts[number] if number < self.count else len(self.items)
        return self.items[self.starts[number - 1]:end]


def paginate(items: Sequence[T], size: int, first: str, later: Callable[[int], str],
             label: Callable[[T], str]) -> Pages[T]:
    """`items` in pages of `size`: the first at `first`, page n at `later(n)` (paths without
    `.md`), each labelled by its first and last rows."""
    starts = tuple(range(0, len(items), size)) or (0,)
    ends = [(label(items[start]), label(items[min(start + size, len(items)) - 1])) if items else ("",)
            for start in starts]
    return Pages(items, size, _paths(len(starts), first, later), tuple(" – ".join(dict.fromkeys(pair)) for pair in ends),
                 starts)


def paginate_by(items: Sequence[T], size: int, first: str, later: Callable[[int], str],
                group: Callable[[T], str], by: str) -> Pages[T]:
    """`items`, whose rows of one `group` (named by it) come together, in pages of whole groups,
    as many as fit in `size` rows; a group longer than that fills pages of its own. A page then
    changes only with its own groups: a row gone from one group does not move every later row
    to another page, as in pages of exactly `size` rows (under `mkdocs serve --dirty`, one page
    built again instead of all the later ones). Each page is labelled by its groups."""
    runs: list[tuple[str, int, int]] = []  # (group, first row, rows)
    for index, item in enumerate(items):
        key = group(item)
        if runs and runs[-1][0] == key:
            runs[-1] = (key, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((key, index, 1))
    starts: list[int] = []
    labels: list[str] = []
    filling: list[tuple[str, int, int]] = []  # the groups of the page being filled

    def close() -> None:
        if filling:
            starts.append(filling[0][1])
            labels.append(" – ".join(dict.fromkeys((filling[0][0], filling[-1][0]))))
            filling.clear()

    for key, first_row, rows in runs:
        if rows > size:  # pages of its own
            close()
            parts = -(-rows // size)
            starts.extend(first_row + part * size for part in range(parts))
            labels.extend(f"{key}, part {part} of {parts}" for part in range(1, parts + 1))
            continue
        if sum(length for _, _, length in filling) + rows > size:
            close()
        filling.append((key, first_row, rows))
    close()
    if not starts:
        starts, labels = [0], [""]
    return Pages(items, size, _paths(len(starts), first, later), tuple(labels), tuple(starts), by)


def _paths(count: int, first: str, later: Callable[[int], str]) -> tuple[str, ...]:
    return tuple(f"{first if number == 1 else later(number)}.md" for number in range(1, count + 1))
