"""Estates pages, one module per page area: premises (the register, a site, sharing),
capacity (a CCG's and a cluster's, settings, housing growth), schemes, and practice IT."""
