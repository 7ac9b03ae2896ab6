"""One router per resource, each with its prefix and tags; `api/http/app.py` includes them."""
