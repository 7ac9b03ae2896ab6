"""Request and response bodies, named by role (`ListingCreate`, `ListingPublic`, `HealthPublic`)."""
