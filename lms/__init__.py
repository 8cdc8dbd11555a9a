"""Project package: settings, URLs, WSGI, the home page and shared base templates."""
