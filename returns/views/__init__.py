"""Pages of the collection workflow, split by page area: collections (commissioners) and
returns (practice managers and the commissioners who review them)."""
