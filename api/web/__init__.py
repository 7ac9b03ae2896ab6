"""Pages for people (issue 8): server-rendered HTML on the same app and read models as the API."""
