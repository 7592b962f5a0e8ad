"""The schema itself: models, catalog, drift gate, roles and grants, generated docs."""
