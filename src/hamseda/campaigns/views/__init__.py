"""HTML pages of campaigns, one module per part of the UI:

- ``campaigns``: the list, create and edit forms, the season start, and the
  workspace of one campaign;
- ``panels``: the workspace's panels, and how a change made in one answers;
- ``messages``, ``targets``, ``offices``, ``files``: the actions of each panel
  (and the download of a campaign file);
- ``common``: what they share.

``campaigns.urls`` routes to the view functions of these modules.
"""
