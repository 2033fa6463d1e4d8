from django.apps import AppConfig


class BenchAdminConfig(AppConfig):
    name = "bench.django_admin"
    label = "benchadmin"
    verbose_name = "质量奖（Django admin 基线）"
