from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "luoshi.indicators"
    verbose_name = "指标"
