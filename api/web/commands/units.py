"""Which forms a unit's page offers its viewer: the province of the unit's region its own, the
ministry its own; the auditor none (it writes nothing)."""

from __future__ import annotations

from uuid import UUID

from api.http.auth import Principal, Role
from api.web.commands.assessors import ASSESSOR_FORMS
from api.web.commands.enterprises import ENTERPRISE_FORMS
from api.web.commands.form import CommandForm, Subject
from api.web.commands.handling import FormState, offered
from api.web.commands.listings import LISTING_FORMS
from domain.ledger import Ledger

UNIT_FORMS: tuple[CommandForm, ...] = (*LISTING_FORMS, *ENTERPRISE_FORMS)
UNIT_FORMS_BY_NAME = {form.name: form for form in UNIT_FORMS}
ASSESSOR_FORMS_BY_NAME = {form.name: form for form in ASSESSOR_FORMS}


def unit_subject(ledger: Ledger, principal: Principal, listing_id: UUID) -> Subject:
    """The unit and its enterprise as the write side holds them now."""
    listing = ledger.get_listing(listing_id)
    enterprise = ledger.get_enterprise(listing.enterprise_id)
    return Subject(principal, listing=listing, enterprise=enterprise)


def writes_for(principal: Principal, subject: Subject) -> bool:
    """A province writes for its own region only; the ministry for every region."""
    if principal.role is Role.MINISTRY:
        return True
    if principal.role is not Role.PROVINCE or subject.listing is None:
        return False
    return principal.region is not None and principal.region == subject.listing.region


def unit_forms(
    ledger: Ledger, principal: Principal, listing_id: UUID, failed: FormState | None = None
) -> list[FormState]:
    """The forms offered on the unit's page, the one just refused in place of its fresh copy."""
    subject = unit_subject(ledger, principal, listing_id)
    if not writes_for(principal, subject):
        return []
    states = offered(UNIT_FORMS, subject)
    if failed is not None:
        states = [failed if s.form.name == failed.form.name else s for s in states]
    return states
