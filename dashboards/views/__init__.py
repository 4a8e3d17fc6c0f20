"""Pages of the dashboards app, split by page area."""
