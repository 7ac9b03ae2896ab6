"""The list page's numbered pages: the first, the last and those around the current one."""

from __future__ import annotations

import pytest

from api.web.pages import page_numbers


@pytest.mark.parametrize(
    ("current", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_a_page_offers_the_first_the_last_and_its_neighbours(
    current: int, pages: int, shown: list[int | None]
) -> None:
    assert page_numbers(current, pages) == shown
