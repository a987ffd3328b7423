"""The one JSON API, mounted at ``/api/v1/``.

* Authentication is a GLOBAL default: every operation needs a personal API token
  (``Authorization: Bearer tdm_...``). A session cookie is not accepted here.
* Every error is JSON with a ``detail`` message (see the handlers below).
* The schema (``/api/v1/openapi.json``) and the docs page (``/api/v1/docs``) are
  pages for people, not API operations: they stay behind the site's sign-in
  (``LoginRequiredMiddleware``). Tools use the committed ``docs/openapi.json``.
"""

import functools
import importlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from tandem.core import api as core_api
from tandem.core import api_audit, api_invitations, permissions, ratelimit, registry, services, versioning
from tandem.core.middleware import attach_access
from tandem.core.security import client_ip

logger = logging.getLogger("django.request")

# URL names of the API's pages for people: they keep the site's sign-in requirement (and the
# second factor: core's MFA middleware reads them from the registry).
SESSION_PAGES = frozenset({"openapi-json", "openapi-view", "api-root"})
registry.register("session_api_pages", "api", SESSION_PAGES)


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer tdm_...``: a personal API token, checked by hash."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.api_token_authenticate(token)
        if user is None:
            return None
        # The token's user is the actor; a session cookie sent alongside never counts.
        request.user = user
        attach_access(request)
        return user


def _json_method_not_allowed(view: Any) -> Any:
    """Ninja answers an unsupported method with an empty text 405; make it JSON like every error."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _error(request, 405, _("This method is not allowed here."))
            response["Allow"] = allowed
        return response

    return wrapper


def _rate_limited(view: Any) -> Any:
    """Per client address, then per bearer token (valid or not): over the limit, a JSON 429 with Retry-After."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        checks = [("address", client_ip(request) or "unknown", settings.API_RATE_LIMIT_PER_ADDRESS)]
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            checks.append(("token", ratelimit.fingerprint(token.strip()), settings.API_RATE_LIMIT))
        for scope, ident, rate in checks:
            wait = ratelimit.check(scope, ident, rate)
            if wait is not None:
                if scope == "token":
                    detail = _("Too many requests with this API token (limit: %(rate)s). Retry in %(seconds)d s.")
                else:
                    detail = _("Too many requests from this address (limit: %(rate)s). Retry in %(seconds)d s.")
                response = _error(request, 429, detail % {"rate": rate, "seconds": wait}, retry_after=wait)
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapper


