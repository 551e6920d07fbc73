"""The Jinja2 templates and wording tables of symfisher documents (data; see README.md)."""
