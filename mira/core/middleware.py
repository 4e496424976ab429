from django_scopes import scope


class CentreScopeMiddleware:
    """Activates the centre scope for the whole request.

    Every query of a scoped model (django-scopes) is then limited to the user's
    centre. Users without a centre (partner coaches, anonymous visitors) get an
    empty scope: scoped queries find nothing unless a view widens it on purpose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        centre_id = user.centre_id if user is not None and user.is_authenticated else None
        with scope(centre=centre_id):
            return self.get_response(request)
