"""Who looks at a page: the token kept in a cookie after the sign-in form, and the language.

ADR 0071: the sign-in form takes a bearer token (`greenledger token create`) and, when the token
store accepts it, keeps it in an HttpOnly, SameSite=Strict cookie — scripts cannot read it, and
no other site's page can make the browser send it. The cookie carries the token itself, checked
on every request exactly as a bearer token is (`TokenStore.authenticate`): a revoked token signs
the viewer out at once. Roles and regions follow the API's rules (docs/api-extensions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from api.http.auth import ANONYMOUS, Principal, Role, TokenStore
from api.http.middleware import PRINCIPAL_KIND, TOKEN_ID
from api.web.text import Language, Words

SESSION_COOKIE = "greenledger_token"
LANGUAGE_COOKIE = "greenledger_lang"
#: A year: the language is a preference, not a secret.
LANGUAGE_MAX_AGE = 365 * 24 * 3600
#: Half a day: an official's working day, after which the token is asked for again.
SESSION_MAX_AGE = 12 * 3600


class PageRefusedError(Exception):
    """Raised when a page cannot be shown; the page of `status` says why."""

    status = 400

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


class SignInRequiredError(PageRefusedError):
    """Raised when a page needs a signed-in viewer and there is none (→ the sign-in form)."""

    status = 401


class PageForbiddenError(PageRefusedError):
    """Raised when the viewer's role or region does not allow the page."""

    status = 403


class PageNotFoundError(PageRefusedError):
    """Raised when a page names a record the ledger does not hold."""

    status = 404


@dataclass(frozen=True)
class Viewer:
    """The principal a page is shown to, and in which language."""

    principal: Principal
    language: Language
    #: The language the query string asked for, to be remembered in a cookie.
    chosen_language: Language | None

    @property
    def words(self) -> Words:
        return Words(self.language)

    @property
    def signed_in(self) -> bool:
        return self.principal.role is not None

    @property
    def role(self) -> Role | None:
        return self.principal.role

    def require(self, *roles: Role) -> Principal:
        """The principal, if its role is one of `roles` (the API's `require`)."""
        if self.principal.role is None:
            raise SignInRequiredError("此页需要登录。", "This page needs you to sign in.")
        if self.principal.role not in roles:
            names_zh = "、".join(role.label_zh for role in roles)
            names_en = ", ".join(role.value for role in roles)
            raise PageForbiddenError(
                f"“{self.principal.role.label_zh}”身份无权查看此页（仅限：{names_zh}）。",
                f"A {self.principal.role.value} may not see this page (only: {names_en}).",
            )
        return self.principal


async def get_viewer(request: Request) -> Viewer:
    """The viewer of the request: the cookie's principal (anonymous without a valid one)."""
    principal = ANONYMOUS
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        tokens: TokenStore = request.app.state.tokens
        found = (
            tokens.authenticate(token)
            if tokens.local
            else await run_in_threadpool(tokens.authenticate, token)
        )
        principal = found if found is not None else ANONYMOUS
    setattr(request.state, PRINCIPAL_KIND, principal.kind)
    if principal.token_id is not None:
        setattr(request.state, TOKEN_ID, str(principal.token_id))
    chosen = Language.parse(request.query_params.get("lang"))
    remembered = Language.parse(request.cookies.get(LANGUAGE_COOKIE))
    language = chosen or remembered or Language.ZH
    return Viewer(principal, language, chosen)


def sign_in_location(request: Request) -> str:
    """The sign-in form, coming back to this page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/sign-in?next={quote(here, safe='')}"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
