"""Pages of the exchange. Every item read goes through :mod:`tandem.exchange.access`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core import pagination
from tandem.core.files import file_response
from tandem.core.pagination import CappedPaginator
from tandem.core.versioning import VersionConflict as ConflictError
from tandem.core.views.utils import add_service_errors, save_or_show_errors
from tandem.exchange.permissions import requires

from . import access, selectors, services
from .forms import AgreementForm, ComposeForm, ForwardForm, LabelForm, ReplyForm, SendForm, StatusForm
from .models import TLP_LEVEL, Direction, Kind, ReadAction, Status, Tlp

BOXES = ("inbox", "outbox")

# --- Lists ---------------------------------------------------------------------------


def _read_filters(request, box: str) -> selectors.ItemFilters:
    get = request.GET
    return selectors.ItemFilters.clean(
        box=box if box in BOXES else "inbox",
        term=get.get("q", ""),
        kind=get.get("kind", ""),
        tlp=get.get("tlp", ""),
        status=get.get("status", ""),
        overdue=get.get("overdue") == "1",
    )


def _filtered(request, box: str):
    """The items of the box the user may see, narrowed by the filters (one selector, shared with the API)."""
    filters = _read_filters(request, box)
    return selectors.items(request.user, filters), filters


def _list_page(request, box: str):
    user = request.user
    qs, filters = _filtered(request, box)
    qs = selectors.with_reply_counts(qs)
    page = pagination.page(request, qs, settings.TANDEM_PAGE_SIZE)
    drafts = selectors.drafts(user)[:20] if box == "outbox" else []
    context = {
        "page_obj": page,
        "filters": filters,
        "box": box,
        "kinds": Kind.choices,
        "tlps": Tlp.choices,
        "statuses": Status.choices,
        "today": timezone.localdate(),
        "drafts": drafts,
        "can_send": access.can_send(user),
    }
    return render(request, "exchange/item_list.html", context)


@requires("exchange.read")
@require_GET
def exchange_inbox(request):
    return _list_page(request, "inbox")


@requires("exchange.read")
@require_GET
def exchange_outbox(request):
    return _list_page(request, "outbox")


EXPORT_HEADER = [
    gettext_lazy("UUID"),
    gettext_lazy("Sent"),
    gettext_lazy("Kind"),
    gettext_lazy("Label"),
    gettext_lazy("Title"),
    gettext_lazy("Sender"),
    gettext_lazy("Sending organisation"),
    gettext_lazy("Sender jurisdiction"),
    gettext_lazy("Status"),
    gettext_lazy("Due date"),
]


@requires("exchange.read")
@require_GET
def exchange_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    from tandem.core import exports

    qs, filters = _filtered(request, request.GET.get("box", "inbox"))
    items = list(qs)
    services.log_export(user=request.user, items=items)
    kinds, tlps, statuses = dict(Kind.choices), dict(Tlp.choices), dict(Status.choices)
    rows = [
        [
            str(i.uuid),
            i.sent_at,
            str(kinds[i.kind]),
            str(tlps[i.tlp]),
            i.title,
            str(i.sender),
            i.sender_organisation.name if i.sender_organisation else "",
            i.jurisdiction.name,
            str(statuses.get(i.status, "")),
            i.due_date,
        ]
        for i in items
    ]
    return exports.export_response(
        fmt, f"exchange-{filters.box}", [str(h) for h in EXPORT_HEADER], rows, request=request
    )


@requires("exchange.coordinate")
@require_GET
def exchange_open_requests(request):
    """Open requests by age, for coordinators (the national and regional dashboards link here)."""
    user = request.user
    core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
    qs = selectors.open_requests(user)
    page = pagination.page(request, qs, settings.TANDEM_PAGE_SIZE)
    now = timezone.now()
    rows = [(item, (now - item.sent_at).days) for item in page.object_list]
    return render(
        request,
        "exchange/open_requests.html",
        {"page_obj": page, "rows": rows, "today": timezone.localdate()},
    )


@requires("exchange.coordinate")
@require_GET
def exchange_open_requests_export(request, fmt):
    """The open requests (oldest first) as CSV or XLSX: title, sender, unit, age, due date."""
    from tandem.core import exports

    if fmt not in exports.FORMATS:
        raise Http404
    core_access.require_any_rank(request.user, core_access.COORDINATOR_RANK)
    items = list(selectors.open_requests(request.user).select_related("sender", "sender_organisation", "jurisdiction"))
    services.log_export(user=request.user, items=items)
    now = timezone.now()
    statuses, tlps = dict(Status.choices), dict(Tlp.choices)
    header = [
        gettext_lazy("Title"),
        gettext_lazy("Label"),
        gettext_lazy("From"),
        gettext_lazy("Organisation"),
        gettext_lazy("Jurisdiction"),
        gettext_lazy("Sent"),
        gettext_lazy("Days open"),
        gettext_lazy("Due date"),
        gettext_lazy("Status"),
    ]
    rows = [
        (
            i.title,
            str(tlps[i.tlp]),
            str(i.sender),
            i.sender_organisation.name if i.sender_organisation_id else "",
            i.jurisdiction.name,
            i.sent_at,
            (now - i.sent_at).days,
            i.due_date,
            str(statuses.get(i.status, "")),
        )
        for i in items
    ]
    return exports.export_response(fmt, "open-requests", header, rows, request=request)


# --- Compose, preview, send ------------------------------------------------------------


def _addressees(cleaned) -> services.Addressees:
    return services.Addressees(
        jurisdictions=list(cleaned.get("jurisdictions") or []),
        organisations=list(cleaned.get("organisations") or []),
        people=list(cleaned.get("people") or []),
        bodies=list(cleaned.get("bodies") or []),
    )


def _save_draft(request, form, draft=None):
    cleaned = form.cleaned_data
    jurisdiction, organisation = cleaned["sender"]
    try:
        uploads = [services.read_upload(f) for f in cleaned.get("attachments") or []]
        return services.draft_save(
            actor=request.user,
            draft=draft,
            expected_version=draft.version if draft else None,
            jurisdiction=jurisdiction,
            sender_organisation=organisation,
            kind=cleaned["kind"],
            subkind=cleaned.get("subkind") or "",
            direction=cleaned["direction"],
            tlp=cleaned["tlp"],
            title=cleaned["title"],
            body=cleaned["body"],
            due_date=cleaned.get("due_date"),
            addressees=_addressees(cleaned),
            uploads=uploads,
            remove_attachments=request.POST.getlist("remove_attachment") if draft else None,
            publishable=bool(cleaned.get("publishable")),
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "attachment":
            form.add_error("attachments", exc.messages)
        else:
            add_service_errors(form, exc)
    except ConflictError:
        form.add_error(None, _("This draft was changed in another window. Reload it and try again."))
    return None


@requires("exchange.send")
@require_http_methods(["GET", "POST"])
def exchange_compose(request):
    user = request.user
    if not access.can_send(user):
        raise PermissionDenied
    form = ComposeForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        draft = _save_draft(request, form)
        if draft is not None:
            _say_if_proposed(request, form, draft)
            return redirect("exchange_preview", uuid=draft.uuid)
    return render(request, "exchange/compose.html", {"form": form, "draft": None})


def _say_if_proposed(request, form, draft) -> None:
    """Tell the sender when the level above was proposed for an upward item they addressed to no one."""
    if draft.direction == Direction.UP and _addressees(form.cleaned_data).empty:
        above = services.addressees_of(draft).jurisdictions
        if above:
            messages.info(
                request,
                _(
                    "No recipient was chosen: the coordinators of %(unit)s, the level above, are proposed. "
                    "Change them with “Edit the draft” if needed."
                )
                % {"unit": above[0].name},
            )


def _own_draft(request, uuid):
    draft = access.get_item_or_404(request.user, uuid)
    if draft.sender_id != request.user.pk or draft.sent_at is not None:
        raise Http404
    return draft


@requires("exchange.read")
@require_http_methods(["GET", "POST"])
def exchange_draft_edit(request, uuid):
    draft = _own_draft(request, uuid)
    addressees = services.addressees_of(draft)
    if request.method == "POST":
        form = ComposeForm(request.POST, request.FILES or None, user=request.user)
        if form.is_valid():
            saved = _save_draft(request, form, draft)
            if saved is not None:
                _say_if_proposed(request, form, saved)
                return redirect("exchange_preview", uuid=saved.uuid)
    else:
        form = ComposeForm(initial=ComposeForm.initial_for(draft, addressees), user=request.user)
    return render(
        request, "exchange/compose.html", {"form": form, "draft": draft, "attachments": draft.attachments.all()}
    )


@requires("exchange.read")
@require_http_methods(["GET", "POST"])
def exchange_preview(request, uuid):
    """The last step before sending: exactly who will read it, the rule, the agreement, the warnings."""
    draft = _own_draft(request, uuid)
    form = SendForm(request.POST or None, initial={"version": draft.version})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_send(
                actor=request.user,
                draft=draft,
                expected_version=form.cleaned_data["version"],
                confirm_personal_data=form.cleaned_data["confirm_personal_data"],
                no_agreement_reason=form.cleaned_data["no_agreement_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item was sent."))
            return redirect("exchange_detail", uuid=item.uuid)
    preview = services.preview_for(draft)
    context = {
        "draft": draft,
        "form": form,
        "preview": preview,
        "addressees": services.addressees_of(draft),
        "labels": services.personal_data_labels(),
        "attachments": draft.attachments.all(),
        "send_refusals": services.send_refusals(request.user, draft),
        "today": timezone.localdate(),
    }
    return render(request, "exchange/preview.html", context)


@requires("exchange.read")
@require_http_methods(["GET", "POST"])
def exchange_draft_discard(request, uuid):
    draft = _own_draft(request, uuid)
    if request.method == "POST":
        services.draft_discard(actor=request.user, draft=draft)
        messages.success(request, _("The draft was discarded."))
        return redirect("exchange_outbox")
    return render(request, "exchange/discard.html", {"draft": draft})


# --- Detail and actions --------------------------------------------------------------


def _detail_context(request, item, **extra):
    user = request.user
    replies = item.replies.select_related("author").prefetch_related("attachments")
    is_sender = item.sender_id == user.pk
    context = {
        "item": item,
        "replies": replies,
        "attachments": item.attachments.filter(reply__isnull=True),
        "recipients": selectors.recipients(item),
        "acknowledgements": item.acknowledgements.select_related("user"),
        "acknowledged": item.acknowledgements.filter(user_id=user.pk).exists(),
        "is_sender": is_sender,
        "read_log": access.item_read_log(user, item)[:200],
        "show_read_log": access.can_see_read_log(user, item),
        "label_changes": item.label_changes.select_related("by"),
        "overdue": item.is_overdue(),
        "reply_form": ReplyForm(),
        "status_form": StatusForm(initial={"version": item.version}),
        "status_choices": [
            (s.value, s.label)
            for s in Status
            if s in (services.SENDER_STATUSES if is_sender else services.RECIPIENT_STATUSES)
        ],
        "lower_labels": [(t.value, t.label) for t in Tlp if TLP_LEVEL[t] < item.level],
        "can_forward": item.tlp == Tlp.AMBER and not services.forward_refusal(actor=user, item=item),
    }
    context.update(extra)
    return context


@requires("exchange.read")
@require_GET
def exchange_detail(request, uuid):
    item = access.get_sent_item_or_404(request.user, uuid)
    services.log_read(user=request.user, item=item, action=ReadAction.DETAIL)
    return render(request, "exchange/item_detail.html", _detail_context(request, item))


@requires("exchange.read")
@require_POST
def exchange_reply(request, uuid):
    item = access.get_sent_item_or_404(request.user, uuid)
    form = ReplyForm(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            uploads = [services.read_upload(f) for f in form.cleaned_data.get("attachments") or []]
            services.reply_create(actor=request.user, item=item, body=form.cleaned_data["body"], uploads=uploads)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "attachment":
                form.add_error("attachments", exc.messages)
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, _("Your reply was added."))
            return redirect(reverse("exchange_detail", args=[item.uuid]) + "#thread")
    return render(request, "exchange/item_detail.html", _detail_context(request, item, reply_form=form), status=200)


@requires("exchange.read")
@require_POST
def exchange_acknowledge(request, uuid):
    item = access.get_sent_item_or_404(request.user, uuid)
    try:
        created = services.item_acknowledge(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Receipt acknowledged.") if created else _("You had already acknowledged it."))
    return redirect("exchange_detail", uuid=item.uuid)


@requires("exchange.read")
@require_POST
def exchange_status(request, uuid):
    item = access.get_sent_item_or_404(request.user, uuid)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.request_set_status(
                actor=request.user,
                item=item,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            messages.error(request, _("The request changed while you were looking at it. Check it and try again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("exchange_detail", uuid=item.uuid)


@requires("exchange.read")
@require_http_methods(["GET", "POST"])
def exchange_label(request, uuid):
    item = access.get_sent_item_or_404(request.user, uuid)
    if item.sender_id != request.user.pk:
        raise PermissionDenied
    form = LabelForm(request.POST or None)
    form.fields["tlp"].choices = [(t.value, t.label) for t in Tlp if TLP_LEVEL[t] < item.level]
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.item_change_label(
                actor=request.user, item=item, tlp=form.cleaned_data["tlp"], reason=form.cleaned_data["reason"]
            ),
            _("The label was lowered."),
        )
    ):
        return redirect("exchange_detail", uuid=item.uuid)
    return render(request, "exchange/label_form.html", {"item": item, "form": form})


@requires("exchange.read")
@require_http_methods(["GET", "POST"])
def exchange_forward(request, uuid):
    """Forward an AMBER item: choose, see exactly who will newly read it, confirm."""
    item = access.get_sent_item_or_404(request.user, uuid)
    refusal = services.forward_refusal(actor=request.user, item=item)
    if refusal:
        return render(request, "exchange/forward.html", {"item": item, "refusal": refusal}, status=403)
    form = ForwardForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        chosen = {
            "actor": request.user,
            "item": item,
            "organisations": list(form.cleaned_data["organisations"]),
            "people": list(form.cleaned_data["people"]),
        }
        try:
            if form.cleaned_data["confirm"]:
                done = services.item_forward(**chosen)
                messages.success(
                    request,
                    _("The item was forwarded; %(count)d more people can read it.") % {"count": len(done.new_readers)},
                )
                return redirect(reverse("exchange_detail", args=[item.uuid]) + "#recipients")
            preview = services.forward_preview(**chosen)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "exchange/forward.html", {"item": item, "form": form, "preview": preview})


@requires("exchange.read")
@require_GET
def exchange_attachment(request, uuid):
    """The only way to a stored file: access-checked, always a download, never sniffed."""
    attachment = core_access.get_visible_or_404(
        access.visible_attachments(request.user).select_related("item"), uuid=uuid
    )
    services.log_read(
        user=request.user, item=attachment.item, action=ReadAction.DOWNLOAD, detail=attachment.original_name
    )
    try:
        with services.attachment_open(attachment) as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    return file_response(data, name=attachment.original_name, content_type=attachment.content_type)


# --- Sharing agreements --------------------------------------------------------------


@requires("exchange.read")
@require_GET
def agreement_list(request):
    term = request.GET.get("q", "").strip()[: selectors.MAX_TERM]
    qs = selectors.agreements(request.user, term)
    page = CappedPaginator(qs, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/agreement_list.html",
        {
            "page_obj": page,
            "term": term,
            "export_filters": {"query": urlencode({"q": term}) if term else ""},
            "today": timezone.localdate(),
            "can_create": core_access.has_any_rank(request.user, core_access.COORDINATOR_RANK),
        },
    )


@requires("exchange.read")
@require_GET
def agreement_export(request, fmt):
    """The sharing agreements of one's countries (as the list's search filters them)."""
    from tandem.core import exports

    if fmt not in exports.FORMATS:
        raise Http404
    term = request.GET.get("q", "").strip()[: selectors.MAX_TERM]
    header = [
        gettext_lazy("Title"),
        gettext_lazy("Registered at"),
        gettext_lazy("Valid from"),
        gettext_lazy("Valid to"),
        gettext_lazy("Next review"),
        gettext_lazy("Parties"),
        gettext_lazy("Purpose"),
        gettext_lazy("Legal basis"),
        gettext_lazy("Retention"),
        gettext_lazy("Contact"),
    ]
    rows = (
        (
            a.title,
            a.jurisdiction.name,
            a.valid_from,
            a.valid_to,
            a.review_date,
            a.parties,
            a.purpose,
            a.legal_basis,
            a.retention,
            a.contact,
        )
        for a in selectors.agreements(request.user, term).select_related("jurisdiction")
    )
    return exports.export_response(fmt, "sharing-agreements", header, rows, request=request)


@requires("exchange.read")
@require_GET
def agreement_detail(request, uuid):
    agreement = core_access.get_visible_or_404(access.visible_agreements(request.user), uuid=uuid)
    return render(
        request,
        "exchange/agreement_detail.html",
        {
            "agreement": agreement,
            "organisations": agreement.party_organisations.select_related("jurisdiction"),
            "jurisdictions": agreement.party_jurisdictions.all(),
            "can_edit": core_access.can_manage(request.user, agreement.jurisdiction),
            "today": timezone.localdate(),
        },
    )


AGREEMENT_FIELDS = ["jurisdiction", *services.AGREEMENT_VALUE_FIELDS]


def _agreement_form(request, agreement=None):
    user = request.user
    if agreement is None:
        core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
        initial = {}
    else:
        core_access.require_rank(user, agreement.jurisdiction, core_access.COORDINATOR_RANK)
        initial = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}
        initial.update(
            party_organisations=list(agreement.party_organisations.all()),
            party_jurisdictions=list(agreement.party_jurisdictions.all()),
            version=agreement.version,
        )
    form = AgreementForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.agreement_save(
                actor=user,
                agreement=agreement,
                values={name: data.get(name) for name in AGREEMENT_FIELDS},
                organisations=list(data["party_organisations"]),
                jurisdictions=list(data["party_jurisdictions"]),
                expected_version=data.get("version"),
            )
        except ConflictError:
            form.add_error(None, _("Someone else saved this agreement while you were editing it. Reload the page."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("agreement_detail", uuid=saved.uuid)
    return render(request, "exchange/agreement_form.html", {"form": form, "agreement": agreement})


@requires("exchange.agreements")
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    return _agreement_form(request)


@requires("exchange.agreements")
@require_http_methods(["GET", "POST"])
def agreement_edit(request, uuid):
    agreement = core_access.get_visible_or_404(access.visible_agreements(request.user), uuid=uuid)
    return _agreement_form(request, agreement)
