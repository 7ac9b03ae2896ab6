"""Forms for the commands (issue 18): what a province, the ministry and an assessor may do in the
browser, without script (ADR 0070, ADR 0075).

Each form is a `CommandForm`: its fields (laid out from the unit it concerns — a filing shows the
category's indicators with their units), when it is offered, the body it makes for the same
pydantic schema as the API's route, and the one ledger call it runs, through the same `Command`
as the API (the principal from the sign-in cookie becomes the events' actor; a hidden
Idempotency-Key makes a second click write nothing). A refusal comes back on the same page, each
message in Chinese beside its field; a success redirects to the unit's page with the command's
position as `min_position`, which the page waits for before it shows the new state.

Cookie forms are posted only from this site's pages (`same_site.py`).

- `listings.py`: the province's filing, review, on-site assessment and its conclusion, proposal;
  the ministry's removal, rescission and publication.
- `enterprises.py`: incident, rectification, credit code, rename (province and ministry).
- `assessors.py`: an assessor's evaluation report and yearly work report (附件10).
"""
