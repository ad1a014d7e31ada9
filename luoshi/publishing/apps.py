from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "luoshi.publishing"
    verbose_name = "晾晒通报"
