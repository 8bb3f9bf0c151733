"""The web application: API, pages, access, browser flows."""
