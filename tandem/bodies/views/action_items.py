"""Pages of action items: lists, export, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.bodies.permissions import requires
from tandem.core import access as core_access
from tandem.core import exports, pagination
from tandem.core.views.listing import (
    read_filters,
    render_list,
    within_choices,
)
from tandem.core.views.utils import add_service_errors
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import (
    ActionItemEditForm,
    ActionItemForm,
    ActionStatusForm,
)
from ..models import ActionStatus
from ._common import (
    PAGE,
    _body_filter,
    _country_people,
)


def _filtered_items(request, *, mine=False):
    user = request.user
    filters = read_filters(request)
    only_body, body_param = _body_filter(request)
    status = request.GET.get("status", "")
    if status not in [*ActionStatus.values, "open_all"]:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    # Ordered on annotated keys, so deep pages continue from a cursor (see the selector).
    ordered = selectors.filter_action_items(
        user,
        mine=mine,
        term=filters.term,
        status=status,
        overdue=overdue,
        body=only_body,
        within=filters.within,
        ordered=True,
    )
    extra = {**body_param, **{k: v for k, v in (("status", status), ("overdue", "1" if overdue else "")) if v}}
    query = "&".join(x for x in (filters.query, urlencode(extra)) if x)
    return ordered, filters, status, overdue, query, only_body


def _item_context(request, qs, filters, status, overdue, query, only_body):
    return {
        "only_body": only_body,
        "page_obj": pagination.page(request, qs, PAGE),
        "filters": filters,
        "status": status,
        "overdue": overdue,
        "statuses": ActionStatus.choices,
        "export_query": query,
        "within_choices": within_choices(request.user, filters.within),
        "today": timezone.localdate(),
    }


@requires("bodies.view")
@require_GET
def action_item_list(request):
    qs, *rest = _filtered_items(request)
    context = _item_context(request, qs, *rest)
    context.update(list_url="action_item_list", title=_("Action items"), export=True)
    return render_list(request, "bodies/action_item_list.html", "bodies/partials/action_item_results.html", context)


@requires("bodies.view")
@require_GET
def action_item_mine(request):
    qs, *rest = _filtered_items(request, mine=True)
    context = _item_context(request, qs, *rest)
    context.update(list_url="action_item_mine", title=_("My action items"), export=False)
    return render_list(request, "bodies/action_item_list.html", "bodies/partials/action_item_results.html", context)


@requires("bodies.view")
@require_GET
def action_item_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, *_rest = _filtered_items(request)
    labels = dict(ActionStatus.choices)
    rows = qs.values_list(
        "uuid",
        "body__name",
        "meeting__title",
        "decision__number",
        "title",
        "owner_organisation__name",
        "owner_person__full_name",
        "due_date",
        "status",
        "completed_on",
        "meeting_visible",
    )

    def generate():
        for row in rows.iterator():
            values = list(row[:-1])
            values[0] = str(values[0])
            values[8] = str(labels.get(values[8], values[8]))
            if not row[-1]:  # read as the keeper of the action log: not the meeting behind it
                values[2] = values[3] = None
            yield values

    header = [
        str(h)
        for h in (
            gettext_lazy("UUID"),
            gettext_lazy("Body"),
            gettext_lazy("Meeting"),
            gettext_lazy("Decision"),
            gettext_lazy("Title"),
            gettext_lazy("Owner organisation"),
            gettext_lazy("Owner person"),
            gettext_lazy("Due date"),
            gettext_lazy("Status"),
            gettext_lazy("Completed on"),
        )
    ]
    return exports.export_response(fmt, "action-items", header, generate(), request=request)


def _item_form_kwargs(user, body, meeting=None):
    kwargs = {
        "organisations": access.owner_candidates(user, body).order_by("name", "id"),
        "people": _country_people(user),
        "body": body,
    }
    if meeting is not None:
        kwargs["decisions"] = access.visible_decisions(user).filter(meeting=meeting).order_by("number")
    return kwargs


@requires("bodies.action_log")
@require_http_methods(["GET", "POST"])
def action_item_create(request, uuid):
    """Coordinators of the body and the keeper of its action log (the Secretariat seat's holder)."""
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_action_log(user, body)
    meeting = None
    raw_meeting = request.GET.get("meeting") or request.POST.get("meeting")
    if raw_meeting:
        meeting = core_access.get_visible_or_404(access.visible_meetings(user).filter(body=body), uuid=raw_meeting)
    form = ActionItemForm(request.POST or None, **_item_form_kwargs(user, body, meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_create(actor=user, body=body, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action item was added."))
            if meeting is not None:
                return redirect("meeting_detail", uuid=meeting.uuid)
            return redirect("body_detail", uuid=body.uuid)
    cancel = reverse("meeting_detail", args=[meeting.uuid]) if meeting else reverse("body_detail", args=[body.uuid])
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "hidden": {"meeting": meeting.uuid} if meeting else {},
            "title": _("Add an action item to %(name)s") % {"name": body.name},
            "cancel_url": cancel,
        },
    )


@requires("bodies.internals")
@require_GET
def action_item_detail(request, uuid):
    """An action item for anyone who sees the body's internals; editing is offered to those allowed."""
    user = request.user
    item = core_access.get_visible_or_404(access.visible_action_items(user), uuid=uuid)
    can_edit = services.can_update_action_item(user, item)
    return render(
        request,
        "bodies/action_item_detail.html",
        {"item": item, "can_edit": can_edit, "today": timezone.localdate(), "from_page": request.GET.get("from", "")},
    )


@requires("bodies.view")
@require_http_methods(["GET", "POST"])
def action_item_edit(request, uuid):
    user = request.user
    item = core_access.get_visible_or_404(access.visible_action_items(user), uuid=uuid)
    fields = list(services.action_item_fields(user, item))
    if not fields:
        raise PermissionDenied
    owner_only = fields == list(services.OWNER_FIELDS)
    form_class = ActionStatusForm if owner_only else ActionItemEditForm
    kwargs = {} if owner_only else {**_item_form_kwargs(user, item.body), "with_title": "title" in fields}

    def save(data, version):
        data.pop("decision", None)
        return services.action_item_update(actor=user, item=item, expected_version=version, **data)

    edit = versioned_form(
        request,
        form_class,
        record=item,
        initial={name: getattr(item, name) for name in fields},
        save=save,
        fields=fields,
        form_kwargs=kwargs,
    )
    if edit.saved:
        return redirect(request.POST.get("next_page") == "mine" and "action_item_mine" or "action_item_list")
    return render(
        request,
        "bodies/form.html",
        {
            **edit.context(),
            "hidden": {"next_page": request.GET.get("from", request.POST.get("next_page", ""))},
            "title": _("Edit %(name)s") % {"name": item.title},
            "cancel_url": reverse("action_item_detail", args=[item.uuid]),
        },
    )
