"""A page asked to show the state at or after a ledger position (`min_position`): after a form's
command, the redirect carries the command's position, and the page waits for the read side to
reach it before it answers.

The page waits, bounded by `GREENLEDGER_READ_WAIT_SECONDS`, for the projector (in the background
of this process or in another, ADR 0130); a read side still short of the position then answers 503
with `Retry-After`. The API's own `min_position` (api.md, v1 additions) is the same promise for
every read.
"""

from __future__ import annotations

from api.http.readside import ReadSide
from api.web.session import PageRefusedError


class ReadSideBehindError(PageRefusedError):
    """Raised when the read side has not reached the position a page was asked for."""

    status = 503


def parse_min_position(text: str | None) -> int | None:
    """The `min_position` of a page's query: a whole number, or nothing."""
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        refused = PageRefusedError(
            f"min_position：“{text}”应为非负整数", f"min_position: {text!r} is not a whole number"
        )
        refused.status = 422
        raise refused
    return int(text)


def wait_for_position(read_side: ReadSide, wanted: int | None) -> None:
    """Return once the read side reflects `wanted` (waiting for the projector if need be)."""
    if wanted is None or read_side.wait_for(wanted):
        return
    raise ReadSideBehindError(
        f"读模型尚未更新到台账位置 {wanted}，请稍后刷新。",
        f"The read side has not reached ledger position {wanted} yet; reload in a moment.",
    )
