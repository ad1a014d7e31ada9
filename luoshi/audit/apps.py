from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    verbose_name = "审计"

    def ready(self):
        from .lockdown import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="luoshi-audit-lockdown")
