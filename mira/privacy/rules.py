import rules

from mira.accounts.rules import is_data_protection

rules.add_perm("privacy.view_audit", is_data_protection)
