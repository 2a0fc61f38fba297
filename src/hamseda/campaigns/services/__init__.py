"""Writes of campaigns, one module per sub-domain:

- ``campaigns``: the campaign itself (create, edit) and its participating offices;
- ``messages``: key messages;
- ``targets``: quantitative targets and the figures recorded for them;
- ``files``: the campaign's documents;
- ``common``: what they share (audit events, text normalisers, the row lock).

Every write is checked against ``campaign.manage`` and audited on the campaign,
so the campaign page's history tells the whole story. Callers import the
package (``from hamseda.campaigns import services``) and use the names below;
the HTML views and the API call the same functions.
"""

from hamseda.campaigns.services.campaigns import (
    CAMPAIGN_FIELDS,
    campaign_create,
    campaign_edit,
    participant_add,
    participant_remove,
)
from hamseda.campaigns.services.common import (
    MAX_LIST_ITEM_LENGTH,
    clean_text,
    normalize_hashtags,
    normalize_list,
)
from hamseda.campaigns.services.files import (
    file_add,
    file_remove,
)
from hamseda.campaigns.services.messages import (
    MAX_MESSAGE_LENGTH,
    message_add,
    message_edit,
    message_remove,
)
from hamseda.campaigns.services.targets import (
    clean_target,
    target_add,
    target_edit,
    target_record,
    target_remove,
    target_state,
)

__all__ = [
    "CAMPAIGN_FIELDS",
    "MAX_LIST_ITEM_LENGTH",
    "MAX_MESSAGE_LENGTH",
    "campaign_create",
    "campaign_edit",
    "clean_target",
    "clean_text",
    "file_add",
    "file_remove",
    "message_add",
    "message_edit",
    "message_remove",
    "normalize_hashtags",
    "normalize_list",
    "participant_add",
    "participant_remove",
    "target_add",
    "target_edit",
    "target_record",
    "target_remove",
    "target_state",
]
