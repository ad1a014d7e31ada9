from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "luoshi.ops"
    verbose_name = "运维"
