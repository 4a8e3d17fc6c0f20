"""Middleware every page shares."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user (or to an API
    request that sends credentials) and on every download, so that neither a shared cache nor
    the browser's disk keeps a copy of what only that person may read. Static files are served
    by WhiteNoise before this runs and keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if signed_in or download or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response
