"""Funding pages, one module per page area: streams, the CCG summary and allocations,
schemes, and payments to practices."""
