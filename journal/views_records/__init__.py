"""Views of the journal's records procedures (issue 4): КТП, объяснительные,
замены, причины пропусков, временный журнал. Thin: access helpers, then services."""
