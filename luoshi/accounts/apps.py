from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    verbose_name = "账号"
