"""The outbound table: secrets, personal data, addresses and home paths leaving the project.

Imported where a text leaves (snapshot, publish, ``stato scan``, sanitize): the withheld check,
which runs the injection table only, never builds it (its rows, validators and allowlists).
"""

from __future__ import annotations

from stato.core.privacy.injection_rules import INJECTION_RULES
from stato.core.privacy.personal import PERSONAL_RULES
from stato.core.privacy.places import PLACE_RULES
from stato.core.privacy.prose import PROSE_SECRETS
from stato.core.privacy.rule import Rule
from stato.core.privacy.secrets import SECRET_RULES

RULES: tuple[Rule, ...] = SECRET_RULES + PROSE_SECRETS + PERSONAL_RULES + PLACE_RULES
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES + INJECTION_RULES}
