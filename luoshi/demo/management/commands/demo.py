import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.audit.routine import take_checkpoint
from luoshi.demo.district import DEMO_PASSWORD, build_demo_district
from luoshi.demo.evaluation import build_demo_evaluation
from luoshi.demo.incentives import build_demo_incentives
from luoshi.demo.indicators import build_demo_indicators
from luoshi.demo.projects import build_demo_projects
from luoshi.demo.supervision import build_demo_supervision


class Command(BaseCommand):
    help = "Build the demo district 示例区 (generated data) and serve it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="build only, do not start the server"
        )
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, bind="127.0.0.1:8000", **options):
        translation.activate("zh-hans")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Building the demo district (generated data, none of it real)…"))
        result = build_demo_district()
        self.stdout.write(
            _("Units created: %(units)d; accounts created: %(users)d.")
            % {"units": result.created_units, "users": result.created_users}
        )
        tasks = build_demo_supervision()
        if tasks:
            self.stdout.write(
                _(
                    "Supervision tasks created: %(n)d, with weekly progress, send-backs, "
                    "extensions and late work."
                )
                % {"n": tasks}
            )
        self.stdout.write(_("Indicator library and two years of values…"))
        indicators = build_demo_indicators()
        if indicators:
            self.stdout.write(
                _(
                    "Indicators created: %(n)d (monthly, quarterly and annual), with values "
                    "for every township and department since 2025."
                )
                % {"n": indicators}
            )
        runs = build_demo_evaluation()
        if runs:
            self.stdout.write(
                _(
                    "Evaluation schemes (monthly, quarterly, annual) with %(n)d published "
                    "results; run this quarter with: "
                    "luoshi evaluate --scheme town-quarterly --period 2026-Q3"
                )
                % {"n": runs}
            )
        projects = build_demo_projects()
        if projects:
            self.stdout.write(
                _(
                    "Key projects created: %(n)d, with investment leads, monthly investment and obstacles."
                )
                % {"n": projects}
            )
        if build_demo_incentives():
            self.stdout.write(
                _(
                    "Incentives: highlight work scored, award criteria, an exemption application, "
                    "citizen ratings with their fixes."
                )
            )
        # Signed as the scheduler does every day, so the trail and the bulletins name one.
        checkpoint = take_checkpoint(due_at=timezone.now())
        if checkpoint is not None:
            self.stdout.write(_("Audit checkpoint signed: %(id)s.") % {"id": checkpoint.label})
        self.stdout.write("")
        self.stdout.write(
            _("Demo log-ins (password %(password)s for all):") % {"password": DEMO_PASSWORD}
        )
        for login in result.logins:
            self.stdout.write(f"  {login.username:<16} {login.who}")
        self.stdout.write(
            _(
                "  Other units: <unit code>.head / <unit code>.liaison, e.g. d10.head, t03v05.liaison"
            )
        )
        if no_serve:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Open http://%(bind)s/ and log in (Ctrl+C stops).") % {"bind": bind}
            )
        )
        sys.stdout.flush()
        luoshi = os.path.join(os.path.dirname(sys.executable), "luoshi")
        # The background worker (documents, messages) runs beside the server; it shares the
        # terminal's process group, so Ctrl+C stops both.
        subprocess.Popen([luoshi, "worker"])
        os.execv(luoshi, [luoshi, "serve", "--bind", bind])
