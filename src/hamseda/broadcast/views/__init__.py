"""HTML pages of the broadcast app: ``pitches`` (list, write, review) and
``dispatches`` (letters to the broadcaster, answers, contact)."""
