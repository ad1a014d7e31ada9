from django.db import migrations

# The classes a Chinese district ranks within (分类考核), plus the levels above it.
BUILTIN = [
    ("province", "省", 1),
    ("city", "市", 2),
    ("district", "县区", 3),
    ("township", "镇街", 10),
    ("park", "园区", 11),
    ("department", "区直部门", 12),
    ("village", "村", 20),
    ("community", "社区", 21),
]


def create_classes(apps, schema_editor):
    UnitClass = apps.get_model("orgs", "UnitClass")
    for code, name, order in BUILTIN:
        UnitClass.objects.get_or_create(code=code, defaults={"name": name, "order": order, "builtin": True})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create_classes, migrations.RunPython.noop)]
