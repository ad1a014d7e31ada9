from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "luoshi.projects"
    verbose_name = "项目调度"
