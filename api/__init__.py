"""The read API for analysts (Django REST framework) under /api/: practices, organisations,
metric values, metric definitions and plan actions, with the same permissions as the pages,
token or session authentication, JSON or CSV, and an OpenAPI schema at /api/schema/."""
