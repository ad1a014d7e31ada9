from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "luoshi.directives"
    verbose_name = "来源"
