"""Media monitoring: Persian news coverage of every agency, clustered into stories.

The text engine (feeds, matching, stories, tone) is written first, without models;
the app is wired (models, poller, pages) on top of it.
"""
