from django.db import migrations

# The "3+N" layout: three core areas and the others. The office can add more.
CATEGORIES = [
    ("economy", "经济发展", True, 1),
    ("projects", "项目建设", True, 2),
    ("safety", "安全稳定", True, 3),
    ("livelihood", "民生事业", False, 10),
    ("ecology", "生态环境", False, 11),
    ("party", "党的建设", False, 12),
    ("reform", "改革创新", False, 13),
    ("other", "其他工作", False, 99),
]


def create(apps, schema_editor):
    TaskCategory = apps.get_model("supervision", "TaskCategory")
    for code, name, core, order in CATEGORIES:
        TaskCategory.objects.get_or_create(code=code, defaults={"name": name, "core": core, "order": order})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
