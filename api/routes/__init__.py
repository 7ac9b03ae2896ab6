"""One router per resource, each with its prefix and tags; `api/app.py` includes them."""
