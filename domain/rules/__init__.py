"""The rulebook: versioned parameters and cited rules.

Of 工信厅节函〔2022〕235号 and the later instruments (regulation.md).
"""

from domain.rules.rulebook import RULEBOOKS, Rulebook, add_years, rulebook_for, rulebook_named

__all__ = ["RULEBOOKS", "Rulebook", "add_years", "rulebook_for", "rulebook_named"]
