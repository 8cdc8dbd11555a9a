"""Language selection: Bahasa Indonesia unless the person chose English themselves."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class DefaultLanguageMiddleware:
    """Activate the language from the language cookie, else ``LANGUAGE_CODE``.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which on most
    phones sold here says English; the platform is Indonesian first, so only an explicit choice
    (the language switcher, which sets the cookie) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response
