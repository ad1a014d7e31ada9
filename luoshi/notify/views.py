from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.audit.chain import record, snapshot

from .actions import do_mark_read
from .forms import PreferenceForm
from .models import Notification, Preference


def inbox(request):
    items = Notification.objects.for_user(request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(preference) if preference.pk else None
            saved = form.save()
            record(
                actor=request.user,
                action="notify.preference",
                obj=saved,
                before=before,
                after=snapshot(saved),
            )
        messages.success(request, _("Saved."))
        return redirect("notify:inbox")
    return render(request, "notify/inbox.html", {"page": page, "form": form})


@require_POST
def mark_read(request):
    ids = request.POST.getlist("id") or None
    do_mark_read(request.user, ids)
    return redirect("notify:inbox")
