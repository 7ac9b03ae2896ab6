"""The auditor's desk: stored replay reports, what-ifs under another rulebook, the audit file.

A report re-derives every recorded decision (`domain/replay.py`, ADR 0011) and keeps each one —
recorded and re-derived findings side by side, the events they rest on, its outcome — with the
signed tree head of the log it read (ADR 0015). `store` keeps reports and runs one at a time per
ledger; `running` computes them (in the foreground for the CLI, in the background for the API);
`evidence` ties a report's head to the latest one with a consistency proof; `workbook` is the
audit file. Imports: `domain`, `seal` and the read side's writing helpers; never `api`.
"""
