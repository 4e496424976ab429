import rules

from mira.accounts.rules import is_case_worker, is_data_protection, is_psychologist, same_centre
from mira.psychology.rules import is_named_psychologist

# The data protection officer of a centre reads the change history and the read-access
# log of that centre (the centre scope limits what they find).
rules.add_perm("privacy.view_audit", is_data_protection)
# Who sees the consents of a case (the object is the participant): its case workers, and
# the psychologist named on a referral of the case, who must know about a release from
# professional secrecy before passing anything on.
rules.add_perm("privacy.view_consents", same_centre & (is_case_worker | (is_psychologist & is_named_psychologist)))
rules.add_perm("privacy.manage_consents", is_case_worker & same_centre)

# Retention (deletion runs, legal holds) and data-subject requests: the data protection
# officer of the centre. Objects (holds, runs, requests) only of their own centre.
rules.add_perm("privacy.manage_retention", is_data_protection)
rules.add_perm("privacy.manage_requests", is_data_protection)
rules.add_perm("privacy.handle_retention_record", is_data_protection & same_centre)
rules.add_perm("privacy.handle_request", is_data_protection & same_centre)
