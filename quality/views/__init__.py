"""Pages of the quality area, split by page area: the register and support, contract events,
the shared risk log, and CQC ratings."""