class TandemAPI(NinjaAPI):
    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if pattern.name not in SESSION_PAGES:
                pattern.callback = _rate_limited(_json_method_not_allowed(pattern.callback))
                # Operations authenticate by token (a 401, never a redirect to the sign-in page).
                pattern.callback.login_required = False
        return patterns, app_name, namespace

    def get_openapi_operation_id(self, operation: Any) -> str:
        """``tandem_<app>_api_<function>``, also for an API split into a package by concern.

        The ids are part of the published schema (clients generate code from them): moving an
        operation into ``tandem/plans/api/progress.py`` must not rename it.
        """
        module = operation.view_func.__module__.split(".")
        if "api" in module:
            module = module[: module.index("api") + 1]
        return "_".join([*module, operation.view_func.__name__])

    def create_response(self, request: HttpRequest, data: Any, **kwargs: Any) -> HttpResponse:
        response = super().create_response(request, data, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Document the answers the global handlers below give, on every operation they apply to.

        A body that is not JSON (400) or too large (413) can reach any operation with a
        request body; a malformed path or query parameter (422) any operation with one.
        """
        schema = super().get_openapi_schema(*args, **kwargs)

        def answer(description: str, component: str) -> dict[str, Any]:
            ref = {"$ref": f"#/components/schemas/{component}"}
            return {"description": description, "content": {"application/json": {"schema": ref}}}

        views = {
            self.get_openapi_operation_id(op): op.view_func
            for _prefix, router in self._routers
            for path_view in router.path_operations.values()
            for op in path_view.operations
        }
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                responses = operation["responses"]
                name = permissions.permission_of(views.get(operation.get("operationId")))
                if name is not None:
                    permission = permissions.get(name)
                    operation["x-tandem-permission"] = name
                    if permission.min_rank is not None:
                        responses.setdefault(
                            403, answer(f"Too little role: needs {permission.description}", "ErrorOut")
                        )
                if "requestBody" in operation:
                    responses.setdefault(400, answer("The request body is not valid JSON.", "ErrorOut"))
                    responses.setdefault(413, answer("The request body is too large.", "ErrorOut"))
                    responses.setdefault(422, answer("The request is not valid.", "ValidationErrorOut"))
                if any(p.get("in") in {"path", "query"} for p in operation.get("parameters", [])):
                    responses.setdefault(422, answer("The request is not valid.", "ValidationErrorOut"))
        return schema


api = TandemAPI(
    title="Tandem API",
    version="1",
    description=(
        "Tandem's JSON API. Authenticate every request with a personal API token "
        "(`Authorization: Bearer tdm_...`, issued on the 'API tokens' page). "
        "Records outside your jurisdictions answer 404 exactly like missing ones; "
        "too little role answers 403. Edits must send the `version` they started from; "
        "a stale version answers 409 and nothing is written. "
        "Requests are rate-limited per token and per client address: over the limit the answer is "
        "429 with a `Retry-After` header (seconds). "
        "A method a path does not list answers 405, with an `Allow` header naming the methods it does."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
)


# --- Errors: always JSON with a "detail" ------------------------------------------------


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # One body for "missing" and "not yours": nothing from the exception is echoed.
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, _("Authentication required: send a valid API token as 'Authorization: Bearer <token>'.")
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(
        request, 413, _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit}, limit=limit
    )


@api.exception_handler(MultiPartParserError)
def on_unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A multipart body without its boundary, or cut short: the client's error, never a 500.
    return _error(request, 400, _("The request body is not a valid multipart/form-data form."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(request, 400, _("The request body is not valid JSON."))
    return _error(request, exc.status_code, str(exc))


def _field_name(loc: Any) -> str:
    """('body', 'payload', 'name') -> 'name'; ('query', 'limit') -> 'limit'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["__all__"]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form"}:
        parts = parts[1:] or ["__all__"]
        if len(parts) > 1 and parts[0] in {"filters", "ninja_pagination"}:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def on_request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return _error(request, 422, _("The request is not valid."), errors=errors)


@api.exception_handler(DjangoValidationError)
def on_record_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return _error(request, 422, _("The record is not valid."), errors=errors)


def _plain(value: Any) -> Any:
    """A stored value for JSON: references by UUID, dates as ISO strings."""
    if hasattr(value, "uuid"):
        return str(value.uuid)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@api.exception_handler(versioning.VersionConflict)
def on_conflict(request: HttpRequest, exc: versioning.VersionConflict) -> HttpResponse:
    """Every stale edit of every app: 409, nothing written, what changed since the version sent."""
    changed = {
        name: {"at_your_version": _plain(before), "now": _plain(now)} for name, (before, now) in exc.changed.items()
    }
    return _error(
        request,
        409,
        _(
            "Someone else saved this record after the version you sent. Nothing was saved: "
            "load it again, re-apply your change and send the current version."
        ),
        current_version=exc.current.version,
        changed_fields=sorted(changed),
        changed=changed,
    )


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A concurrent write won a uniqueness race that validation had just checked.
    logger.warning("API integrity error on %s: %s", request.path, exc)
    return _error(request, 409, _("This conflicts with another record that was saved at the same time. Try again."))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("Unhandled API error on %s", request.path, exc_info=exc)
    return _error(request, 500, _("Something went wrong on our side. The error was logged."))


# --- Routes ------------------------------------------------------------------------------

for module in (
    core_api,
    api_invitations,
    api_audit,
    *(importlib.import_module(f"tandem.{app}.api") for app in settings.TANDEM_APPS),
):
    for prefix, router in module.ROUTERS:
        api.add_router(prefix, router)

# Last: any other path under /api/v1/ answers a JSON 404 (after the token check, like the rest).
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
@permissions.requires(permissions.SIGNED_IN)
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


api.add_router("", fallback)
