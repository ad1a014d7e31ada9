from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "luoshi.incentives"
    verbose_name = "激励与容错"
